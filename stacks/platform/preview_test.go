package platform_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/stacks/platform"
)

// devPreviewAllows is every action dev's preview role is allowed: dev's state read, its
// locks (stack selection takes one), the secrets of dev only, and Describe/Get/List of
// dev's resources. Nothing it may do changes a resource or reads data.
func devPreviewAllows() map[string][]string {
	w := map[string][]string{}
	grants(w, l(state), "s3:ListBucket")
	grants(w, l(state+"/.pulumi/meta.yaml", state+"/.pulumi/stacks/*/dev.json*", state+"/.pulumi/stacks/*/dev.pulumi-tags",
		state+"/.pulumi/locks/organization/*/dev/*"), "s3:GetObject")
	grants(w, l(state+"/.pulumi/locks/organization/*/dev/*"), "s3:DeleteObject", "s3:PutObject")
	grants(w, l(stateKey), "kms:Decrypt", "kms:GenerateDataKey")
	grants(w, l("*"), "sts:GetCallerIdentity", "kms:ListAliases", "application-autoscaling:DescribeScalableTargets",
		"application-autoscaling:DescribeScalingPolicies", "cloudtrail:DescribeTrails")
	grants(w, l(devFns), "lambda:GetAlias", "lambda:GetFunction", "lambda:GetFunctionCodeSigningConfig",
		"lambda:GetFunctionConcurrency", "lambda:GetFunctionConfiguration", "lambda:GetFunctionEventInvokeConfig",
		"lambda:GetPolicy", "lambda:ListAliases", "lambda:ListTags", "lambda:ListVersionsByFunction")
	grants(w, l(mappings), "lambda:GetEventSourceMapping", "lambda:ListTags")
	grants(w, l("arn:aws:scheduler:"+regional+"schedule/default/acme-dev-*"), "scheduler:GetSchedule")
	grants(w, l("arn:aws:codedeploy:"+regional+"application:acme-dev-*", "arn:aws:codedeploy:"+regional+"deploymentgroup:acme-dev-*"),
		"codedeploy:GetApplication", "codedeploy:GetDeploymentGroup", "codedeploy:ListTagsForResource")
	grants(w, l("arn:aws:codedeploy:"+regional+"deploymentgroup:acme-dev-*"), "codedeploy:GetDeployment")
	grants(w, l(devRoles), "iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies",
		"iam:ListInstanceProfilesForRole", "iam:ListRolePolicies", "iam:ListRoleTags")
	grants(w, l("arn:aws:iam::"+acct+":policy/acme-dev-*"), "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions")
	grants(w, l("arn:aws:iam::"+acct+":oidc-provider/token.actions.githubusercontent.com"), "iam:GetOpenIDConnectProvider")
	grants(w, l("arn:aws:dynamodb:"+regional+"table/acme-dev-*"), "dynamodb:DescribeContinuousBackups",
		"dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive", "dynamodb:ListTagsOfResource")
	grants(w, l("arn:aws:application-autoscaling:"+regional+"scalable-target/*"), "application-autoscaling:ListTagsForResource")
	grants(w, l("arn:aws:sqs:"+regional+"acme-dev-*"), "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueueTags")
	grants(w, l("arn:aws:sns:"+regional+"acme-dev-*"), "sns:GetSubscriptionAttributes", "sns:GetTopicAttributes",
		"sns:ListSubscriptionsByTopic", "sns:ListTagsForResource")
	grants(w, l("arn:aws:secretsmanager:"+regional+"secret:acme-dev-*"), "secretsmanager:DescribeSecret",
		"secretsmanager:GetResourcePolicy")
	grants(w, l(devKeys), "kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags")
	grants(w, l("arn:aws:s3:::acme-dev-*"), "s3:GetAccelerateConfiguration", "s3:GetBucketAcl", "s3:GetBucketCORS",
		"s3:GetBucketLocation", "s3:GetBucketLogging", "s3:GetBucketObjectLockConfiguration",
		"s3:GetBucketOwnershipControls", "s3:GetBucketPolicy", "s3:GetBucketPublicAccessBlock",
		"s3:GetBucketRequestPayment", "s3:GetBucketTagging", "s3:GetBucketVersioning", "s3:GetBucketWebsite",
		"s3:GetEncryptionConfiguration", "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration", "s3:ListBucket")
	grants(w, l("arn:aws:kinesis:"+regional+"stream/acme-dev-*"), "kinesis:DescribeStream",
		"kinesis:DescribeStreamSummary", "kinesis:ListTagsForStream")
	grants(w, l("arn:aws:firehose:"+regional+"deliverystream/acme-dev-*"), "firehose:DescribeDeliveryStream",
		"firehose:ListTagsForDeliveryStream")
	grants(w, l("arn:aws:logs:"+regional+"log-group:/aws/apigateway/acme-dev-*", "arn:aws:logs:"+regional+"log-group:/aws/lambda/acme-dev-*",
		"arn:aws:logs:"+regional+"log-group:acme-dev-*"), "logs:DescribeSubscriptionFilters", "logs:ListTagsForResource",
		"logs:ListTagsLogGroup")
	grants(w, l("arn:aws:logs:"+regional+"log-group:*"), "logs:DescribeLogGroups")
	grants(w, l("arn:aws:logs:"+regional+"destination:acme-dev-*"), "logs:DescribeDestinations", "logs:ListTagsForResource")
	grants(w, l("arn:aws:cloudwatch:"+regional+"alarm:acme-dev-*", "arn:aws:cloudwatch:"+regional+"alarm:TargetTracking-table/acme-dev-*",
		"arn:aws:cloudwatch:us-east-1:"+acct+":alarm:acme-dev-*"), "cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource")
	grants(w, l("arn:aws:cloudwatch::"+acct+":dashboard/acme-dev-*"), "cloudwatch:GetDashboard")
	grants(w, l("arn:aws:cloudtrail:"+regional+"trail/acme-dev-*"), "cloudtrail:GetEventSelectors",
		"cloudtrail:GetInsightSelectors", "cloudtrail:GetTrail", "cloudtrail:GetTrailStatus", "cloudtrail:ListTags")
	grants(w, l("arn:aws:budgets::"+acct+":budget/acme-dev-*"), "budgets:ListTagsForResource", "budgets:ViewBudget")
	grants(w, l("arn:aws:apigateway:eu-west-1::/apis/*", "arn:aws:apigateway:eu-west-1::/tags/*"), "apigateway:GET")
	// The API domain and the portal's edge, the certificates and the zone's records.
	devDomainAllows(w, false)
	// The log search domain, and the billing alarm topic of us-east-1 with its queues and key.
	grants(w, l("arn:aws:es:"+regional+"domain/acme-dev-platform-logs"), "es:DescribeDomain", "es:DescribeDomainConfig", "es:ListTags")
	billingTopic := "arn:aws:sns:us-east-1:" + acct + ":acme-dev-platform-billing-alarms"
	grants(w, l(billingTopic, billingTopic+":*"), "sns:GetSubscriptionAttributes", "sns:GetTopicAttributes",
		"sns:ListSubscriptionsByTopic", "sns:ListTagsForResource")
	grants(w, l("arn:aws:sqs:us-east-1:"+acct+":acme-dev-platform-billing-alarms-*"), "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
		"sqs:ListQueueTags")
	grants(w, l("arn:aws:kms:us-east-1:"+acct+":key/*"), "kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus",
		"kms:ListResourceTags")
	// The developer portal's pages, read as a refresh does.
	grants(w, l("arn:aws:s3:::acme-dev-platform-portal-"+acct+"-eu-west-1/*"), "s3:GetObject", "s3:GetObjectTagging")
	return w
}

func TestPreviewRoleIsPinned(t *testing.T) {
	p := plantest.ProjectPlan(t, root, "dev", platform.Program)
	got := roleAccess(t, p, "ci-preview")
	assert.Equal(t, devPreviewAllows(), got.allow)
	assert.Empty(t, got.deny)
	assert.Equal(t, c("StringEquals", "kms:EncryptionContext:environment", "dev"), got.conditions["StackSecretsKey"],
		"the preview decrypts dev's secrets only")
	assert.Equal(t, and(c("StringEquals", "kms:ViaService", "s3.eu-west-1.amazonaws.com"),
		c("StringLike", "kms:EncryptionContext:aws:s3:arn", state+"/.pulumi/locks/organization/*/dev/*", state+"/.pulumi/meta.yaml",
			state+"/.pulumi/stacks/*/dev.json*", state+"/.pulumi/stacks/*/dev.pulumi-tags")), got.conditions["StateObjectsKey"])

	// Read-only: besides its own locks, nothing that creates, changes, deletes, invokes,
	// sends, decrypts outside dev's state or reads data.
	for action, res := range got.allow {
		_, name, _ := strings.Cut(action, ":")
		readOnly := allRead([]string{action}) || strings.HasPrefix(name, "View") || action == "apigateway:GET"
		switch {
		case readOnly:
			assert.NotContains(t, []string{"secretsmanager:GetSecretValue", "dynamodb:GetItem", "sqs:ReceiveMessage"}, action)
		case action == "s3:PutObject" || action == "s3:DeleteObject":
			assert.Equal(t, l(state+"/.pulumi/locks/organization/*/dev/*"), res, "%s: only the stack locks", action)
		case action == "kms:Decrypt" || action == "kms:GenerateDataKey":
			assert.Equal(t, l(stateKey), res, action)
		default:
			t.Errorf("the preview role may %s on %v", action, res)
		}
	}
}

func TestTrustPolicies(t *testing.T) {
	provider := "arn:aws:iam::" + acct + ":oidc-provider/token.actions.githubusercontent.com"
	trust := func(t *testing.T, env, role, subject string) {
		t.Helper()
		p := plantest.ProjectPlan(t, root, env, platform.Program)
		r, err := p.Get("aws:iam/role:Role", role)
		require.NoError(t, err)
		doc, err := iam.Parse(r.String("assumeRolePolicy"))
		require.NoError(t, err)
		assert.Equal(t, []iam.ParsedStatement{{
			Sid: "GitHubActions", Effect: "Allow", Principal: map[string][]string{"Federated": {provider}},
			Action: []string{"sts:AssumeRoleWithWebIdentity"},
			Condition: map[string]map[string][]string{"StringEquals": {
				"token.actions.githubusercontent.com:aud": {"sts.amazonaws.com"},
				"token.actions.githubusercontent.com:sub": {subject},
			}},
		}}, doc.Statement)
		assert.NotContains(t, r.String("assumeRolePolicy"), "StringLike", "subjects are exact, never patterns")
	}
	trust(t, "dev", "ci-deploy", "repo:stratum-platform/stratum:environment:dev")
	trust(t, "dev", "ci-preview", "repo:stratum-platform/stratum:pull_request")
	trust(t, "prod", "ci-deploy", "repo:stratum-platform/stratum:environment:prod")
}

func TestProductionHasNoPreviewRole(t *testing.T) {
	p := plantest.ProjectPlan(t, root, "prod", platform.Program)
	assert.Empty(t, p.Find("aws:iam/role:Role", "ci-preview"), "a pull request must not read prod's state")
	assert.NotContains(t, p.Outputs, contract.PreviewRoleArn.Name())
	assert.Equal(t, "arn:aws:iam::"+acct+":role/acme-prod-platform-ci-deploy", p.Outputs[contract.DeployRoleArn.Name()])
	assert.Empty(t, p.Find("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "github"),
		"prod uses the provider dev's stack created (stratum:githubOidcProvider: existing)")

	dev := plantest.ProjectPlan(t, root, "dev", platform.Program)
	provider, err := dev.Get("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "github")
	require.NoError(t, err)
	assert.Equal(t, "https://token.actions.githubusercontent.com", provider.Inputs["url"])
	assert.Equal(t, []any{"sts.amazonaws.com"}, provider.Inputs["clientIdLists"])
	assert.True(t, provider.RetainOnDelete, "other stacks' roles trust it")
	assert.Equal(t, "arn:aws:iam::"+acct+":role/acme-dev-platform-ci-preview", dev.Outputs[contract.PreviewRoleArn.Name()])
}

// TestAnotherEnvironmentIsOutOfReach plays the attacker with dev's roles: no resource either
// may touch is prod's, another context's in another environment, or another project's state
// of another environment.
func allRead(actions []string) bool {
	for _, a := range actions {
		_, name, _ := strings.Cut(a, ":")
		if !strings.HasPrefix(name, "Get") && !strings.HasPrefix(name, "List") && !strings.HasPrefix(name, "Describe") {
			return false
		}
	}
	return true
}

func TestAnotherEnvironmentIsOutOfReach(t *testing.T) {
	p := plantest.ProjectPlan(t, root, "dev", platform.Program)
	outside := []string{
		state + "/.pulumi/stacks/platform/prod.json", state + "/.pulumi/stacks/accounts/prod.json.gz",
		state + "/.pulumi/stacks/platform/prod.json.bak", state + "/.pulumi/stacks/platform/prod.pulumi-tags",
		state + "/.pulumi/history/accounts/prod/prod-1767225600000000000.history.json",
		state + "/.pulumi/backups/platform/prod/prod.1767225600000000000.json",
		state + "/.pulumi/locks/organization/platform/prod/6f1c.json", state + "/.pulumi/stacks/dev.json",
		"arn:aws:lambda:" + regional + "function:acme-prod-accounts-register",
		"arn:aws:iam::" + acct + ":role/acme-prod-platform-ci-deploy", "arn:aws:iam::" + acct + ":policy/acme-prod-boundary",
		"arn:aws:dynamodb:" + regional + "table/acme-prod-accounts-accounts", "arn:aws:s3:::acme-prod-platform-trail",
		"arn:aws:sqs:" + regional + "acme-devx-accounts-failures", "arn:aws:secretsmanager:" + regional + "secret:acme-prod-x",
		// prod's custom domains: its zone, its API domain and mappings, its portal's web ACL.
		"arn:aws:route53:::hostedzone/Z0PROD0EXAMPLE0ZONE", "arn:aws:apigateway:eu-west-1::/domainnames/api.acme.example",
		"arn:aws:apigateway:eu-west-1::/domainnames/api.acme.example/apimappings/a1b2c3",
		"arn:aws:wafv2:us-east-1:" + acct + ":global/webacl/acme-prod-platform-portal/0d6e2f4c",
		"arn:aws:wafv2:us-east-1:" + acct + ":global/ipset/acme-prod-platform-portal-allowed-IPV4/0d6e2f4c",
		"arn:aws:cloudfront::" + acct + ":origin-access-control/E2QWRUHAPOMQZL",
		"arn:aws:cloudfront::" + acct + ":response-headers-policy/5cc3b908-e619-4b99-88e5-2cf7f45965bd",
	}
	// CloudFront's origin access controls and response headers policies have ids, no tags
	// and no condition keys: the deploy role that manages dev's may change any of the
	// account's, prod's too when they share one (README, "The deploy role").
	sharedInTheAccount := map[string]bool{
		"arn:aws:cloudfront::" + acct + ":origin-access-control/*":   true,
		"arn:aws:cloudfront::" + acct + ":response-headers-policy/*": true,
	}
	// Statements with conditions are scoped by them (pinned in TestDeployRoleIsPinned), "*"
	// only holds allow-listed actions (TestWildcardsOnlyWithAReason); these reads name no
	// environment because AWS authorises them account-wide, and return settings, not data.
	accountWide := map[string]bool{
		"arn:aws:logs:" + regional + "log-group:*":                          true, // logs:DescribeLogGroups
		"arn:aws:lambda:" + regional + "event-source-mapping:*":             true, // Get and ListTags of a mapping (a UUID)
		"arn:aws:application-autoscaling:" + regional + "scalable-target/*": true, // ListTagsForResource
	}
	for _, role := range []string{"ci-deploy", "ci-preview"} {
		for _, st := range roleAccess(t, p, role).statements {
			if st.Effect != "Allow" || st.Condition != nil {
				continue
			}
			for _, pattern := range st.Resource {
				if pattern == "*" || accountWide[pattern] {
					assert.True(t, pattern == "*" || allRead(st.Action), "%s %s: %v on %s", role, st.Sid, st.Action, pattern)
					continue
				}
				if sharedInTheAccount[pattern] {
					continue
				}
				for _, target := range outside {
					assert.False(t, matches(pattern, target), "%s %s may %v on %s (%s)", role, st.Sid, st.Action, target, pattern)
				}
			}
		}
	}
	assert.True(t, matches(state+"/.pulumi/stacks/*/dev.json*", state+"/.pulumi/stacks/accounts/dev.json.gz"))
	assert.True(t, matches(state+"/.pulumi/locks/organization/*/dev/*", state+"/.pulumi/locks/organization/accounts/dev/6f1c.json"))
}
