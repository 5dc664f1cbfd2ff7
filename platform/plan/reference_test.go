package plan_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/stackref"
)

func TestGoldenReferences(t *testing.T) {
	root := t.TempDir()
	producer, err := plan.Run(plan.Options{Project: "platform", Stack: "dev"}, func(ctx *pulumi.Context) error {
		stackref.ExportString(ctx, "topicArn", pulumi.String("arn:aws:sns:eu-west-1:111111111111:alarms"))
		stackref.ExportStringList(ctx, "audiences", pulumi.ToStringArray([]string{"api://a"}))
		return nil
	})
	require.NoError(t, err)
	b, err := producer.JSON()
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(root, "stacks", "platform", "testdata"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "stacks", "platform", "testdata", "dev.plan.json"), b, 0o644))

	consumer := func(name contract.String) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			ref, err := stackref.New(ctx, stackref.StackName("organization/platform/dev", "platform"))
			if err != nil {
				return err
			}
			stackref.ExportString(ctx, "got", ref.String(name))
			stackref.ExportStringList(ctx, "audiences", ref.StringList("audiences"))
			return nil
		}
	}
	opts := plan.Options{Project: "orders", Stack: "dev", Reference: plan.GoldenReferences(root)}
	p, err := plan.Run(opts, consumer("topicArn"))
	require.NoError(t, err)
	assert.Equal(t, "arn:aws:sns:eu-west-1:111111111111:alarms", p.Outputs["got"])
	assert.Equal(t, []any{"api://a"}, p.Outputs["audiences"])

	_, err = plan.Run(opts, consumer("nope"))
	assert.ErrorContains(t, err, `stack organization/platform/dev does not export "nope"`)

	_, err = plan.GoldenReferences(root)("organization/billing/dev")
	assert.ErrorContains(t, err, "no offline plan of project billing for dev")
}

func TestStackName(t *testing.T) {
	assert.Equal(t, "organization/accounts/dev", stackref.StackName("organization/platform/dev", "accounts"))
	assert.Equal(t, "acme/accounts/prod", stackref.StackName("acme/platform/prod", "accounts"))
}
