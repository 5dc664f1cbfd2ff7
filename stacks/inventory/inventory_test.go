package inventory_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/stacks/inventory"
)

func TestGolden(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			plantest.Golden(t, "testdata/"+env+".plan.json", plantest.ProjectPlan(t, ".", env, inventory.Program))
		})
	}
}

// TestFunctionPermissions pins each function's role to exactly what its handler calls.
func TestFunctionPermissions(t *testing.T) {
	p := plantest.ProjectPlan(t, ".", "dev", inventory.Program)
	const (
		arn       = "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-inventory-"
		accounts  = arn + "accounts"
		resources = arn + "resources"
		topic     = "arn:aws:sns:eu-west-1:111111111111:acme-dev-inventory-events"
		// The accounts context's connection function, as its golden plan exports it.
		connection = "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-accounts-connection:live"
	)
	key := plantest.ARN(t, p, "aws:kms/key:Key", "key")
	failures := plantest.ARN(t, p, "aws:sqs/queue:Queue", "failures")
	inbox := plantest.ARN(t, p, "aws:sqs/queue:Queue", "inbox")
	decrypt := map[string][]string{"kms:Decrypt": {key}}
	writeKey := map[string][]string{"kms:Decrypt": {key}, "kms:Encrypt": {key}, "kms:GenerateDataKey": {key}}
	for name, want := range map[string]map[string][]string{
		"ingest": function.Union(writeKey, map[string][]string{
			"dynamodb:PutItem": {accounts}, "dynamodb:Query": {resources}, "dynamodb:BatchWriteItem": {resources},
			// what the inbox's event source mapping needs
			"sqs:ChangeMessageVisibility": {inbox}, "sqs:DeleteMessage": {inbox},
			"sqs:GetQueueAttributes": {inbox}, "sqs:ReceiveMessage": {inbox},
		}),
		"scan": function.Union(writeKey, map[string][]string{
			"dynamodb:Scan": {accounts}, "dynamodb:Query": {resources}, "dynamodb:BatchWriteItem": {resources},
			"lambda:InvokeFunction": {connection},
			"sts:AssumeRole":        {"arn:aws:iam::*:role/stratum-inventory-reader"},
			"sns:Publish":           {topic},
		}),
		"api": function.Union(decrypt, map[string][]string{"dynamodb:GetItem": {accounts}, "dynamodb:Query": {resources}}),
	} {
		t.Run(name, func(t *testing.T) {
			perms, err := function.Permissions(p, name)
			require.NoError(t, err)
			logGroup := "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/acme-dev-inventory-" + name + ":*"
			assert.Equal(t, function.Union(want, map[string][]string{
				"logs:CreateLogStream": {logGroup}, "logs:PutLogEvents": {logGroup},
				"xray:PutTelemetryRecords": {"*"}, "xray:PutTraceSegments": {"*"},
				"sqs:SendMessage": {failures}, "kms:GenerateDataKey": {key},
			}), perms)
		})
	}
}

// TestIntegrations checks the three ways inventory talks to accounts: its queue subscribed to
// the accounts topic, the direct invocation granted above, and the hourly schedule.
func TestIntegrations(t *testing.T) {
	p := plantest.ProjectPlan(t, ".", "dev", inventory.Program)
	sub, err := p.Get("aws:sns/topicSubscription:TopicSubscription", "inbox-accounts")
	require.NoError(t, err)
	assert.Equal(t, "arn:aws:sns:eu-west-1:111111111111:acme-dev-accounts-events", sub.Inputs["topic"])
	assert.Equal(t, `{"type":["AccountConnected","AccountDisconnected"]}`, sub.Inputs["filterPolicy"])
	assert.Equal(t, plantest.ARN(t, p, "aws:sqs/queue:Queue", "inbox"), sub.Inputs["endpoint"])

	sch, err := p.Get("aws:scheduler/schedule:Schedule", "scan-hourly")
	require.NoError(t, err)
	assert.Equal(t, "rate(1 hour)", sch.Inputs["scheduleExpression"])
	assert.Equal(t, "UTC", sch.Inputs["scheduleExpressionTimezone"])

	table, err := p.Get("aws:dynamodb/table:Table", "accounts")
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"attributeName": "expiresAt", "enabled": true}, table.Inputs["ttl"])
}
