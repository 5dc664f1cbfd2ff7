package policy_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
)

const (
	platformKey = "arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-0000000000aa"
	destination = "arn:aws:logs:eu-west-1:111111111111:destination:acme-dev-platform-logs"
	archive     = "acme-dev-platform-log-archive-111111111111-eu-west-1"
)

// platformPlan is a plan of the platform project with rs and the platform's outputs.
func platformPlan(rs ...plan.Resource) *plan.Plan {
	p := newPlan(rs)
	p.Project = "platform"
	p.Outputs = map[string]any{"platformKeyArn": platformKey, "logDestinationArn": destination}
	return p
}

func trail(name string) plan.Resource {
	r := res("awsx:cloudtrail:Trail", name, map[string]any{"name": "acme-dev-platform-" + name, "isMultiRegionTrail": true,
		"enableLogFileValidation": true, "kmsKeyId": platformKey, "s3Bucket": map[string]any{}}, nil)
	r.URN = "urn:pulumi:dev::platform::awsx:cloudtrail:Trail::" + name
	return r
}

func TestAuditTrail(t *testing.T) {
	audit := trail("audit")
	const id = "audit-trail"
	cases := []struct {
		name string
		p    *plan.Plan
		want []policy.Violation
	}{
		{"one trail", platformPlan(audit), nil},
		{"no trail", platformPlan(), []policy.Violation{{URN: "urn:pulumi:dev::platform::pulumi:pulumi:Stack::platform-dev",
			Message: "the platform plan has no CloudTrail trail: every environment has exactly one, multi-region, with log file validation, encrypted with the platform key"}}},
		{"two trails", platformPlan(audit, trail("more")), []policy.Violation{{URN: trail("more").URN,
			Message: "a second trail (the first is " + audit.URN + "): every environment has exactly one; remove it"}}},
		{"one region, no validation, another key", platformPlan(with(audit, map[string]any{"isMultiRegionTrail": false,
			"enableLogFileValidation": nil, "kmsKeyId": keyArn})), []policy.Violation{
			{URN: audit.URN, Message: "isMultiRegionTrail is not true: the trail misses what happens in the other regions; set it to true"},
			{URN: audit.URN, Message: "enableLogFileValidation is not true: nothing proves that a log file was not changed or deleted; set it to true"},
			{URN: audit.URN, Message: "kmsKeyId is " + keyArn + "; use the platform key " + platformKey + " (output platformKeyArn)"},
		}},
		{"unencrypted", platformPlan(with(audit, map[string]any{"kmsKeyId": nil})), []policy.Violation{{URN: audit.URN,
			Message: "kmsKeyId is not set: the log files are encrypted with S3's key only; set it to the platform key"}}},
		{"a context's trail", newPlan(one(audit)), []policy.Violation{{URN: audit.URN, Message: "a trail outside the platform " +
			"project: each environment has one trail, the platform stack's, which records every context; remove this one"}}},
		{"a context without one", newPlan(), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, checkPlan(t, id, tc.p)) })
	}
}

// platformLogReference is a context's stack reference to the platform stack.
func platformLogReference() plan.Resource {
	return res("pulumi:pulumi:StackReference", "organization/platform/dev", map[string]any{"name": "organization/platform/dev"},
		map[string]any{"outputs": map[string]any{"logDestinationArn": destination, "platformKeyArn": platformKey}})
}

func TestLogSubscription(t *testing.T) {
	group := res("aws:cloudwatch/logGroup:LogGroup", "api-logs", map[string]any{"name": "/aws/lambda/acme-dev-orders-api"}, nil)
	filter := res("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", "api-logs-subscription", map[string]any{
		"name": "platform-logs", "logGroup": "/aws/lambda/acme-dev-orders-api", "filterPattern": "", "destinationArn": destination}, nil)
	missing := []policy.Violation{{URN: group.URN, Message: "log group /aws/lambda/acme-dev-orders-api has no subscription filter " +
		"that sends every event (filterPattern \"\") to the platform's log destination " + destination + "; create the log " +
		"group with a component, which subscribes it (scope.Scope.SubscribeLogs)"}}
	runCases(t, "log-subscription", []ruleCase{
		{"subscribed", [][]plan.Resource{{platformLogReference(), group, filter}}, nil},
		{"no platform to subscribe to", [][]plan.Resource{{group}}, nil},
		{"not subscribed", [][]plan.Resource{{platformLogReference(), group}}, missing},
		{"filtered", [][]plan.Resource{{platformLogReference(), group, with(filter, map[string]any{"filterPattern": "ERROR"})}}, missing},
		{"elsewhere", [][]plan.Resource{{platformLogReference(), group, with(filter, map[string]any{"destinationArn": "arn:aws:logs:eu-west-1:222222222222:destination:x"})}}, missing},
	})
}

func TestLogPipelineEncryption(t *testing.T) {
	stream := res("aws:kinesis/stream:Stream", "logs", map[string]any{"name": "acme-dev-platform-logs",
		"encryptionType": "KMS", "kmsKeyId": platformKey}, nil)
	delivery := res("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "logs-archive", map[string]any{
		"destination": "extended_s3", "extendedS3Configuration": map[string]any{"bucketArn": "arn:aws:s3:::" + archive, "kmsKeyArn": platformKey}}, nil)
	encryption := func(key string) plan.Resource {
		return res("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "log-archive-encryption",
			map[string]any{"bucket": archive, "rules": []any{map[string]any{"applyServerSideEncryptionByDefault": map[string]any{
				"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key}}}}, nil)
	}
	domain := res("aws:opensearch/domain:Domain", "logs", map[string]any{
		"encryptAtRest": map[string]any{"enabled": true, "kmsKeyId": platformKey}, "nodeToNodeEncryption": map[string]any{"enabled": true},
		"advancedSecurityOptions": map[string]any{"enabled": true}}, nil)
	const id = "log-pipeline-encryption"
	cases := []struct {
		name string
		p    *plan.Plan
		want []policy.Violation
	}{
		{"the platform key throughout", platformPlan(stream, delivery, encryption(platformKey), domain), nil},
		{"an unencrypted stream", platformPlan(with(stream, map[string]any{"encryptionType": "NONE"}), delivery, encryption(platformKey)),
			[]policy.Violation{{URN: stream.URN, Message: `encryptionType is "NONE": the records are not encrypted; set it to "KMS" with the platform key`}}},
		{"the AWS managed key", platformPlan(with(stream, map[string]any{"kmsKeyId": "alias/aws/kinesis"})),
			[]policy.Violation{{URN: stream.URN, Message: "kmsKeyId is the AWS managed key alias/aws/kinesis; use the platform key"}}},
		{"a context's key", platformPlan(stream, with(delivery, map[string]any{"extendedS3Configuration": map[string]any{
			"bucketArn": "arn:aws:s3:::" + archive, "kmsKeyArn": keyArn}}), encryption(keyArn)), []policy.Violation{
			{URN: delivery.URN, Message: "extendedS3Configuration.kmsKeyArn is " + keyArn + "; use the platform key " + platformKey + " (output platformKeyArn)"},
			{URN: delivery.URN, Message: "the archive " + archive + "'s default encryption key is " + keyArn + "; use the platform key " + platformKey + " (output platformKeyArn)"},
		}},
		{"an archive without default encryption", platformPlan(delivery), []policy.Violation{{URN: delivery.URN,
			Message: "the archive " + archive + " has no default encryption in the plan; encrypt it with the platform key"}}},
		{"an open domain", platformPlan(with(domain, map[string]any{"encryptAtRest": nil, "nodeToNodeEncryption": nil,
			"advancedSecurityOptions": nil})), []policy.Violation{
			{URN: domain.URN, Message: "encryptAtRest.enabled is not true: the indices are not encrypted; enable it with the platform key"},
			{URN: domain.URN, Message: "nodeToNodeEncryption.enabled is not true: the nodes exchange the logs in clear; set it to true"},
			{URN: domain.URN, Message: "advancedSecurityOptions.enabled is not true: anyone the access policy lets in reads every index; turn fine-grained access control on"},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, checkPlan(t, id, tc.p)) })
	}
}

// TestAlarmActionsOfTheBillingRegion: the platform's alarms in us-east-1 notify its alarm
// topic there (CloudWatch notifies only its own region's topics); any other alarm notifies
// the platform alarm topic.
func TestAlarmActionsOfTheBillingRegion(t *testing.T) {
	const billingTopic = "arn:aws:sns:us-east-1:111111111111:acme-dev-platform-billing-alarms"
	billing := func(region, topic string) plan.Resource {
		a := alarm("billing", map[string]any{"Currency": "USD"})
		a.Inputs["alarmActions"], a.Inputs["okActions"] = []any{topic}, []any{topic}
		a.Outputs = map[string]any{"arn": "arn:aws:cloudwatch:" + region + ":111111111111:alarm:acme-dev-platform-billing"}
		return a
	}
	p := func(a plan.Resource) *plan.Plan {
		pl := platformPlan(a)
		pl.Outputs["alarmTopicArn"], pl.Outputs["billingAlarmTopicArn"] = alarmTopic, billingTopic
		return pl
	}
	assert.Empty(t, checkPlan(t, "alarm-actions", p(billing("us-east-1", billingTopic))))
	a := billing("eu-west-1", billingTopic)
	assert.Equal(t, []policy.Violation{
		{URN: a.URN, Message: "alarmActions has " + billingTopic + "; every alarm notifies " + alarmTopic + " (the platform alarm topic, output alarmTopicArn) and nothing else"},
		{URN: a.URN, Message: "okActions has " + billingTopic + "; every alarm notifies " + alarmTopic + " (the platform alarm topic, output alarmTopicArn) and nothing else"},
	}, checkPlan(t, "alarm-actions", p(a)))
	wrong := billing("us-east-1", alarmTopic)
	assert.Len(t, checkPlan(t, "alarm-actions", p(wrong)), 2, "a us-east-1 alarm cannot notify a topic of another region")
}

// TestAuditTrailOfAWSX: awsx's Trail and the aws trail it registers are one trail.
func TestAuditTrailOfAWSX(t *testing.T) {
	component := with(trail("audit"), map[string]any{"isMultiRegionTrail": nil, "enableLogFileValidation": nil, "kmsKeyId": nil})
	child := with(trail("audit"), nil)
	child.Type = "aws:cloudtrail/trail:Trail"
	child.URN, child.Parent = "urn:pulumi:dev::platform::awsx:cloudtrail:Trail$aws:cloudtrail/trail:Trail::audit", component.URN
	assert.Empty(t, checkPlan(t, "audit-trail", platformPlan(component, child)), "the engine records no inputs of a remote component")
	assert.Len(t, checkPlan(t, "audit-trail", platformPlan(component, with(child, map[string]any{"kmsKeyId": nil}))), 1,
		"the child's settings are checked")
	other := res("aws:cloudtrail/trail:Trail", "other", map[string]any{"isMultiRegionTrail": true,
		"enableLogFileValidation": true, "kmsKeyId": platformKey}, nil)
	assert.Len(t, checkPlan(t, "audit-trail", platformPlan(component, child, other)), 1, "a trail of its own is a second one")
}
