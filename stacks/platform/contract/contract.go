// Package contract is what other projects may read from the platform stack: its outputs,
// typed. It imports nothing from Pulumi.
package contract

import "github.com/stratum-platform/stratum/platform/contract"

// Project is the platform's Pulumi project name.
const Project = "platform"

// Outputs of the platform stack.
const (
	// AlarmTopicArn is the SNS topic every alarm of every context notifies.
	AlarmTopicArn contract.String = "alarmTopicArn"
	// KeyArn is the platform KMS key that encrypts the alarm topic.
	KeyArn contract.String = "keyArn"
	// JWTIssuer is the issuer every HTTP API's JWT authorizer trusts.
	JWTIssuer contract.String = "jwtIssuer"
	// JWTAudiences are the audiences every HTTP API's JWT authorizer accepts.
	JWTAudiences contract.StringList = "jwtAudiences"
)
