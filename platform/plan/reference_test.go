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
		stackref.ExportString(ctx, contract.NewString("platform", "topicArn"), pulumi.String("arn:aws:sns:eu-west-1:111111111111:alarms"))
		stackref.ExportStringList(ctx, contract.NewStringList("platform", "audiences"), pulumi.ToStringArray([]string{"api://a"}))
		return nil
	})
	require.NoError(t, err)
	b, err := producer.GoldenJSON()
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(root, "stacks", "platform", "testdata"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "stacks", "platform", "testdata", "dev.plan.json"), b, 0o644))

	consumer := func(name contract.String) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			ref, err := stackref.New(ctx, stackref.StackName("organization/platform/dev", "platform"))
			if err != nil {
				return err
			}
			stackref.ExportString(ctx, contract.NewString("orders", "got"), ref.String(name))
			stackref.ExportStringList(ctx, contract.NewStringList("orders", "audiences"),
				ref.StringList(contract.NewStringList("platform", "audiences")))
			return nil
		}
	}
	opts := plan.Options{Project: "orders", Stack: "dev", Reference: plan.GoldenReferences(root)}
	p, err := plan.Run(opts, consumer(contract.NewString("platform", "topicArn")))
	require.NoError(t, err)
	assert.Equal(t, "arn:aws:sns:eu-west-1:111111111111:alarms", p.Outputs["got"])
	assert.Equal(t, []any{"api://a"}, p.Outputs["audiences"])

	_, err = plan.Run(opts, consumer(contract.NewString("platform", "nope")))
	assert.ErrorContains(t, err, `stack organization/platform/dev does not export "nope"`)

	// An output of another project is not read from this stack.
	_, err = plan.Run(opts, consumer(contract.NewString("accounts", "topicArn")))
	assert.ErrorContains(t, err, `stack organization/platform/dev: output "topicArn" is declared by project accounts, not platform`)

	// A project exports only its own outputs.
	_, err = plan.Run(plan.Options{Project: "orders", Stack: "dev"}, func(ctx *pulumi.Context) error {
		stackref.ExportString(ctx, contract.NewString("platform", "topicArn"), pulumi.String("x"))
		return nil
	})
	assert.ErrorContains(t, err, `output "topicArn" is declared by project platform; project orders cannot export it`)

	_, err = plan.GoldenReferences(root)("organization/billing/dev")
	assert.ErrorContains(t, err, "no offline plan of project billing for dev")
}

func TestStackName(t *testing.T) {
	assert.Equal(t, "organization/accounts/dev", stackref.StackName("organization/platform/dev", "accounts"))
	assert.Equal(t, "acme/accounts/prod", stackref.StackName("acme/platform/prod", "accounts"))
}
