package queue_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
)

const (
	queueType    = "aws:sqs/queue:Queue"
	policyType   = "aws:sqs/queuePolicy:QueuePolicy"
	redriveType  = "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy"
	alarmType    = "aws:cloudwatch/metricAlarm:MetricAlarm"
	mappingType  = "aws:lambda/eventSourceMapping:EventSourceMapping"
	rolePolType  = "aws:iam/rolePolicy:RolePolicy"
	account      = "111111111111"
	arnPrefix    = "arn:aws:sqs:eu-west-1:" + account + ":"
	urlPrefix    = "https://sqs.eu-west-1.amazonaws.com/" + account + "/"
	topicArn     = "arn:aws:sns:eu-west-1:" + account + ":acme-dev-orders-events"
	otherTopic   = "arn:aws:sns:eu-west-1:" + account + ":acme-dev-orders-audit"
	alarmTopic   = "arn:aws:sns:eu-west-1:111111111111:acme-dev-platform-alarms"
	scopeKeyArn  = "arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-000000000001"
	deliverySid  = "AllowTopicsToDeliver"
	secureSidMsg = "DenyInsecureMessaging"
)

// get returns the one resource of typ named name, failing the test otherwise.
func get(t *testing.T, p *plan.Plan, typ, name string) plan.Resource {
	t.Helper()
	r, err := p.Get(typ, name)
	require.NoError(t, err)
	return r
}

// children lists "type name" of every child of urn, sorted.
func children(p *plan.Plan, urn string) []string {
	var out []string
	for _, r := range p.Children(urn) {
		out = append(out, r.Type+" "+r.Name)
	}
	slices.Sort(out)
	return out
}

// parsePolicy parses the JSON policy held in the input key of r.
func parsePolicy(t *testing.T, r plan.Resource, key string) iam.Parsed {
	t.Helper()
	doc := r.String(key)
	require.NotEmpty(t, doc, "%s has no %s", r.Name, key)
	parsed, err := iam.Parse(doc)
	require.NoError(t, err)
	return parsed
}

// parseOutput parses the policy document exported as the stack output name.
func parseOutput(t *testing.T, p *plan.Plan, name string) iam.Parsed {
	t.Helper()
	doc, ok := p.Outputs[name].(string)
	require.True(t, ok, "output %s is %T", name, p.Outputs[name])
	parsed, err := iam.Parse(doc)
	require.NoError(t, err)
	return parsed
}

// decode unmarshals the JSON string held in the input key of r.
func decode(t *testing.T, r plan.Resource, key string) map[string]any {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.String(key)), &v))
	return v
}

// tlsOnly is the expected TLS-only part of a queue policy for the queue arn.
func tlsOnly(arn string) []iam.ParsedStatement {
	deny := func(sid string, actions ...string) iam.ParsedStatement {
		return iam.ParsedStatement{
			Sid: sid, Effect: "Deny",
			Principal: map[string][]string{"AWS": {"*"}},
			Action:    actions,
			Resource:  []string{arn},
			Condition: map[string]map[string][]string{"Bool": {"aws:SecureTransport": {"false"}}},
		}
	}
	return []iam.ParsedStatement{
		deny(secureSidMsg, "sqs:CancelMessageMoveTask", "sqs:ChangeMessageVisibility", "sqs:DeleteMessage",
			"sqs:PurgeQueue", "sqs:ReceiveMessage", "sqs:SendMessage", "sqs:StartMessageMoveTask"),
		deny("DenyInsecureReading", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
			"sqs:ListDeadLetterSourceQueues", "sqs:ListMessageMoveTasks", "sqs:ListQueueTags"),
		deny("DenyInsecureAdministration", "sqs:AddPermission", "sqs:DeleteQueue", "sqs:RemovePermission",
			"sqs:SetQueueAttributes", "sqs:TagQueue", "sqs:UntagQueue"),
	}
}

// delivery is the expected statement letting SNS deliver from topics to the queue arn.
func delivery(arn string, topics ...string) iam.ParsedStatement {
	return iam.ParsedStatement{
		Sid: deliverySid, Effect: "Allow",
		Principal: map[string][]string{"Service": {"sns.amazonaws.com"}},
		Action:    []string{"sqs:SendMessage"},
		Resource:  []string{arn},
		Condition: map[string]map[string][]string{"ArnEquals": {"aws:SourceArn": topics}},
	}
}
