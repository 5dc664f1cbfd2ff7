package notifications_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/stacks/notifications"
)

func TestGolden(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			plantest.Golden(t, "testdata/"+env+".plan.json", plantest.ProjectPlan(t, ".", env, notifications.Program))
		})
	}
}

func TestDeliverPermissions(t *testing.T) {
	p := plantest.ProjectPlan(t, ".", "dev", notifications.Program)
	key := plantest.ARN(t, p, "aws:kms/key:Key", "key")
	secret := plantest.ARN(t, p, "aws:secretsmanager/secret:Secret", "signing-secret")
	inbox := plantest.ARN(t, p, "aws:sqs/queue:Queue", "inbox")
	failures := plantest.ARN(t, p, "aws:sqs/queue:Queue", "failures")
	logGroup := "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/acme-dev-notifications-deliver:*"
	perms, err := function.Permissions(p, "deliver")
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{
		"secretsmanager:GetSecretValue": {secret},
		"kms:Decrypt":                   {key},
		"sqs:ChangeMessageVisibility":   {inbox}, "sqs:DeleteMessage": {inbox},
		"sqs:GetQueueAttributes": {inbox}, "sqs:ReceiveMessage": {inbox},
		"sqs:SendMessage": {failures}, "kms:GenerateDataKey": {key},
		"logs:CreateLogStream": {logGroup}, "logs:PutLogEvents": {logGroup},
		"xray:PutTelemetryRecords": {"*"}, "xray:PutTraceSegments": {"*"},
	}, perms)
}

func TestSubscriptionsAndEndpoint(t *testing.T) {
	p := plantest.ProjectPlan(t, ".", "prod", notifications.Program)
	topics := map[string]string{}
	for _, s := range p.Find("aws:sns/topicSubscription:TopicSubscription", "") {
		topics[s.String("topic")] = s.String("filterPolicy")
	}
	assert.Equal(t, map[string]string{
		"arn:aws:sns:eu-west-1:111111111111:acme-prod-accounts-events":  `{"type":["AccountConnected","AccountDisconnected"]}`,
		"arn:aws:sns:eu-west-1:111111111111:acme-prod-inventory-events": `{"type":["InventoryChanged"]}`,
	}, topics)
	fn, err := p.Get("aws:lambda/function:Function", "deliver")
	require.NoError(t, err)
	vars := fn.Inputs["environment"].(map[string]any)["variables"].(map[string]any)
	assert.Equal(t, "https://legacy.acme.example/hooks/stratum", vars["ENDPOINT_URL"])
	secret, err := p.Get("aws:secretsmanager/secret:Secret", "signing-secret")
	require.NoError(t, err)
	assert.Equal(t, plantest.ARN(t, p, "aws:kms/key:Key", "key"), secret.Inputs["kmsKeyId"])
	assert.NotContains(t, secret.Inputs, "secretString", "the value is set out of band, never in state")
	assert.True(t, secret.Protect, "prod protects the secret: its value exists nowhere else")
	assert.True(t, secret.RetainOnDelete)
}

func TestEndpointMustBeHTTPS(t *testing.T) {
	for value, want := range map[string]string{
		"":                        "notifications:endpointUrl is required",
		"http://legacy.example/h": `notifications:endpointUrl: "http://legacy.example/h" is not an https:// URL`,
	} {
		raw := config.Raw{
			"aws:region": {Value: "eu-west-1"}, "stratum:org": {Value: "acme"},
			"stratum:owner": {Value: "o"}, "stratum:costCentre": {Value: "c"},
		}
		if value != "" {
			raw["notifications:endpointUrl"] = config.Setting{Value: value}
		}
		_, err := plan.Run(plan.Options{Project: "notifications", Stack: "dev", Config: raw}, func(ctx *pulumi.Context) error {
			return notifications.Program(ctx)
		})
		assert.ErrorContains(t, err, want)
	}
}
