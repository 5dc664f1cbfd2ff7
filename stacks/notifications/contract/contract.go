// Package contract is what other contexts may use of the notifications context: the outputs
// of its stack. It imports nothing from Pulumi.
package contract

import "github.com/stratum-platform/stratum/platform/contract"

// Project is the notifications context's Pulumi project name.
const Project = "notifications"

// Outputs of the notifications stack.
var (
	// DeadLetterQueueArn holds the events that could not be delivered after every retry.
	DeadLetterQueueArn = contract.NewString(Project, "deadLetterQueueArn")
)
