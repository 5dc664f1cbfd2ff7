package plan_test

import (
	"errors"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/plan"
)

func TestAnswerMissingRequired(t *testing.T) {
	cases := []struct {
		typ    string
		inputs map[string]any
		err    string
	}{
		{"aws:lambda/function:Function", map[string]any{"name": "f"},
			`aws:lambda/function:Function "fn": missing required properties role, code`},
		{"aws:lambda/function:Function", map[string]any{"role": plan.Unknown},
			`aws:lambda/function:Function "fn": missing required property code`},
		{"aws:dynamodb/table:Table", map[string]any{"hashKey": "id", "attributes": nil},
			`aws:dynamodb/table:Table "fn": missing required property attributes`},
		{"aws:scheduler/schedule:Schedule", map[string]any{"target": map[string]any{}},
			`aws:scheduler/schedule:Schedule "fn": missing required properties scheduleExpression, flexibleTimeWindow`},
		{"aws:lambda/eventSourceMapping:EventSourceMapping", map[string]any{},
			`aws:lambda/eventSourceMapping:EventSourceMapping "fn": missing required property functionName`},
		{"aws:iam/policy:Policy", map[string]any{"name": "p"},
			`aws:iam/policy:Policy "fn": missing required property policy`},
		{"aws:iam/openIdConnectProvider:OpenIdConnectProvider", map[string]any{"url": "https://token.actions.githubusercontent.com"},
			`aws:iam/openIdConnectProvider:OpenIdConnectProvider "fn": missing required property clientIdLists`},
	}
	for _, c := range cases {
		t.Run(c.typ, func(t *testing.T) {
			_, _, err := plan.Answer(c.typ, "fn", "urn:pulumi:dev::p::"+c.typ+"::fn", c.inputs, "eu-west-1", plan.DefaultAccount)
			require.EqualError(t, err, c.err)
			var missing *plan.MissingPropertyError
			require.True(t, errors.As(err, &missing))
			assert.Equal(t, c.typ, missing.Type)
		})
	}
}

func TestAnswerShapes(t *testing.T) {
	urn := "urn:pulumi:dev::p::aws:lambda/function:Function::fn"
	id, out, err := plan.Answer("aws:lambda/function:Function", "fn", urn,
		map[string]any{"name": "acme-fn", "role": "arn:aws:iam::1:role/r", "code": "[archive]"}, "eu-central-1", "222222222222")
	require.NoError(t, err)
	assert.Equal(t, "acme-fn", id)
	assert.Equal(t, "arn:aws:lambda:eu-central-1:222222222222:function:acme-fn:1", out["qualifiedArn"])

	// Without a name the logical name is the physical name; generated ids follow the URN.
	id, out, err = plan.Answer("aws:sqs/queue:Queue", "orders", "u", map[string]any{}, "eu-west-1", plan.DefaultAccount)
	require.NoError(t, err)
	assert.Equal(t, "https://sqs.eu-west-1.amazonaws.com/111111111111/orders", id)
	assert.Equal(t, "orders", out["name"])
	a, _, err := plan.Answer("aws:kms/key:Key", "k", "u1", map[string]any{}, "eu-west-1", plan.DefaultAccount)
	require.NoError(t, err)
	b, _, err := plan.Answer("aws:kms/key:Key", "k", "u1#2", map[string]any{}, "eu-west-1", plan.DefaultAccount)
	require.NoError(t, err)
	assert.NotEqual(t, a, b)
}

func TestAnswerIAM(t *testing.T) {
	id, out, err := plan.Answer("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "github", "u",
		map[string]any{"url": "https://token.actions.githubusercontent.com", "clientIdLists": []any{"sts.amazonaws.com"}},
		"eu-west-1", "222222222222")
	require.NoError(t, err)
	assert.Equal(t, "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com", id)
	assert.Equal(t, id, out["arn"])
	assert.Len(t, out["thumbprintLists"], 1)

	id, out, err = plan.Answer("aws:iam/policy:Policy", "boundary", "u",
		map[string]any{"name": "acme-dev-boundary", "policy": "{}"}, "eu-west-1", "222222222222")
	require.NoError(t, err)
	assert.Equal(t, "arn:aws:iam::222222222222:policy/acme-dev-boundary", id)
	assert.Equal(t, id, out["arn"])
}

func TestInvoke(t *testing.T) {
	out, err := plan.Invoke("aws:index/getCallerIdentity:getCallerIdentity", "eu-west-1", "222222222222")
	require.NoError(t, err)
	assert.Equal(t, "222222222222", out["accountId"])
	out, err = plan.Invoke("aws:index/getRegion:getRegion", "eu-central-1", "1")
	require.NoError(t, err)
	assert.Equal(t, "eu-central-1", out["name"])
	_, err = plan.Invoke("aws:index/getAmi:getAmi", "eu-west-1", "1")
	assert.EqualError(t, err, "no offline answer for invoke aws:index/getAmi:getAmi")
}

func TestPlanFailsOnMissingRequired(t *testing.T) {
	_, err := plan.Run(plan.Options{Project: "p", Stack: "dev"}, func(ctx *pulumi.Context) error {
		var res pulumi.CustomResourceState
		return ctx.RegisterResource("aws:iam/rolePolicy:RolePolicy", "inline",
			pulumi.Map{"name": pulumi.String("inline")}, &res)
	})
	assert.ErrorContains(t, err, `plan: aws:iam/rolePolicy:RolePolicy "inline": missing required properties role, policy`)
}

// S3 answers: a bucket's ARN has no region or account (its name is global), a bucket's
// configurations answer with the bucket's name as their id, as the provider's do.
func TestAnswerStorage(t *testing.T) {
	id, out, err := plan.Answer("aws:s3/bucketV2:BucketV2", "exports", "u", map[string]any{"bucket": "acme-dev-x-exports-1a2b3c4d"}, "eu-west-1", plan.DefaultAccount)
	require.NoError(t, err)
	assert.Equal(t, "acme-dev-x-exports-1a2b3c4d", id)
	assert.Equal(t, map[string]any{"arn": "arn:aws:s3:::acme-dev-x-exports-1a2b3c4d", "bucket": "acme-dev-x-exports-1a2b3c4d",
		"bucketDomainName":         "acme-dev-x-exports-1a2b3c4d.s3.amazonaws.com",
		"bucketRegionalDomainName": "acme-dev-x-exports-1a2b3c4d.s3.eu-west-1.amazonaws.com", "region": "eu-west-1"}, out)
	id, _, err = plan.Answer("aws:s3/bucketPolicy:BucketPolicy", "exports-policy", "u", map[string]any{"bucket": "b", "policy": "{}"}, "eu-west-1", plan.DefaultAccount)
	require.NoError(t, err)
	assert.Equal(t, "b", id)
	id, _, err = plan.Answer("aws:s3/bucketMetric:BucketMetric", "exports-metrics", "u", map[string]any{"bucket": "b", "name": "all"}, "eu-west-1", plan.DefaultAccount)
	require.NoError(t, err)
	assert.Equal(t, "b:all", id)
	_, _, err = plan.Answer("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "l", "u", map[string]any{"bucket": "b"}, "eu-west-1", plan.DefaultAccount)
	assert.EqualError(t, err, `aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2 "l": missing required property rules`)
	id, _, err = plan.Answer("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig", "pc", "u",
		map[string]any{"functionName": "acme-dev-x-api", "qualifier": "live", "provisionedConcurrentExecutions": 2.0}, "eu-west-1", plan.DefaultAccount)
	require.NoError(t, err)
	assert.Equal(t, "acme-dev-x-api,live", id)
}
