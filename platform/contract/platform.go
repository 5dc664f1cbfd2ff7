package contract

import "github.com/stratum-platform/stratum/platform/naming"

// PlatformProject is the Pulumi project name of the platform stack, the shared foundation
// every context reads. Its outputs are declared here, beside the types, because platform and
// components read them and may not import stacks.
const PlatformProject = "platform"

// Outputs of the platform stack. Declarations are values, not constants, because an output
// carries its project; nothing assigns them.
var (
	// AlarmTopicArn is the SNS topic every alarm of every context notifies.
	AlarmTopicArn = NewString(PlatformProject, "alarmTopicArn")
	// JWTIssuer is the issuer every HTTP API's JWT authorizer trusts.
	JWTIssuer = NewString(PlatformProject, "jwtIssuer")
	// JWTAudiences are the audiences every HTTP API's JWT authorizer accepts.
	JWTAudiences = NewStringList(PlatformProject, "jwtAudiences")
	// APIDomainName is the environment's custom domain for HTTP APIs ("" without one): a
	// context maps each major version of its API onto it at <context>/v<N>.
	APIDomainName = NewString(PlatformProject, "apiDomainName")
	// PermissionsBoundaryArn is the managed policy every role a deploy creates carries as its
	// permissions boundary: the CI deploy role may create and change only roles that carry it.
	PermissionsBoundaryArn = NewString(PlatformProject, "permissionsBoundaryArn")
	// DeployRoleArn is the environment's CI deploy role, which GitHub's deploy job assumes
	// (the environment's AWS_DEPLOY_ROLE_ARN).
	DeployRoleArn = NewString(PlatformProject, "deployRoleArn")
	// PreviewRoleArn is the CI preview role pull requests assume (the repository's
	// AWS_PREVIEW_ROLE_ARN); only a non-production environment has one.
	PreviewRoleArn = NewString(PlatformProject, "previewRoleArn")
	// ReleaseFunctionArn is the live alias of the platform's release function: every
	// context's deploy invokes it (aws.lambda.Invocation) with each new version of a
	// function, and it hands the version to CodeDeploy (platform/release).
	ReleaseFunctionArn = NewString(PlatformProject, "releaseFunctionArn")
	// PlatformKeyArn is the platform KMS key: it encrypts the alarm topic, the audit trail
	// and its bucket, the log stream and the log archive. Policy rules read it to check
	// that they are encrypted with it.
	PlatformKeyArn = NewString(PlatformProject, "platformKeyArn")
	// LogDestinationArn is the CloudWatch Logs destination every log group of every context
	// subscribes to (a subscription filter with this destinationArn and no role: the
	// destination's own role writes to the platform's log stream).
	LogDestinationArn = NewString(PlatformProject, "logDestinationArn")
	// BillingAlarmTopicArn is the alarm topic of us-east-1, where AWS publishes the billing
	// metrics: CloudWatch notifies only topics of the alarm's own region. Only a platform
	// stack outside us-east-1 has one (in us-east-1, AlarmTopicArn is that topic).
	BillingAlarmTopicArn = NewString(PlatformProject, "billingAlarmTopicArn")
)

// DeployRoleName is the name of environment env's CI deploy role (DeployRoleArn), which the
// platform stack creates: `<org>-<env>-platform-ci-deploy`. The name is deterministic so that
// what is created before or without the platform stack can name the role: every KMS key of
// the environment is administered by it unless stratum:keyAdministrators names others.
func DeployRoleName(org, env string) string {
	return naming.Scope{Org: org, Env: env, Context: PlatformProject}.Physical(naming.IAMRole, "ci-deploy")
}

// CIRolePrefix is what the names of environment env's CI roles (deploy, preview) start with,
// `<org>-<env>-platform-ci`: they deploy and preview, and never use a KMS key's data.
func CIRolePrefix(org, env string) string {
	return naming.Scope{Org: org, Env: env, Context: PlatformProject}.Prefix() + "-ci"
}

// PlatformHandlers is the directory, relative to the module root, of the handler mains the
// platform shares with every context: release and smoke (the smoke-check hook a context's
// functions release with), replicator and backfill (a table migration's functions).
const PlatformHandlers = "stacks/platform/handlers"
