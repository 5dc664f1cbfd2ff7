package platform

import (
	"github.com/stratum-platform/stratum/platform/iam"
	accounts "github.com/stratum-platform/stratum/stacks/accounts/contract"
)

// boundaryGrants are the permissions boundary of every role a deploy creates: at most the
// data-plane actions Stratum's components grant to the roles of functions (function.go's
// own statements, every Allow* grant of table, queue, topic and function, a consumer's
// receive), of schedules (invoke and dead-letter) and of services (the context's key and
// failures queue), on this environment's resources. A role's own policy still decides what
// it may do; the boundary is what no deploy can exceed, whatever policy it writes. The
// actions are in read so that the boundary renders them whole (statements of roleDeploy).
// What a context grants beyond the components is here only with review, each with its reason:
// today inventory's scan assuming the reader role in each customer's account.
func (s ciScope) boundaryGrants() []grant {
	return append([]grant{
		{
			sid: "WriteFunctionLogs", read: []string{"logs:CreateLogStream", "logs:PutLogEvents"},
			resources: []string{s.arn("logs", "log-group:/aws/lambda/"+s.prefix+"*")},
		},
		{
			sid: "SendTraces", read: []string{"xray:PutTelemetryRecords", "xray:PutTraceSegments"},
			resources: []string{"*"},
		},
		{
			// Keys have ids, not names: the environment's are the keys with its tags.
			sid: "UseEnvironmentKeys", read: []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"},
			resources:  []string{s.arn("kms", "key/*")},
			conditions: s.ownTags("StringEquals", "aws:ResourceTag/"),
		},
		{
			// Indexes and streams are under the table's ARN.
			sid: "UseTables",
			read: []string{"dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
				"dynamodb:DeleteItem", "dynamodb:DescribeStream", "dynamodb:DescribeTable", "dynamodb:GetItem",
				"dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams", "dynamodb:PutItem",
				"dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem"},
			resources: []string{s.arn("dynamodb", "table/"+s.prefix+"*")},
		},
		{
			sid: "UseQueues",
			read: []string{"sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
				"sqs:ReceiveMessage", "sqs:SendMessage"},
			resources: []string{s.arn("sqs", s.prefix+"*")},
		},
		{sid: "PublishToTopics", read: []string{"sns:Publish"}, resources: []string{s.arn("sns", s.prefix+"*")}},
		{
			// Qualified ARNs (the live alias) match the function's pattern.
			sid: "InvokeFunctions", read: []string{"lambda:InvokeFunction"},
			resources: []string{s.arn("lambda", "function:"+s.prefix+"*")},
		},
		{
			// The secret component's read grant (notifications' signing secret today).
			sid: "ReadSecrets", read: []string{"secretsmanager:GetSecretValue"},
			resources: []string{s.arn("secretsmanager", "secret:"+s.prefix+"*")},
		},
		{
			// The secret component's rotation function (platform/lambdakit/secret's
			// RotationActions, with GetSecretValue above): it stages new versions.
			sid: "RotateSecrets",
			read: []string{"secretsmanager:DescribeSecret", "secretsmanager:PutSecretValue",
				"secretsmanager:UpdateSecretVersionStage"},
			resources: []string{s.arn("secretsmanager", "secret:"+s.prefix+"*")},
		},
		{
			// Inventory's scan assumes the reader role a customer creates in each registered
			// account, naming the tenant as the source identity. The account is the customer's,
			// so it cannot be named: the role name, this environment's, is exact, and the
			// customer's trust policy names the scan role and demands the registration's
			// external id (accounts' contract, ReaderTrustPolicy).
			sid: "AssumeCustomerReaderRoles", read: []string{"sts:AssumeRole", "sts:SetSourceIdentity"},
			resources: []string{"arn:aws:iam::*:role/" + accounts.ReaderRoleName(s.env)},
		},
	}, s.releaseBoundaryGrants()...)
}

// guardrailGrants deny the deploy role what would let it escape its limits, whatever an
// allow elsewhere (now or later) says: removing a role's boundary; changing any managed
// policy (the boundary and the CI policies are managed policies, and a deploy manages none);
// changing or passing the CI roles, which carry no boundary; the account's OIDC providers;
// and the state key and bucket, which hold every environment's state. The CI identity
// changes only through an administrator's deploy of the platform stack.
func (s ciScope) guardrailGrants() []grant {
	bucket := "arn:aws:s3:::" + s.ci.StateBucket
	return []grant{
		{
			sid: "DenyRemovingBoundaries", effect: iam.Deny, write: []string{"iam:DeleteRolePermissionsBoundary"},
			resources: []string{s.global("iam", "role/*")},
		},
		{
			sid: "DenyChangingManagedPolicies", effect: iam.Deny,
			write: []string{"iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion",
				"iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"},
			resources: []string{s.global("iam", "policy/*")},
		},
		{
			sid: "DenyChangingCIRoles", effect: iam.Deny,
			write: []string{"iam:AttachRolePolicy", "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy",
				"iam:PassRole", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:TagRole", "iam:UntagRole",
				"iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription"},
			resources: []string{s.roleArn(roleDeploy), s.roleArn(rolePreview)},
		},
		{
			sid: "DenyChangingOIDCProviders", effect: iam.Deny,
			write: []string{"iam:AddClientIDToOpenIDConnectProvider", "iam:CreateOpenIDConnectProvider",
				"iam:DeleteOpenIDConnectProvider", "iam:RemoveClientIDFromOpenIDConnectProvider",
				"iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider",
				"iam:UpdateOpenIDConnectProviderThumbprint"},
			resources: []string{s.global("iam", "oidc-provider/*")},
		},
		{
			sid: "DenyAdministeringTheStateKey", effect: iam.Deny,
			write: []string{"kms:CreateAlias", "kms:CreateGrant", "kms:DeleteAlias", "kms:DisableKey",
				"kms:DisableKeyRotation", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:TagResource",
				"kms:UntagResource", "kms:UpdateAlias", "kms:UpdateKeyDescription"},
			resources: []string{s.ci.StateKeyArn},
		},
		{
			// Whatever tags the state key carries, this environment uses it only through S3 or
			// under its own encryption context: never to decrypt another environment's secrets.
			sid: "DenyUsingTheStateKeyForOtherEnvironments", effect: iam.Deny,
			write:     []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"},
			resources: []string{s.ci.StateKeyArn},
			conditions: []iam.Condition{
				cond("Null", "kms:ViaService", "true"),
				cond("StringNotEqualsIfExists", "kms:EncryptionContext:"+secretsContextKey, s.env),
			},
		},
		{
			sid: "DenyChangingTheStateBucket", effect: iam.Deny,
			write: []string{"s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:PutBucketOwnershipControls",
				"s3:PutBucketPolicy", "s3:PutBucketPublicAccessBlock", "s3:PutBucketVersioning",
				"s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration"},
			resources: []string{bucket},
		},
	}
}
