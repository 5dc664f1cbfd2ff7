package platform

import (
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/tags"
)

// The CI roles' access to the services Stratum deploys. Resources are named "<org>-<env>-..."
// (platform/naming), so each grant names the ARNs of this environment's prefix; where a
// service assigns ids instead of names (KMS keys, HTTP APIs, event source mappings, scalable
// targets) the grant is scoped by the org and env tags or by a condition on what the resource
// belongs to. read is what the provider reads (Describe/Get/List), write what it creates,
// updates and deletes; the preview role gets read only. Actions on "*" are on platform/iam's
// allow-list, with the reason there.

// functionGrants cover functions, their integrations, schedules and deployments.
func (s ciScope) functionGrants() []grant {
	functions := []string{s.arn("lambda", "function:"+s.prefix+"*")}
	return []grant{
		{
			// Qualified ARNs (versions, the live alias) match the function's pattern.
			sid: "Functions",
			read: []string{"lambda:GetAlias", "lambda:GetFunction", "lambda:GetFunctionCodeSigningConfig",
				"lambda:GetFunctionConcurrency", "lambda:GetFunctionConfiguration", "lambda:GetFunctionEventInvokeConfig",
				"lambda:GetPolicy", "lambda:ListAliases", "lambda:ListTags", "lambda:ListVersionsByFunction"},
			write: []string{"lambda:AddPermission", "lambda:CreateAlias", "lambda:CreateFunction", "lambda:DeleteAlias",
				"lambda:DeleteFunction", "lambda:DeleteFunctionConcurrency", "lambda:DeleteFunctionEventInvokeConfig",
				"lambda:PublishVersion", "lambda:PutFunctionConcurrency", "lambda:PutFunctionEventInvokeConfig",
				"lambda:RemovePermission", "lambda:TagResource", "lambda:UntagResource", "lambda:UpdateAlias",
				"lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "lambda:UpdateFunctionEventInvokeConfig"},
			resources: functions,
		},
		{
			// Creating a secret's rotation calls RotateSecret, which Secrets Manager runs only
			// for a caller that may invoke the rotation function (components/secret names it
			// <secret>-rotation); only those functions, never the rest.
			sid: "InvokeRotationFunctions", write: []string{"lambda:InvokeFunction"},
			resources: []string{s.arn("lambda", "function:"+s.prefix+"*-rotation"),
				s.arn("lambda", "function:"+s.prefix+"*-rotation:*")},
		},
		{
			// A mapping's ARN holds only a UUID, assigned on creation: creating and changing
			// one is scoped by the function it invokes.
			sid: "CreateEventSourceMappings", write: []string{"lambda:CreateEventSourceMapping"},
			resources:  []string{"*"},
			conditions: []iam.Condition{cond("ArnLike", "lambda:FunctionArn", functions...)},
		},
		{
			sid:        "ChangeEventSourceMappings",
			write:      []string{"lambda:DeleteEventSourceMapping", "lambda:UpdateEventSourceMapping"},
			resources:  []string{s.arn("lambda", "event-source-mapping:*")},
			conditions: []iam.Condition{cond("ArnLike", "lambda:FunctionArn", functions...)},
		},
		{sid: "EventSourceMappings", read: []string{"lambda:GetEventSourceMapping", "lambda:ListTags"},
			resources: []string{s.arn("lambda", "event-source-mapping:*")}},
		{
			// A mapping carries its context's tags: one of another environment is not retagged.
			sid: "TagEventSourceMappings", write: []string{"lambda:TagResource", "lambda:UntagResource"},
			resources: []string{s.arn("lambda", "event-source-mapping:*")},
			conditions: append(s.ownTags("StringEqualsIfExists", "aws:ResourceTag/"),
				s.ownTags("StringEqualsIfExists", "aws:RequestTag/")...),
		},
		{
			sid: "Schedules", read: []string{"scheduler:GetSchedule"},
			write:     []string{"scheduler:CreateSchedule", "scheduler:DeleteSchedule", "scheduler:UpdateSchedule"},
			resources: []string{s.arn("scheduler", "schedule/default/"+s.prefix+"*")},
		},
		{
			sid:  "Deployments",
			read: []string{"codedeploy:GetApplication", "codedeploy:GetDeploymentGroup", "codedeploy:ListTagsForResource"},
			write: []string{"codedeploy:CreateApplication", "codedeploy:CreateDeploymentGroup", "codedeploy:DeleteApplication",
				"codedeploy:DeleteDeploymentGroup", "codedeploy:TagResource", "codedeploy:UntagResource",
				"codedeploy:UpdateApplication", "codedeploy:UpdateDeploymentGroup"},
			resources: []string{s.arn("codedeploy", "application:"+s.prefix+"*"),
				s.arn("codedeploy", "deploymentgroup:"+s.prefix+"*")},
		},
	}
}

// roleGrants cover the roles of functions and schedules, and reading the managed policies
// and the OIDC provider of the CI identity.
func (s ciScope) roleGrants() []grant {
	roles := []string{s.global("iam", "role/"+s.prefix+"*")}
	return []grant{
		{
			sid: "Roles",
			read: []string{"iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies",
				"iam:ListInstanceProfilesForRole", "iam:ListRolePolicies", "iam:ListRoleTags"},
			write: []string{"iam:DeleteRole", "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy",
				"iam:UpdateRole", "iam:UpdateRoleDescription"},
			resources: roles,
		},
		{
			// A deploy creates and changes the permissions of a role only when the role carries
			// the boundary: a role it creates can never do more than the boundary allows.
			sid: "RolesWithinTheBoundary",
			write: []string{"iam:CreateRole", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary",
				"iam:PutRolePolicy"},
			resources:  roles,
			conditions: []iam.Condition{cond("StringEquals", "iam:PermissionsBoundary", s.boundaryArn())},
		},
		{
			// Function roles go to Lambda, schedule roles to EventBridge Scheduler, nothing else.
			sid: "PassRolesToTheirServices", write: []string{"iam:PassRole"}, resources: roles,
			conditions: []iam.Condition{cond("StringEquals", "iam:PassedToService",
				string(iam.ServiceLambda), string(iam.ServiceScheduler))},
		},
		{
			sid: "ManagedPolicies", read: []string{"iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions"},
			resources: []string{s.global("iam", "policy/"+s.prefix+"*")},
		},
		{sid: "GitHubProvider", read: []string{"iam:GetOpenIDConnectProvider"}, resources: []string{s.providerArn()}},
	}
}

// keyGrants cover the environment's KMS keys, which have ids, not names: they are the keys
// tagged with this org and env, and a deploy creates a key only with those tags.
func (s ciScope) keyGrants() []grant {
	keys := []string{s.arn("kms", "key/*")}
	return []grant{
		{
			sid: "CreateKeys", write: []string{"kms:CreateKey"}, resources: []string{"*"},
			conditions: s.ownTags("StringEquals", "aws:RequestTag/"),
		},
		{
			// Tagging on creation needs kms:TagResource on every key of the account: the
			// request must carry this environment's tags, and a key that has them must be this
			// environment's.
			sid: "TagNewKeys", write: []string{"kms:TagResource"}, resources: keys,
			conditions: append(s.ownTags("StringEquals", "aws:RequestTag/"),
				s.ownTags("StringEqualsIfExists", "aws:ResourceTag/")...),
		},
		{
			sid: "RetagKeys", write: []string{"kms:TagResource"}, resources: keys,
			conditions: append(s.ownTags("StringEquals", "aws:ResourceTag/"),
				s.ownTags("StringEqualsIfExists", "aws:RequestTag/")...),
		},
		{
			// The org and env tags are what scopes the key: they are never removed.
			sid: "UntagKeys", write: []string{"kms:UntagResource"}, resources: keys,
			conditions: append(s.ownTags("StringEquals", "aws:ResourceTag/"),
				cond("ForAllValues:StringNotEquals", "aws:TagKeys", tags.KeyEnv, tags.KeyOrg)),
		},
		{
			// Use is for what a deploy encrypts itself (secrets' and functions' settings).
			sid:  "Keys",
			read: []string{"kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"},
			write: []string{"kms:CreateAlias", "kms:Decrypt", "kms:DeleteAlias", "kms:DisableKeyRotation",
				"kms:EnableKeyRotation", "kms:Encrypt", "kms:GenerateDataKey", "kms:PutKeyPolicy",
				"kms:ScheduleKeyDeletion", "kms:UpdateAlias", "kms:UpdateKeyDescription"},
			resources:  keys,
			conditions: s.ownTags("StringEquals", "aws:ResourceTag/"),
		},
		{
			// DynamoDB and Lambda keep a grant on a table's or function's key.
			sid: "KeyGrantsForServices", write: []string{"kms:CreateGrant"}, resources: keys,
			conditions: append(s.ownTags("StringEquals", "aws:ResourceTag/"),
				cond("Bool", "kms:GrantIsForAWSResource", "true")),
		},
		{
			sid:       "KeyAliases",
			write:     []string{"kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"},
			resources: []string{s.arn("kms", "alias/"+s.prefix+"*")},
		},
		{sid: "ListKeyAliases", read: []string{"kms:ListAliases"}, resources: []string{"*"}},
	}
}

// dataGrants cover tables (and their scaling), queues, topics and secrets.
func (s ciScope) dataGrants() []grant {
	scaling := []string{s.arn("application-autoscaling", "scalable-target/*")}
	return []grant{
		{
			// Indexes and streams are under the table's ARN.
			sid: "Tables",
			read: []string{"dynamodb:DescribeContinuousBackups", "dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive",
				"dynamodb:ListTagsOfResource"},
			write: []string{"dynamodb:CreateTable", "dynamodb:DeleteTable", "dynamodb:TagResource", "dynamodb:UntagResource",
				"dynamodb:UpdateContinuousBackups", "dynamodb:UpdateTable", "dynamodb:UpdateTimeToLive"},
			resources: []string{s.arn("dynamodb", "table/"+s.prefix+"*")},
		},
		{sid: "TableScalingTags", read: []string{"application-autoscaling:ListTagsForResource"}, resources: scaling},
		{
			// Scalable targets have ids and carry their table's tags: one of another
			// environment is never changed. What they scale is the environment's tables,
			// which the scaling service changes with its own service-linked role.
			sid: "TableScaling",
			write: []string{"application-autoscaling:DeleteScalingPolicy", "application-autoscaling:DeregisterScalableTarget",
				"application-autoscaling:PutScalingPolicy", "application-autoscaling:RegisterScalableTarget",
				"application-autoscaling:TagResource", "application-autoscaling:UntagResource"},
			resources: scaling,
			conditions: append(s.ownTags("StringEqualsIfExists", "aws:ResourceTag/"),
				s.ownTags("StringEqualsIfExists", "aws:RequestTag/")...),
		},
		{
			sid: "DescribeTableScaling",
			read: []string{"application-autoscaling:DescribeScalableTargets",
				"application-autoscaling:DescribeScalingPolicies"},
			resources: []string{"*"},
		},
		{
			// Queue attributes hold the policy and redrive settings, never messages.
			sid:  "Queues",
			read: []string{"sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueueTags"},
			write: []string{"sqs:CreateQueue", "sqs:DeleteQueue", "sqs:SetQueueAttributes", "sqs:TagQueue",
				"sqs:UntagQueue"},
			resources: []string{s.arn("sqs", s.prefix+"*")},
		},
		{
			// A subscription's ARN is its topic's followed by an id.
			sid: "Topics",
			read: []string{"sns:GetSubscriptionAttributes", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic",
				"sns:ListTagsForResource"},
			write: []string{"sns:CreateTopic", "sns:DeleteTopic", "sns:SetSubscriptionAttributes", "sns:SetTopicAttributes",
				"sns:Subscribe", "sns:TagResource", "sns:Unsubscribe", "sns:UntagResource"},
			resources: []string{s.arn("sns", s.prefix+"*")},
		},
		{
			// Never secretsmanager:GetSecretValue or PutSecretValue: values are set out of band
			// and only the functions granted them read them.
			sid:  "Secrets",
			read: []string{"secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"},
			write: []string{"secretsmanager:CancelRotateSecret", "secretsmanager:CreateSecret",
				"secretsmanager:DeleteResourcePolicy", "secretsmanager:DeleteSecret", "secretsmanager:PutResourcePolicy",
				"secretsmanager:RotateSecret", "secretsmanager:TagResource", "secretsmanager:UntagResource",
				"secretsmanager:UpdateSecret"},
			resources: []string{s.arn("secretsmanager", "secret:"+s.prefix+"*")},
		},
	}
}

// storageGrants cover buckets, streams and delivery streams.
func (s ciScope) storageGrants() []grant {
	return []grant{
		{
			// Bucket settings only: a deploy reads and writes no object of these buckets.
			sid: "Buckets",
			read: []string{"s3:GetAccelerateConfiguration", "s3:GetBucketAcl", "s3:GetBucketCORS", "s3:GetBucketLocation",
				"s3:GetBucketLogging", "s3:GetBucketObjectLockConfiguration", "s3:GetBucketOwnershipControls",
				"s3:GetBucketPolicy", "s3:GetBucketPublicAccessBlock", "s3:GetBucketRequestPayment", "s3:GetBucketTagging",
				"s3:GetBucketVersioning", "s3:GetBucketWebsite", "s3:GetEncryptionConfiguration",
				"s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration", "s3:ListBucket"},
			write: []string{"s3:CreateBucket", "s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:PutBucketOwnershipControls",
				"s3:PutBucketPolicy", "s3:PutBucketPublicAccessBlock", "s3:PutBucketTagging", "s3:PutBucketVersioning",
				"s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration"},
			resources: []string{"arn:aws:s3:::" + s.prefix + "*"},
		},
		{
			sid:  "Streams",
			read: []string{"kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:ListTagsForStream"},
			write: []string{"kinesis:AddTagsToStream", "kinesis:CreateStream", "kinesis:DecreaseStreamRetentionPeriod",
				"kinesis:DeleteStream", "kinesis:IncreaseStreamRetentionPeriod", "kinesis:RemoveTagsFromStream",
				"kinesis:StartStreamEncryption", "kinesis:StopStreamEncryption", "kinesis:UpdateStreamMode"},
			resources: []string{s.arn("kinesis", "stream/"+s.prefix+"*")},
		},
		{
			sid:  "DeliveryStreams",
			read: []string{"firehose:DescribeDeliveryStream", "firehose:ListTagsForDeliveryStream"},
			write: []string{"firehose:CreateDeliveryStream", "firehose:DeleteDeliveryStream",
				"firehose:StartDeliveryStreamEncryption", "firehose:StopDeliveryStreamEncryption",
				"firehose:TagDeliveryStream", "firehose:UntagDeliveryStream", "firehose:UpdateDestination"},
			resources: []string{s.arn("firehose", "deliverystream/"+s.prefix+"*")},
		},
	}
}
