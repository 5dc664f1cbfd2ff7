// Package contract is what other projects may read from the platform stack: the names of its
// outputs. It imports nothing from Pulumi.
package contract

// Project is the platform's Pulumi project name.
const Project = "platform"

// Outputs of the platform stack.
const (
	// AlarmTopicArn is the SNS topic every alarm of every context notifies.
	AlarmTopicArn = "alarmTopicArn"
	// KeyArn is the platform KMS key that encrypts the alarm topic.
	KeyArn = "keyArn"
	// JWTIssuer is the issuer every HTTP API's JWT authorizer trusts.
	JWTIssuer = "jwtIssuer"
	// JWTAudiences are the audiences every HTTP API's JWT authorizer accepts.
	JWTAudiences = "jwtAudiences"
)
