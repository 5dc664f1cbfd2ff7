package topic_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
)

const (
	topicType      = "aws:sns/topic:Topic"
	topicPolType   = "aws:sns/topicPolicy:TopicPolicy"
	subType        = "aws:sns/topicSubscription:TopicSubscription"
	queueType      = "aws:sqs/queue:Queue"
	queuePolType   = "aws:sqs/queuePolicy:QueuePolicy"
	permissionType = "aws:lambda/permission:Permission"
	alarmType      = "aws:cloudwatch/metricAlarm:MetricAlarm"
	sqsArnPrefix   = "arn:aws:sqs:eu-west-1:111111111111:"
	topicArn       = "arn:aws:sns:eu-west-1:111111111111:acme-dev-orders-events"
	otherTopicArn  = "arn:aws:sns:eu-west-1:111111111111:acme-dev-orders-other"
	queueArn       = sqsArnPrefix + "acme-dev-orders-billing"
	aliasArn       = "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-orders-notify:live"
	scopeKeyArn    = "arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-000000000001"
	alarmTopic     = "arn:aws:sns:eu-west-1:111111111111:acme-dev-platform-alarms"
	partnerRole    = "arn:aws:iam::222222222222:role/partner-publisher"
	auditRole      = "arn:aws:iam::111111111111:role/audit"
)

func get(t *testing.T, p *plan.Plan, typ, name string) plan.Resource {
	t.Helper()
	r, err := p.Get(typ, name)
	require.NoError(t, err)
	return r
}

func children(p *plan.Plan, urn string) []string {
	var out []string
	for _, r := range p.Children(urn) {
		out = append(out, r.Type+" "+r.Name)
	}
	slices.Sort(out)
	return out
}

func parsePolicy(t *testing.T, r plan.Resource, key string) iam.Parsed {
	t.Helper()
	parsed, err := iam.Parse(r.String(key))
	require.NoError(t, err, "%s %s", r.Name, key)
	return parsed
}

func parseOutput(t *testing.T, p *plan.Plan, name string) iam.Parsed {
	t.Helper()
	doc, ok := p.Outputs[name].(string)
	require.True(t, ok, "output %s is %T", name, p.Outputs[name])
	parsed, err := iam.Parse(doc)
	require.NoError(t, err)
	return parsed
}

func decode(t *testing.T, r plan.Resource, key string) map[string]any {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.String(key)), &v), "%s %s", r.Name, key)
	return v
}

// withoutFunctions drops the function's own resources: they belong to its golden file.
func withoutFunctions(p *plan.Plan) *plan.Plan {
	kept := p.Resources[:0]
	for _, r := range p.Resources {
		if !strings.Contains(r.URN, "stratum:function:Function") {
			kept = append(kept, r)
		}
	}
	p.Resources = kept
	return p
}

// topicTLSOnly is the expected TLS-only statement of the topic policy.
func topicTLSOnly(arn string) iam.ParsedStatement {
	return iam.ParsedStatement{
		Sid: "DenyInsecureTransport", Effect: "Deny",
		Principal: map[string][]string{"AWS": {"*"}},
		Action: []string{"sns:AddPermission", "sns:DeleteTopic", "sns:GetDataProtectionPolicy",
			"sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource", "sns:Publish",
			"sns:PutDataProtectionPolicy", "sns:RemovePermission", "sns:SetTopicAttributes", "sns:Subscribe"},
		Resource:  []string{arn},
		Condition: map[string]map[string][]string{"Bool": {"aws:SecureTransport": {"false"}}},
	}
}

// producersOnly is the statement that denies publishing to every principal but the context's
// roles (acme-dev-orders-*) and the named publishers.
func producersOnly(arn string, publishers ...string) iam.ParsedStatement {
	allowed := append([]string{"arn:aws:iam::111111111111:role/acme-dev-orders-*"}, publishers...)
	slices.Sort(allowed)
	return iam.ParsedStatement{
		Sid: "DenyPublishOutsideProducers", Effect: "Deny",
		Principal: map[string][]string{"AWS": {"*"}},
		Action:    []string{"sns:Publish"},
		Resource:  []string{arn},
		Condition: map[string]map[string][]string{
			"ArnNotLike": {"aws:PrincipalArn": allowed},
			"Bool":       {"aws:PrincipalIsAWSService": {"false"}},
		},
	}
}

// queuePolicy is the expected policy of a queue that the topics may deliver to.
func queuePolicy(arn string, topics ...string) iam.Parsed {
	deny := func(sid string, actions ...string) iam.ParsedStatement {
		return iam.ParsedStatement{
			Sid: sid, Effect: "Deny", Principal: map[string][]string{"AWS": {"*"}}, Action: actions,
			Resource:  []string{arn},
			Condition: map[string]map[string][]string{"Bool": {"aws:SecureTransport": {"false"}}},
		}
	}
	return iam.Parsed{Version: iam.Version, Statement: []iam.ParsedStatement{
		deny("DenyInsecureMessaging", "sqs:CancelMessageMoveTask", "sqs:ChangeMessageVisibility", "sqs:DeleteMessage",
			"sqs:PurgeQueue", "sqs:ReceiveMessage", "sqs:SendMessage", "sqs:StartMessageMoveTask"),
		deny("DenyInsecureReading", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
			"sqs:ListDeadLetterSourceQueues", "sqs:ListMessageMoveTasks", "sqs:ListQueueTags"),
		deny("DenyInsecureAdministration", "sqs:AddPermission", "sqs:DeleteQueue", "sqs:RemovePermission",
			"sqs:SetQueueAttributes", "sqs:TagQueue", "sqs:UntagQueue"),
		{
			Sid: "AllowTopicsToDeliver", Effect: "Allow",
			Principal: map[string][]string{"Service": {"sns.amazonaws.com"}},
			Action:    []string{"sqs:SendMessage"},
			Resource:  []string{arn},
			Condition: map[string]map[string][]string{"ArnEquals": {"aws:SourceArn": topics}},
		},
	}}
}
