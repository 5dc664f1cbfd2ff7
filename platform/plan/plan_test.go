package plan_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/stackref"
)

type parent struct{ pulumi.ResourceState }

func program(ctx *pulumi.Context) error {
	c := &parent{}
	if err := ctx.RegisterComponentResource("test:index:Parent", "orders", c); err != nil {
		return err
	}
	dlq, err := sqs.NewQueue(ctx, "orders-dlq", &sqs.QueueArgs{Name: pulumi.String("acme-dev-orders-dlq")}, pulumi.Parent(c))
	if err != nil {
		return err
	}
	q, err := sqs.NewQueue(ctx, "orders-queue", &sqs.QueueArgs{
		Name:          pulumi.String("acme-dev-orders"),
		RedrivePolicy: pulumi.Sprintf(`{"deadLetterTargetArn":%q}`, dlq.Arn),
		Tags:          pulumi.StringMap{"token": pulumi.ToSecret(pulumi.String("hunter2")).(pulumi.StringOutput)},
	}, pulumi.Parent(c), pulumi.Protect(true), pulumi.RetainOnDelete(true), pulumi.IgnoreChanges([]string{"tags"}))
	if err != nil {
		return err
	}
	id, err := aws.GetCallerIdentity(ctx, nil)
	if err != nil {
		return err
	}
	stackref.Export(ctx, "queueUrl", q.Url)
	stackref.Export(ctx, "account", pulumi.String(id.AccountId))
	stackref.Export(ctx, "secret", pulumi.ToSecret(pulumi.String("s3cr3t")))
	return nil
}

func TestRunRecordsRegistrations(t *testing.T) {
	p, err := plan.Run(plan.Options{Project: "orders", Stack: "dev", Region: "eu-central-1", Account: "222222222222"}, program)
	require.NoError(t, err)
	assert.Equal(t, 1, p.Version)
	require.Len(t, p.Resources, 3)

	comp, err := p.Get("test:index:Parent", "orders")
	require.NoError(t, err)
	assert.False(t, comp.Custom)
	assert.Empty(t, comp.Parent, "top-level resources have no parent in a plan")

	q, err := p.Get("aws:sqs/queue:Queue", "orders-queue")
	require.NoError(t, err)
	assert.Equal(t, comp.URN, q.Parent)
	assert.True(t, q.Custom)
	assert.True(t, q.Protect)
	assert.True(t, q.RetainOnDelete)
	assert.Equal(t, []string{"tags"}, q.IgnoreChanges)
	assert.Equal(t, "arn:aws:sqs:eu-central-1:222222222222:acme-dev-orders", q.Outputs["arn"])
	assert.Equal(t, "https://sqs.eu-central-1.amazonaws.com/222222222222/acme-dev-orders", q.Outputs["url"])
	assert.Equal(t, `{"deadLetterTargetArn":"arn:aws:sqs:eu-central-1:222222222222:acme-dev-orders-dlq"}`, q.Inputs["redrivePolicy"])
	assert.Equal(t, map[string]any{"token": plan.Secret}, q.Inputs["tags"])
	dlq, err := p.Get("aws:sqs/queue:Queue", "orders-dlq")
	require.NoError(t, err)
	assert.Contains(t, q.Dependencies, dlq.URN)

	assert.Equal(t, map[string]any{
		"queueUrl": "https://sqs.eu-central-1.amazonaws.com/222222222222/acme-dev-orders",
		"account":  "222222222222",
		"secret":   plan.Secret,
	}, p.Outputs)
}

func TestJSONIsStable(t *testing.T) {
	var first []byte
	for range 3 {
		p, err := plan.Run(plan.Options{Project: "orders", Stack: "dev"}, program)
		require.NoError(t, err)
		b, err := p.JSON()
		require.NoError(t, err)
		if first == nil {
			first = b
			continue
		}
		assert.Equal(t, string(first), string(b))
	}
	parsed, err := plan.Parse(first)
	require.NoError(t, err)
	assert.Len(t, parsed.Resources, 3)
	for _, key := range []string{`"version": 1`, `"project": "orders"`, `"stack": "dev"`, `"findings": []`, `"deleteBeforeReplace": false`} {
		assert.Contains(t, string(first), key)
	}
}

func TestText(t *testing.T) {
	p, err := plan.Run(plan.Options{Project: "orders", Stack: "dev"}, program)
	require.NoError(t, err)
	text := p.Text()
	assert.True(t, strings.HasPrefix(text, "Plan orders/dev: 3 resources\n"), text)
	assert.Contains(t, text, "└─ test:index:Parent orders\n")
	assert.Contains(t, text, "   ├─ aws:sqs/queue:Queue orders-dlq  name=acme-dev-orders-dlq\n")
	assert.Contains(t, text, "   └─ aws:sqs/queue:Queue orders-queue  name=acme-dev-orders protect retainOnDelete\n")
	assert.Contains(t, text, "     2  aws:sqs/queue:Queue\n")
	assert.Contains(t, text, "  secret = [secret]\n")
	assert.Contains(t, text, "Findings: none\n")
}

func TestUnknownInvokeFails(t *testing.T) {
	_, err := plan.Run(plan.Options{Project: "p", Stack: "dev"}, func(ctx *pulumi.Context) error {
		_, err := aws.GetAvailabilityZones(ctx, nil)
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no offline answer for invoke aws:index/getAvailabilityZones:getAvailabilityZones")
}

func TestStackReference(t *testing.T) {
	ref := func(name string) (map[string]any, error) {
		return map[string]any{"topicArn": "arn:aws:sns:eu-west-1:111111111111:t"}, nil
	}
	p, err := plan.Run(plan.Options{Project: "p", Stack: "dev", Reference: ref}, func(ctx *pulumi.Context) error {
		r, err := pulumi.NewStackReference(ctx, "organization/platform/dev", nil)
		if err != nil {
			return err
		}
		stackref.Export(ctx, "topic", r.GetStringOutput(pulumi.String("topicArn")))
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, "arn:aws:sns:eu-west-1:111111111111:t", p.Outputs["topic"])

	_, err = plan.Run(plan.Options{Project: "p", Stack: "dev"}, func(ctx *pulumi.Context) error {
		_, err := pulumi.NewStackReference(ctx, "organization/platform/dev", nil)
		return err
	})
	assert.ErrorContains(t, err, `stack reference "organization/platform/dev" cannot be resolved offline`)
}

func TestProgramErrorIsReturned(t *testing.T) {
	_, err := plan.Run(plan.Options{Project: "p", Stack: "dev"}, func(*pulumi.Context) error {
		return assert.AnError
	})
	assert.ErrorIs(t, err, assert.AnError)
	_, err = plan.Run(plan.Options{}, program)
	assert.EqualError(t, err, "plan: project and stack are required")
}
