package platform_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/stacks/platform"
)

func get(t *testing.T, p *plan.Plan, typ, name string) plan.Resource {
	t.Helper()
	r, err := p.Get(typ, name)
	require.NoError(t, err)
	return r
}

// TestAuditTrail: awsx registers its Trail as one resource under the mocks, so its inputs
// are what is checked; the bucket is Stratum's own, and its policy is written after awsx's.
func TestAuditTrail(t *testing.T) {
	p := plantest.ProjectPlan(t, root, "dev", platform.Program)
	key := get(t, p, "aws:kms/key:Key", "platform")
	trail := get(t, p, "awsx:cloudtrail:Trail", "audit")
	assert.Equal(t, map[string]any{
		"name":                       "acme-dev-platform-audit",
		"isMultiRegionTrail":         true,
		"includeGlobalServiceEvents": true,
		"enableLogFileValidation":    true,
		"enableLogging":              true,
		"kmsKeyId":                   key.Outputs["arn"],
		"s3Bucket":                   map[string]any{"existing": map[string]any{"arn": "arn:aws:s3:::acme-dev-platform-audit-111111111111-eu-west-1"}},
		"tags":                       trail.Inputs["tags"],
	}, trail.Inputs)
	assert.Equal(t, p.Outputs[contract.PlatformKeyArn.Name()], key.Outputs["arn"])

	// The children awsx registers, which the engine's state holds: its bucket policy, then
	// the trail, named as the component.
	awsxPolicy := get(t, p, "aws:s3/bucketPolicy:BucketPolicy", "audit")
	child := get(t, p, "aws:cloudtrail/trail:Trail", "audit")
	assert.Equal(t, trail.URN, awsxPolicy.Parent)
	assert.Equal(t, trail.URN, child.Parent)
	assert.Equal(t, []string{awsxPolicy.URN}, child.Dependencies)
	assert.Equal(t, "acme-dev-platform-audit-111111111111-eu-west-1", child.Inputs["s3BucketName"])
	assert.Equal(t, key.Outputs["arn"], child.Inputs["kmsKeyId"])

	policy := get(t, p, "aws:s3/bucketPolicy:BucketPolicy", "audit-policy")
	assert.Contains(t, policy.Dependencies, trail.URN, "S3 keeps the policy written last: the bucket's own, after awsx's")
	doc, err := iam.Parse(policy.String("policy"))
	require.NoError(t, err)
	var sids []string
	for _, st := range doc.Statement {
		sids = append(sids, st.Sid)
		if st.Effect == "Allow" {
			assert.Equal(t, []string{"cloudtrail.amazonaws.com"}, st.Principal["Service"], st.Sid)
			assert.Equal(t, []string{"arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-dev-platform-audit"},
				st.Condition["ArnLike"]["aws:SourceArn"], st.Sid)
		}
	}
	assert.Equal(t, []string{"DenyInsecureTransport", "CloudTrailWrite", "CloudTrailAclCheck"}, sids)

	lifecycle := get(t, p, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "audit-lifecycle")
	rule := lifecycle.Inputs["rules"].([]any)[0].(map[string]any)
	assert.Equal(t, []any{map[string]any{"days": float64(90), "storageClass": "GLACIER"}}, normalise(t, rule["transitions"]))
	assert.Equal(t, map[string]any{"days": float64(2555)}, normalise(t, rule["expiration"]))

	prod := plantest.ProjectPlan(t, root, "prod", platform.Program)
	for _, typ := range []string{"awsx:cloudtrail:Trail", "aws:s3/bucketV2:BucketV2"} {
		r := get(t, prod, typ, "audit")
		assert.True(t, r.Protect && r.RetainOnDelete, "%s is protected and retained in prod", typ)
	}
}

// normalise turns numbers into float64, as JSON does.
func normalise(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

func TestLogPipeline(t *testing.T) {
	p := plantest.ProjectPlan(t, root, "dev", platform.Program)
	key := get(t, p, "aws:kms/key:Key", "platform").Outputs["arn"]
	stream := get(t, p, "aws:kinesis/stream:Stream", "logs")
	assert.Equal(t, map[string]any{"streamMode": "ON_DEMAND"}, stream.Inputs["streamModeDetails"])
	assert.Equal(t, "KMS", stream.Inputs["encryptionType"])
	assert.Equal(t, key, stream.Inputs["kmsKeyId"])

	dest := get(t, p, "aws:cloudwatch/logDestination:LogDestination", "logs")
	assert.Equal(t, stream.Outputs["arn"], dest.Inputs["targetArn"])
	assert.Equal(t, dest.Outputs["arn"], p.Outputs[contract.LogDestinationArn.Name()])
	role := get(t, p, "aws:iam/role:Role", "logs-destination")
	assert.Equal(t, role.Outputs["arn"], dest.Inputs["roleArn"])
	assert.Equal(t, boundary, role.Inputs["permissionsBoundary"])
	trust, err := iam.Parse(role.String("assumeRolePolicy"))
	require.NoError(t, err)
	require.Len(t, trust.Statement, 1)
	assert.Equal(t, []string{"logs.eu-west-1.amazonaws.com"}, trust.Statement[0].Principal["Service"])
	assert.Equal(t, map[string]map[string][]string{
		"ArnLike":      {"aws:SourceArn": {"arn:aws:logs:eu-west-1:111111111111:*"}},
		"StringEquals": {"aws:SourceAccount": {"111111111111"}},
	}, trust.Statement[0].Condition)
	doc, err := iam.Parse(get(t, p, "aws:iam/rolePolicy:RolePolicy", "logs-destination-policy").String("policy"))
	require.NoError(t, err)
	assert.Equal(t, []string{"kinesis:PutRecord", "kinesis:PutRecords", "kms:GenerateDataKey"}, doc.Actions())

	access, err := iam.Parse(get(t, p, "aws:cloudwatch/logDestinationPolicy:LogDestinationPolicy", "logs").String("accessPolicy"))
	require.NoError(t, err)
	require.Len(t, access.Statement, 1)
	assert.Equal(t, []string{"logs:PutSubscriptionFilter"}, access.Statement[0].Action)
	assert.Equal(t, []string{"111111111111"}, access.Statement[0].Principal["AWS"])

	delivery := get(t, p, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "logs-archive")
	s3 := delivery.Inputs["extendedS3Configuration"].(map[string]any)
	assert.Equal(t, "arn:aws:s3:::acme-dev-platform-log-archive-111111111111-eu-west-1", s3["bucketArn"])
	assert.Equal(t, key, s3["kmsKeyArn"])
	assert.Equal(t, stream.Outputs["arn"], delivery.Inputs["kinesisSourceConfiguration"].(map[string]any)["kinesisStreamArn"])
	get(t, p, "aws:s3/bucketVersioningV2:BucketVersioningV2", "log-archive-versioning")
	assert.Empty(t, p.Find("aws:opensearch/domain:Domain", "logs"), "no search domain unless stratum:logSearch")
}

// TestLogSearch: with stratum:logSearch, an OpenSearch domain encrypted at rest in the
// platform key, node to node, with fine-grained access for the configured administrator.
func TestLogSearch(t *testing.T) {
	raw := platformRaw()
	raw["stratum:logSearch"] = config.Setting{Value: "true"}
	raw["stratum:logSearchAdminArn"] = config.Setting{Value: "arn:aws:iam::111111111111:role/log-admins"}
	p, err := plan.Run(plan.Options{Project: "platform", Stack: "dev", Config: raw, Dir: root}, platform.Program)
	require.NoError(t, err)
	domain := get(t, p, "aws:opensearch/domain:Domain", "logs")
	key := get(t, p, "aws:kms/key:Key", "platform").Outputs["arn"]
	assert.Equal(t, map[string]any{"enabled": true, "kmsKeyId": key}, domain.Inputs["encryptAtRest"])
	assert.Equal(t, map[string]any{"enabled": true}, domain.Inputs["nodeToNodeEncryption"])
	security := domain.Inputs["advancedSecurityOptions"].(map[string]any)
	assert.Equal(t, true, security["enabled"])
	assert.Equal(t, "arn:aws:iam::111111111111:role/log-admins", security["masterUserOptions"].(map[string]any)["masterUserArn"])
}

func platformRaw() config.Raw {
	return config.Raw{
		"aws:region": {Value: "eu-west-1"}, "stratum:org": {Value: "acme"},
		"stratum:owner": {Value: "platform-team"}, "stratum:costCentre": {Value: "cc-1000"},
		"stratum:jwtIssuer": {Value: "https://login.acme.example/dev"}, "stratum:jwtAudiences": {Value: `["api://stratum-dev"]`},
		"stratum:githubRepository": {Value: "acme/stratum"}, "stratum:stateBucket": {Value: "acme-pulumi-state-111111111111"},
		"stratum:stateKeyArn": {Value: stateKey},
	}
}

func TestBillingGuards(t *testing.T) {
	p := plantest.ProjectPlan(t, root, "dev", platform.Program)
	alarm := get(t, p, "aws:cloudwatch/metricAlarm:MetricAlarm", "billing-alarm-charges")
	assert.Equal(t, "arn:aws:cloudwatch:us-east-1:111111111111:alarm:acme-dev-platform-billing", alarm.Outputs["arn"],
		"AWS publishes the billing metrics in us-east-1 only")
	assert.Equal(t, "AWS/Billing", alarm.Inputs["namespace"])
	assert.Equal(t, "EstimatedCharges", alarm.Inputs["metricName"])
	assert.Equal(t, float64(100), alarm.Inputs["threshold"])
	billingTopic := get(t, p, "aws:sns/topic:Topic", "billing-alarms")
	assert.Equal(t, []any{billingTopic.Outputs["arn"]}, alarm.Inputs["alarmActions"])
	assert.Equal(t, billingTopic.Outputs["arn"], p.Outputs[contract.BillingAlarmTopicArn.Name()])

	budget := get(t, p, "aws:budgets/budget:Budget", "monthly")
	alarms := get(t, p, "aws:sns/topic:Topic", "alarms").Outputs["arn"]
	assert.Equal(t, "100.00", budget.Inputs["limitAmount"])
	var kinds []any
	for _, n := range budget.Inputs["notifications"].([]any) {
		n := n.(map[string]any)
		kinds = append(kinds, n["notificationType"])
		assert.Equal(t, []any{alarms}, n["subscriberSnsTopicArns"])
	}
	assert.Equal(t, []any{"ACTUAL", "FORECASTED"}, kinds)
}

// TestAlarmWebhook: with stratum:alarmWebhookUrl, each alarm topic has an HTTPS subscription
// with a delivery policy and a dead-letter queue.
func TestAlarmWebhook(t *testing.T) {
	raw := platformRaw()
	raw["stratum:alarmWebhookUrl"] = config.Setting{Value: "https://chat.example/hooks/abc", Secret: true}
	p, err := plan.Run(plan.Options{Project: "platform", Stack: "dev", Config: raw, Dir: root}, platform.Program)
	require.NoError(t, err)
	for _, name := range []string{"alarms", "billing-alarms"} {
		sub := get(t, p, "aws:sns/topicSubscription:TopicSubscription", name+"-webhook")
		assert.Equal(t, "https", sub.Inputs["protocol"])
		assert.NotEqual(t, "https://chat.example/hooks/abc", sub.Inputs["endpoint"], "a secret URL stays secret")
		var delivery map[string]any
		require.NoError(t, json.Unmarshal([]byte(sub.String("deliveryPolicy")), &delivery))
		assert.Contains(t, delivery, "healthyRetryPolicy")
		queue := get(t, p, "aws:sqs/queue:Queue", name+"-webhook-failed")
		assert.JSONEq(t, `{"deadLetterTargetArn":"`+queue.Outputs["arn"].(string)+`"}`, sub.String("redrivePolicy"))
	}
}
