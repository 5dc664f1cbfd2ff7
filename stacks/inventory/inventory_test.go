package inventory_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/stacks/inventory"
	"github.com/stratum-platform/stratum/stacks/inventory/contract"
)

func TestGolden(t *testing.T) {
	var plans []*plan.Plan
	for _, env := range []string{"dev", "prod"} {
		p := plantest.ProjectPlan(t, ".", env, inventory.Program)
		plans = append(plans, p)
		t.Run(env, func(t *testing.T) {
			plantest.Golden(t, "testdata/"+env+".plan.json", p)
		})
	}
	plantest.TableLock(t, ".", plans...)
}

// TestFunctionPermissions pins each function's role to exactly what its handler calls.
func TestFunctionPermissions(t *testing.T) {
	p := plantest.ProjectPlan(t, ".", "dev", inventory.Program)
	const (
		arn       = "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-inventory-"
		accounts  = arn + "tenant-accounts"
		resources = arn + "tenant-resources"
		topic     = "arn:aws:sns:eu-west-1:111111111111:acme-dev-inventory-events"
		// The accounts context's functions, as its golden plan exports them.
		connection = "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-accounts-connection:live"
		claim      = "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-accounts-claim:live"
	)
	key := plantest.ARN(t, p, "aws:kms/key:Key", "key")
	failures := plantest.ARN(t, p, "aws:sqs/queue:Queue", "failures")
	inbox := plantest.ARN(t, p, "aws:sqs/queue:Queue", "inbox")
	jobs := plantest.ARN(t, p, "aws:sqs/queue:Queue", "scan-jobs")
	decrypt := map[string][]string{"kms:Decrypt": {key}}
	writeKey := map[string][]string{"kms:Decrypt": {key}, "kms:Encrypt": {key}, "kms:GenerateDataKey": {key}}
	consume := func(q string) map[string][]string {
		return map[string][]string{"sqs:ChangeMessageVisibility": {q}, "sqs:DeleteMessage": {q},
			"sqs:GetQueueAttributes": {q}, "sqs:ReceiveMessage": {q}}
	}
	for name, want := range map[string]map[string][]string{
		"ingest": function.Union(writeKey, consume(inbox), map[string][]string{
			"dynamodb:PutItem": {accounts}, "dynamodb:Query": {accounts + "/index/byAccountId", resources},
			"dynamodb:BatchWriteItem": {resources},
		}),
		"dispatch": function.Union(decrypt, map[string][]string{
			"dynamodb:Scan": {accounts}, "sqs:SendMessage": {jobs}, "kms:GenerateDataKey": {key},
		}),
		"scan": function.Union(writeKey, consume(jobs), map[string][]string{
			"dynamodb:ConditionCheckItem": {accounts},
			"dynamodb:Query":              {resources}, "dynamodb:PutItem": {resources}, "dynamodb:DeleteItem": {resources},
			"lambda:InvokeFunction": {claim, connection},
			"sts:AssumeRole":        {"arn:aws:iam::*:role/stratum-dev-inventory-reader"},
			"sts:SetSourceIdentity": {"arn:aws:iam::*:role/stratum-dev-inventory-reader"},
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

// TestReaderRoleIsPerEnvironment checks that prod's scan may assume only prod's reader role.
func TestReaderRoleIsPerEnvironment(t *testing.T) {
	perms, err := function.Permissions(plantest.ProjectPlan(t, ".", "prod", inventory.Program), "scan")
	require.NoError(t, err)
	assert.Equal(t, []string{"arn:aws:iam::*:role/stratum-prod-inventory-reader"}, perms["sts:AssumeRole"])
}

// TestIntegrations checks the ways inventory talks to accounts (its queue subscribed to the
// accounts topic, the direct invocations granted above) and the fan-out of the hourly scan:
// the schedule starts the dispatch, whose queue the scan consumes one job at a time.
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
	assert.Equal(t, "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-inventory-dispatch:live",
		sch.Inputs["target"].(map[string]any)["arn"])

	m, err := p.Get("aws:lambda/eventSourceMapping:EventSourceMapping", "scan-jobs-scan")
	require.NoError(t, err)
	assert.Equal(t, plantest.ARN(t, p, "aws:sqs/queue:Queue", "scan-jobs"), m.Inputs["eventSourceArn"])
	assert.EqualValues(t, 1, m.Inputs["batchSize"], "one account per invocation: its own time budget")
	assert.Equal(t, []any{"ReportBatchItemFailures"}, m.Inputs["functionResponseTypes"])
	_, err = p.Get("aws:sqs/queue:Queue", "scan-jobs-dlq")
	require.NoError(t, err, "the scan queue has a dead-letter queue")

	for name, keys := range map[string][]any{
		"tenant-accounts":  {"tenantId", "accountId"},
		"tenant-resources": {"accountKey", "resourceArn"},
	} {
		table, err := p.Get("aws:dynamodb/table:Table", name)
		require.NoError(t, err)
		assert.Equal(t, keys, []any{table.Inputs["hashKey"], table.Inputs["rangeKey"]}, "%s is keyed by tenant", name)
	}
	table, err := p.Get("aws:dynamodb/table:Table", "tenant-accounts")
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"attributeName": "expiresAt", "enabled": true}, table.Inputs["ttl"])
	assert.Equal(t, "arn:aws:iam::111111111111:role/acme-dev-inventory-scan", p.Outputs[contract.ScanRoleArn.Name()])
}
