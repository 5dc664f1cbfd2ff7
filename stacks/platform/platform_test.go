package platform_test

import (
	"slices"
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

const root = "../.."

func TestGolden(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			p := plantest.ProjectPlan(t, root, env, platform.Program)
			plantest.Golden(t, "testdata/"+env+".plan.json", p)
		})
	}
}

func TestAlarmTopic(t *testing.T) {
	p := plantest.ProjectPlan(t, root, "prod", platform.Program)

	key, err := p.Get("aws:kms/key:Key", "platform")
	require.NoError(t, err)
	assert.Equal(t, true, key.Inputs["enableKeyRotation"])
	assert.True(t, key.Protect, "prod protects the platform key")
	assert.True(t, key.RetainOnDelete)

	topic, err := p.Get("aws:sns/topic:Topic", "alarms")
	require.NoError(t, err)
	assert.Equal(t, "acme-prod-platform-alarms", topic.Inputs["name"])
	assert.Equal(t, key.Outputs["arn"], topic.Inputs["kmsMasterKeyId"])
	assert.Equal(t, "platform-team", topic.Inputs["tags"].(map[string]any)["owner"])

	pol, err := p.Get("aws:sns/topicPolicy:TopicPolicy", "alarms-policy")
	require.NoError(t, err)
	doc, err := iam.Parse(pol.String("policy"))
	require.NoError(t, err)
	// Exactly four statements: TLS only, no principal but the platform's roles publishes,
	// CloudWatch alarms of this account publish, and so does its budget.
	require.Len(t, doc.Statement, 4)
	deny := doc.Statement[0]
	assert.Equal(t, "Deny", deny.Effect)
	assert.Equal(t, []string{"*"}, deny.Principal["AWS"])
	assert.Contains(t, deny.Action, "sns:Publish")
	assert.Equal(t, []string{"false"}, deny.Condition["Bool"]["aws:SecureTransport"])
	producers := doc.Statement[1]
	assert.Equal(t, "Deny", producers.Effect)
	assert.Equal(t, []string{"arn:aws:iam::111111111111:role/acme-prod-platform-*"}, producers.Condition["ArnNotLike"]["aws:PrincipalArn"])
	publish := doc.Statement[2]
	assert.Equal(t, "Allow", publish.Effect)
	assert.Equal(t, []string{"sns:Publish"}, publish.Action)
	assert.Equal(t, map[string][]string{"Service": {"cloudwatch.amazonaws.com"}}, publish.Principal)
	assert.Equal(t, []string{topic.Outputs["arn"].(string)}, publish.Resource)
	assert.Equal(t, map[string]map[string][]string{"StringEquals": {"aws:SourceAccount": {"111111111111"}}}, publish.Condition)
	budget := doc.Statement[3]
	assert.Equal(t, map[string][]string{"Service": {"budgets.amazonaws.com"}}, budget.Principal)
	assert.Equal(t, []string{"sns:Publish"}, budget.Action)
	assert.Equal(t, map[string]map[string][]string{
		"ArnLike":      {"aws:SourceArn": {"arn:aws:budgets::111111111111:budget/acme-prod-platform-monthly"}},
		"StringEquals": {"aws:SourceAccount": {"111111111111"}},
	}, budget.Condition)

	sub, err := p.Get("aws:sns/topicSubscription:TopicSubscription", "alarms-email")
	require.NoError(t, err)
	assert.Equal(t, "email", sub.Inputs["protocol"])
	assert.Equal(t, "platform-alerts@acme.example", sub.Inputs["endpoint"])

	assert.Equal(t, topic.Outputs["arn"], p.Outputs[contract.AlarmTopicArn.Name()])
	assert.Equal(t, "https://login.acme.example/prod", p.Outputs[contract.JWTIssuer.Name()])
	assert.Equal(t, []any{"api://stratum"}, p.Outputs[contract.JWTAudiences.Name()])
}

func TestKeyPolicyLetsCloudWatchUseTheKey(t *testing.T) {
	p := plantest.ProjectPlan(t, root, "dev", platform.Program)
	key, err := p.Get("aws:kms/key:Key", "platform")
	require.NoError(t, err)
	assert.False(t, key.Protect, "dev does not protect")
	doc, err := iam.Parse(key.String("policy"))
	require.NoError(t, err)
	assert.Equal(t, []string{"arn:aws:iam::111111111111:root"}, doc.Statement[0].Principal["AWS"])
	assert.NotContains(t, doc.Actions(), "kms:*")
	service := func(principal string) iam.ParsedStatement {
		t.Helper()
		for _, st := range doc.Statement {
			if slices.Equal(st.Principal["Service"], []string{principal}) {
				return st
			}
		}
		t.Fatalf("no statement for %s", principal)
		return iam.ParsedStatement{}
	}
	own := func(arn string) map[string]map[string][]string {
		return map[string]map[string][]string{
			"ArnLike": {"aws:SourceArn": {arn}}, "StringEquals": {"aws:SourceAccount": {"111111111111"}},
		}
	}
	// Each service for this environment's resources only.
	cw := service("cloudwatch.amazonaws.com")
	assert.Equal(t, []string{"kms:Decrypt", "kms:GenerateDataKey"}, cw.Action)
	assert.Equal(t, own("arn:aws:cloudwatch:eu-west-1:111111111111:alarm:acme-dev-*"), cw.Condition)
	assert.Equal(t, own("arn:aws:budgets::111111111111:budget/acme-dev-platform-monthly"),
		service("budgets.amazonaws.com").Condition)
	assert.Equal(t, own("arn:aws:sns:eu-west-1:111111111111:acme-dev-platform-*"), service("sns.amazonaws.com").Condition)
	assert.Equal(t, map[string]map[string][]string{
		"ArnLike": {"kms:EncryptionContext:aws:logs:arn": {"arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/acme-dev-platform-*"}},
	}, service("logs.eu-west-1.amazonaws.com").Condition, "only the platform's function log groups")
	// CloudTrail for the audit trail only.
	trail := []string{"arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-dev-platform-audit"}
	encrypt := service("cloudtrail.amazonaws.com")
	assert.Equal(t, []string{"kms:GenerateDataKey"}, encrypt.Action)
	assert.Equal(t, map[string]map[string][]string{"StringEquals": {"aws:SourceArn": trail,
		"kms:EncryptionContext:aws:cloudtrail:arn": trail}}, encrypt.Condition)
}

func TestIdentitySettingsAreRequired(t *testing.T) {
	raw := config.Raw{
		"aws:region": {Value: "eu-west-1"}, "stratum:org": {Value: "acme"},
		"stratum:owner": {Value: "o"}, "stratum:costCentre": {Value: "c"},
		"stratum:githubRepository": {Value: "acme/stratum"}, "stratum:stateBucket": {Value: "acme-pulumi-state"},
		"stratum:stateKeyArn": {Value: "arn:aws:kms:eu-west-1:111111111111:key/0d6e2f4c-7a51-4d8e-9b3a-5c1f2e8a9b70"},
	}
	_, err := plan.Run(plan.Options{Project: "platform", Stack: "dev", Config: raw}, platform.Program)
	assert.ErrorContains(t, err, "project platform: stratum:jwtIssuer and stratum:jwtAudiences are required")
}
