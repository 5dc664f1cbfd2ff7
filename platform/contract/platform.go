package contract

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
)
