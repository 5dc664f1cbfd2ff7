package stackref_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/stackref"
)

func TestResolve(t *testing.T) {
	outputs := func(string) (map[string]any, error) {
		return map[string]any{"apiDomainName": "api.dev.example.com", "count": 3.0}, nil
	}
	var got []string
	_, err := plan.Run(plan.Options{Project: "orders", Stack: "dev", Reference: outputs}, func(ctx *pulumi.Context) error {
		ref, err := stackref.New(ctx, "organization/platform/dev")
		if err != nil {
			return err
		}
		for _, out := range []contract.String{
			contract.APIDomainName,
			contract.NewString("platform", "missing"),
			contract.NewString("platform", "count"),
			contract.NewString("accounts", "apiDomainName"),
		} {
			v, err := ref.Resolve(out)
			if err != nil {
				got = append(got, err.Error())
				continue
			}
			got = append(got, v)
		}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []string{
		"api.dev.example.com",
		`stack organization/platform/dev does not export "missing"; deploy a version of it that declares the output`,
		`stack organization/platform/dev: output "count" is float64, not a string`,
		`stack organization/platform/dev: output "apiDomainName" is declared by project accounts, not platform`,
	}, got)
}
