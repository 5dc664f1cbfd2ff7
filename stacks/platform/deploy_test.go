package platform_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/stacks/platform"
)

// ARNs of dev's resources and state, as the CI roles name them (offline account, eu-west-1).
const (
	acct     = "111111111111"
	regional = "eu-west-1:" + acct + ":"
	stateKey = "arn:aws:kms:eu-west-1:" + acct + ":key/0d6e2f4c-7a51-4d8e-9b3a-5c1f2e8a9b70"
	state    = "arn:aws:s3:::acme-pulumi-state-" + acct
	boundary = "arn:aws:iam::" + acct + ":policy/acme-dev-boundary"
	devFns   = "arn:aws:lambda:" + regional + "function:acme-dev-*"
	devRoles = "arn:aws:iam::" + acct + ":role/acme-dev-*"
	devKeys  = "arn:aws:kms:" + regional + "key/*"
	mappings = "arn:aws:lambda:" + regional + "event-source-mapping:*"
)

func l(s ...string) []string { return s }

// devDeployAllows is every action dev's deploy role is allowed, with the resources it is
// allowed on: exact actions, on names with the acme-dev- prefix, tag-scoped ids, this
// environment's state objects, or "*" for the allow-listed actions.
func devDeployAllows() map[string][]string {
	w := map[string][]string{}
	grants(w, l(state), "s3:ListBucket")
	grants(w, l(state+"/.pulumi/meta.yaml"), "s3:GetObject")
	grants(w, l(state+"/.pulumi/stacks/*/dev.json*", state+"/.pulumi/stacks/*/dev.pulumi-tags",
		state+"/.pulumi/locks/organization/*/dev/*", state+"/.pulumi/history/*/dev/*", state+"/.pulumi/backups/*/dev/*"),
		"s3:DeleteObject", "s3:GetObject", "s3:PutObject")
	grants(w, l(stateKey), "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey")
	grants(w, l("*"), "sts:GetCallerIdentity", "lambda:CreateEventSourceMapping", "kms:CreateKey", "kms:ListAliases",
		"application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies",
		"logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeResourcePolicies", "logs:GetLogDelivery",
		"logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:UpdateLogDelivery", "cloudtrail:DescribeTrails")

	grants(w, l(devFns), "lambda:AddPermission", "lambda:CreateAlias", "lambda:CreateFunction", "lambda:DeleteAlias",
		"lambda:DeleteFunction", "lambda:DeleteFunctionConcurrency", "lambda:DeleteFunctionEventInvokeConfig",
		"lambda:GetAlias", "lambda:GetFunction", "lambda:GetFunctionCodeSigningConfig", "lambda:GetFunctionConcurrency",
		"lambda:GetFunctionConfiguration", "lambda:GetFunctionEventInvokeConfig", "lambda:GetPolicy",
		"lambda:ListAliases", "lambda:ListTags", "lambda:ListVersionsByFunction", "lambda:PublishVersion",
		"lambda:PutFunctionConcurrency", "lambda:PutFunctionEventInvokeConfig", "lambda:RemovePermission",
		"lambda:TagResource", "lambda:UntagResource", "lambda:UpdateAlias", "lambda:UpdateFunctionCode",
		"lambda:UpdateFunctionConfiguration", "lambda:UpdateFunctionEventInvokeConfig")
	grants(w, l("arn:aws:lambda:"+regional+"function:acme-dev-*-rotation", "arn:aws:lambda:"+regional+"function:acme-dev-*-rotation:*"),
		"lambda:InvokeFunction")
	grants(w, l(mappings), "lambda:DeleteEventSourceMapping", "lambda:UpdateEventSourceMapping",
		"lambda:GetEventSourceMapping", "lambda:ListTags", "lambda:TagResource", "lambda:UntagResource")
	grants(w, l("arn:aws:scheduler:"+regional+"schedule/default/acme-dev-*"),
		"scheduler:CreateSchedule", "scheduler:DeleteSchedule", "scheduler:GetSchedule", "scheduler:UpdateSchedule")
	grants(w, l("arn:aws:codedeploy:"+regional+"application:acme-dev-*", "arn:aws:codedeploy:"+regional+"deploymentgroup:acme-dev-*"),
		"codedeploy:CreateApplication", "codedeploy:CreateDeploymentGroup", "codedeploy:DeleteApplication",
		"codedeploy:DeleteDeploymentGroup", "codedeploy:GetApplication", "codedeploy:GetDeploymentGroup",
		"codedeploy:ListTagsForResource", "codedeploy:TagResource", "codedeploy:UntagResource",
		"codedeploy:UpdateApplication", "codedeploy:UpdateDeploymentGroup")
	// Releases: hand versions to the platform's release function and follow the deployments.
	grants(w, l("arn:aws:lambda:"+regional+"function:acme-dev-platform-release:live"), "lambda:InvokeFunction")
	grants(w, l("arn:aws:codedeploy:"+regional+"deploymentgroup:acme-dev-*"), "codedeploy:GetDeployment")

	grants(w, l(devRoles), "iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:GetRole",
		"iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:ListRolePolicies",
		"iam:ListRoleTags", "iam:PassRole", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:TagRole",
		"iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription")
	grants(w, l("arn:aws:iam::"+acct+":policy/acme-dev-*"), "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions")
	grants(w, l("arn:aws:iam::"+acct+":oidc-provider/token.actions.githubusercontent.com"), "iam:GetOpenIDConnectProvider")

	// The log pipeline: its roles passed to the services that assume them, its search domain.
	grants(w, l("arn:aws:iam::"+acct+":role/acme-dev-platform-logs-destination", "arn:aws:iam::"+acct+":role/acme-dev-platform-logs-archive",
		"arn:aws:iam::"+acct+":role/acme-dev-platform-logs-search"), "iam:PassRole")
	grants(w, l("arn:aws:es:"+regional+"domain/acme-dev-platform-logs"), "es:AddTags", "es:CreateDomain", "es:DeleteDomain",
		"es:DescribeDomain", "es:DescribeDomainConfig", "es:ListTags", "es:RemoveTags", "es:UpdateDomainConfig")
	// The billing alarm topic of us-east-1, its webhook's queues and its key.
	billingTopic := "arn:aws:sns:us-east-1:" + acct + ":acme-dev-platform-billing-alarms"
	grants(w, l(billingTopic, billingTopic+":*"), "sns:CreateTopic", "sns:DeleteTopic", "sns:GetSubscriptionAttributes",
		"sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource", "sns:SetSubscriptionAttributes",
		"sns:SetTopicAttributes", "sns:Subscribe", "sns:TagResource", "sns:Unsubscribe", "sns:UntagResource")
	grants(w, l("arn:aws:sqs:us-east-1:"+acct+":acme-dev-platform-billing-alarms-*"), "sqs:CreateQueue", "sqs:DeleteQueue",
		"sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueueTags", "sqs:SetQueueAttributes", "sqs:TagQueue", "sqs:UntagQueue")
	billingKeys := "arn:aws:kms:us-east-1:" + acct + ":key/*"
	grants(w, l(billingKeys), "kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey", "kms:EnableKeyRotation",
		"kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion",
		"kms:TagResource", "kms:UpdateAlias", "kms:UpdateKeyDescription")
	grants(w, l("arn:aws:kms:us-east-1:"+acct+":alias/acme-dev-platform-billing-alarms"), "kms:CreateAlias", "kms:DeleteAlias",
		"kms:UpdateAlias")

	grants(w, l("arn:aws:dynamodb:"+regional+"table/acme-dev-*"), "dynamodb:CreateTable", "dynamodb:DeleteTable",
		"dynamodb:DescribeContinuousBackups", "dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive",
		"dynamodb:ListTagsOfResource", "dynamodb:TagResource", "dynamodb:UntagResource",
		"dynamodb:UpdateContinuousBackups", "dynamodb:UpdateTable", "dynamodb:UpdateTimeToLive")
	grants(w, l("arn:aws:application-autoscaling:"+regional+"scalable-target/*"),
		"application-autoscaling:DeleteScalingPolicy", "application-autoscaling:DeregisterScalableTarget",
		"application-autoscaling:ListTagsForResource", "application-autoscaling:PutScalingPolicy",
		"application-autoscaling:RegisterScalableTarget", "application-autoscaling:TagResource",
		"application-autoscaling:UntagResource")
	grants(w, l("arn:aws:sqs:"+regional+"acme-dev-*"), "sqs:CreateQueue", "sqs:DeleteQueue", "sqs:GetQueueAttributes",
		"sqs:GetQueueUrl", "sqs:ListQueueTags", "sqs:SetQueueAttributes", "sqs:TagQueue", "sqs:UntagQueue")
	grants(w, l("arn:aws:sns:"+regional+"acme-dev-*"), "sns:CreateTopic", "sns:DeleteTopic",
		"sns:GetSubscriptionAttributes", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic",
		"sns:ListTagsForResource", "sns:SetSubscriptionAttributes", "sns:SetTopicAttributes", "sns:Subscribe",
		"sns:TagResource", "sns:Unsubscribe", "sns:UntagResource")
	grants(w, l("arn:aws:secretsmanager:"+regional+"secret:acme-dev-*"), "secretsmanager:CancelRotateSecret",
		"secretsmanager:CreateSecret", "secretsmanager:DeleteResourcePolicy", "secretsmanager:DeleteSecret",
		"secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy", "secretsmanager:PutResourcePolicy",
		"secretsmanager:RotateSecret", "secretsmanager:TagResource", "secretsmanager:UntagResource",
		"secretsmanager:UpdateSecret")

	grants(w, l(devKeys), "kms:CreateAlias", "kms:CreateGrant", "kms:Decrypt", "kms:DeleteAlias", "kms:DescribeKey",
		"kms:DisableKeyRotation", "kms:EnableKeyRotation", "kms:Encrypt", "kms:GenerateDataKey", "kms:GetKeyPolicy",
		"kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion",
		"kms:TagResource", "kms:UntagResource", "kms:UpdateAlias", "kms:UpdateKeyDescription")
	grants(w, l("arn:aws:kms:"+regional+"alias/acme-dev-*"), "kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias")

	grants(w, l("arn:aws:s3:::acme-dev-*"), "s3:CreateBucket", "s3:DeleteBucket", "s3:DeleteBucketPolicy",
		"s3:GetAccelerateConfiguration", "s3:GetBucketAcl", "s3:GetBucketCORS", "s3:GetBucketLocation",
		"s3:GetBucketLogging", "s3:GetBucketObjectLockConfiguration", "s3:GetBucketOwnershipControls",
		"s3:GetBucketPolicy", "s3:GetBucketPublicAccessBlock", "s3:GetBucketRequestPayment", "s3:GetBucketTagging",
		"s3:GetBucketVersioning", "s3:GetBucketWebsite", "s3:GetEncryptionConfiguration",
		"s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration", "s3:ListBucket",
		"s3:PutBucketOwnershipControls", "s3:PutBucketPolicy", "s3:PutBucketPublicAccessBlock", "s3:PutBucketTagging",
		"s3:PutBucketVersioning", "s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration")
	grants(w, l("arn:aws:kinesis:"+regional+"stream/acme-dev-*"), "kinesis:AddTagsToStream", "kinesis:CreateStream",
		"kinesis:DecreaseStreamRetentionPeriod", "kinesis:DeleteStream", "kinesis:DescribeStream",
		"kinesis:DescribeStreamSummary", "kinesis:IncreaseStreamRetentionPeriod", "kinesis:ListTagsForStream",
		"kinesis:RemoveTagsFromStream", "kinesis:StartStreamEncryption", "kinesis:StopStreamEncryption",
		"kinesis:UpdateStreamMode")
	grants(w, l("arn:aws:firehose:"+regional+"deliverystream/acme-dev-*"), "firehose:CreateDeliveryStream",
		"firehose:DeleteDeliveryStream", "firehose:DescribeDeliveryStream", "firehose:ListTagsForDeliveryStream",
		"firehose:StartDeliveryStreamEncryption", "firehose:StopDeliveryStreamEncryption",
		"firehose:TagDeliveryStream", "firehose:UntagDeliveryStream", "firehose:UpdateDestination")

	logGroups := l("arn:aws:logs:"+regional+"log-group:/aws/apigateway/acme-dev-*",
		"arn:aws:logs:"+regional+"log-group:/aws/lambda/acme-dev-*", "arn:aws:logs:"+regional+"log-group:acme-dev-*")
	grants(w, logGroups, "logs:AssociateKmsKey", "logs:CreateLogGroup", "logs:DeleteLogGroup",
		"logs:DeleteRetentionPolicy", "logs:DeleteSubscriptionFilter", "logs:DescribeSubscriptionFilters",
		"logs:DisassociateKmsKey", "logs:ListTagsForResource", "logs:ListTagsLogGroup", "logs:PutRetentionPolicy",
		"logs:PutSubscriptionFilter", "logs:TagLogGroup", "logs:TagResource", "logs:UntagLogGroup", "logs:UntagResource")
	grants(w, l("arn:aws:logs:"+regional+"log-group:*"), "logs:DescribeLogGroups")
	grants(w, l("arn:aws:logs:"+regional+"destination:acme-dev-*"), "logs:DeleteDestination",
		"logs:DescribeDestinations", "logs:ListTagsForResource", "logs:PutDestination", "logs:PutDestinationPolicy",
		"logs:PutSubscriptionFilter", "logs:TagResource", "logs:UntagResource")
	grants(w, l("arn:aws:cloudwatch:"+regional+"alarm:acme-dev-*", "arn:aws:cloudwatch:"+regional+"alarm:TargetTracking-table/acme-dev-*",
		"arn:aws:cloudwatch:us-east-1:"+acct+":alarm:acme-dev-*"), "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms",
		"cloudwatch:ListTagsForResource", "cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource")
	grants(w, l("arn:aws:cloudwatch::"+acct+":dashboard/acme-dev-*"), "cloudwatch:DeleteDashboards",
		"cloudwatch:GetDashboard", "cloudwatch:PutDashboard")
	grants(w, l("arn:aws:cloudtrail:"+regional+"trail/acme-dev-*"), "cloudtrail:AddTags", "cloudtrail:CreateTrail",
		"cloudtrail:DeleteTrail", "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors", "cloudtrail:GetTrail",
		"cloudtrail:GetTrailStatus", "cloudtrail:ListTags", "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors",
		"cloudtrail:RemoveTags", "cloudtrail:StartLogging", "cloudtrail:StopLogging", "cloudtrail:UpdateTrail")
	grants(w, l("arn:aws:budgets::"+acct+":budget/acme-dev-*"), "budgets:ListTagsForResource", "budgets:ModifyBudget",
		"budgets:TagResource", "budgets:UntagResource", "budgets:ViewBudget")
	grants(w, l("arn:aws:apigateway:eu-west-1::/apis", "arn:aws:apigateway:eu-west-1::/apis/*",
		"arn:aws:apigateway:eu-west-1::/tags/*"), "apigateway:POST")
	grants(w, l("arn:aws:apigateway:eu-west-1::/apis/*", "arn:aws:apigateway:eu-west-1::/tags/*"),
		"apigateway:DELETE", "apigateway:GET", "apigateway:PATCH", "apigateway:PUT")
	devDomainAllows(w, true)
	devPortalGrants(w)
	return w
}

// devPortalGrants are what publishing dev's developer portal needs: its pages, objects of
// the one bucket, deleted version by version.
func devPortalGrants(w map[string][]string) {
	pages := "arn:aws:s3:::acme-dev-platform-portal-" + acct + "-eu-west-1"
	grants(w, l(pages+"/*"), "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObject", "s3:GetObjectTagging", "s3:PutObject")
	grants(w, l(pages), "s3:ListBucketVersions")
}

// devDeployDenies is what dev's deploy role is denied whatever it is allowed.
func devDeployDenies() map[string][]string {
	w := map[string][]string{}
	grants(w, l("arn:aws:iam::"+acct+":role/*"), "iam:DeleteRolePermissionsBoundary")
	grants(w, l("arn:aws:iam::"+acct+":policy/*"), "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy",
		"iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy")
	grants(w, l("arn:aws:iam::"+acct+":role/acme-dev-platform-ci-deploy", "arn:aws:iam::"+acct+":role/acme-dev-platform-ci-preview"),
		"iam:AttachRolePolicy", "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:PassRole",
		"iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:TagRole", "iam:UntagRole",
		"iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription")
	grants(w, l("arn:aws:iam::"+acct+":oidc-provider/*"), "iam:AddClientIDToOpenIDConnectProvider",
		"iam:CreateOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider", "iam:RemoveClientIDFromOpenIDConnectProvider",
		"iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint")
	grants(w, l(stateKey), "kms:CreateAlias", "kms:CreateGrant", "kms:Decrypt", "kms:DeleteAlias", "kms:DisableKey",
		"kms:DisableKeyRotation", "kms:Encrypt", "kms:GenerateDataKey", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion",
		"kms:TagResource", "kms:UntagResource", "kms:UpdateAlias", "kms:UpdateKeyDescription")
	grants(w, l(state), "s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:PutBucketOwnershipControls", "s3:PutBucketPolicy",
		"s3:PutBucketPublicAccessBlock", "s3:PutBucketVersioning", "s3:PutEncryptionConfiguration",
		"s3:PutLifecycleConfiguration")
	return w
}

func TestDeployRoleIsPinned(t *testing.T) {
	p := plantest.ProjectPlan(t, root, "dev", platform.Program)
	got := roleAccess(t, p, "ci-deploy")
	assert.Equal(t, devDeployAllows(), got.allow)
	assert.Equal(t, devDeployDenies(), got.deny)

	s3Objects := []string{state + "/.pulumi/locks/organization/*/dev/*", state + "/.pulumi/meta.yaml",
		state + "/.pulumi/stacks/*/dev.json*", state + "/.pulumi/stacks/*/dev.pulumi-tags"}
	want := map[string]map[string]map[string][]string{
		"StateObjectsKey": and(c("StringEquals", "kms:ViaService", "s3.eu-west-1.amazonaws.com"),
			c("StringLike", "kms:EncryptionContext:aws:s3:arn", s3Objects...)),
		"StateHistoryKey": and(c("StringEquals", "kms:ViaService", "s3.eu-west-1.amazonaws.com"),
			c("StringLike", "kms:EncryptionContext:aws:s3:arn", state+"/.pulumi/backups/*/dev/*", state+"/.pulumi/history/*/dev/*")),
		"StackSecretsKey":              c("StringEquals", "kms:EncryptionContext:environment", "dev"),
		"CreateEventSourceMappings":    c("ArnLike", "lambda:FunctionArn", devFns),
		"ChangeEventSourceMappings":    c("ArnLike", "lambda:FunctionArn", devFns),
		"RolesWithinTheBoundary":       c("StringEquals", "iam:PermissionsBoundary", boundary),
		"PassRolesToTheirServices":     c("StringEquals", "iam:PassedToService", "lambda.amazonaws.com", "scheduler.amazonaws.com"),
		"PassServiceRolesToCodeDeploy": c("StringEquals", "iam:PassedToService", "codedeploy.amazonaws.com"),
		"CreateKeys":                   tagged("StringEquals", "Request"),
		"TagNewKeys":                   and(tagged("StringEquals", "Request"), tagged("StringEqualsIfExists", "Resource")),
		"RetagKeys":                    and(tagged("StringEquals", "Resource"), tagged("StringEqualsIfExists", "Request")),
		"UntagKeys":                    and(tagged("StringEquals", "Resource"), c("ForAllValues:StringNotEquals", "aws:TagKeys", "env", "org")),
		"Keys":                         tagged("StringEquals", "Resource"),
		"KeyGrantsForServices":         and(tagged("StringEquals", "Resource"), c("Bool", "kms:GrantIsForAWSResource", "true")),
		"CreateApis":                   tagged("StringEquals", "Request"),
		"Apis":                         and(tagged("StringEquals", "Resource"), tagged("StringEqualsIfExists", "Request")),
		"TagEventSourceMappings":       and(tagged("StringEqualsIfExists", "Resource"), tagged("StringEqualsIfExists", "Request")),
		"TableScaling":                 and(tagged("StringEqualsIfExists", "Resource"), tagged("StringEqualsIfExists", "Request")),
		"DenyUsingTheStateKeyForOtherEnvironments": and(c("Null", "kms:ViaService", "true"),
			c("StringNotEqualsIfExists", "kms:EncryptionContext:environment", "dev")),
		"PassTheLogDestinationRole": c("StringEquals", "iam:PassedToService", "logs.amazonaws.com"),
		"PassTheLogDeliveryRoles":   c("StringEquals", "iam:PassedToService", "firehose.amazonaws.com"),
		"TagNewBillingKeys":         and(tagged("StringEquals", "Request"), tagged("StringEqualsIfExists", "Resource")),
		"BillingKeys":               tagged("StringEquals", "Resource"),
	}
	for sid, cond := range devDomainConditions() {
		want[sid] = cond
	}
	assert.Equal(t, want, got.conditions)
}
