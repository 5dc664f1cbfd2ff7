// Package sqsqueue holds what every SQS queue the components create shares, so that the
// queue component's queues, a topic's function subscription's dead-letter queue and a
// schedule's dead-letter queue cannot drift apart: the fields every queue owns (Own), the
// TLS-only queue policy with optional SNS delivery (PolicyStatements, NewPolicy), and the
// dead-letter queue with its policy and alarm (NewDeadLetter).
package sqsqueue

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/platform/naming"
)

// KeyReuseSeconds is how long SQS reuses a data key of the scope's KMS key before asking
// KMS for another: AWS's default, which keeps KMS requests (and their cost) low while a
// data key still changes every few minutes.
const KeyReuseSeconds = 300

// Kind is the naming kind of a queue: FIFO queues have their own, with the ".fifo" suffix.
func Kind(fifo bool) naming.Kind {
	if fifo {
		return naming.SQSFIFOQueue
	}
	return naming.SQSQueue
}

// Own re-applies the fields every queue of the components owns, after the caller's hook:
// the physical name, FIFO, encryption with the scope's key, and no inline policy or redrive
// allow policy (each queue's policy is its own sqs.QueuePolicy, and a dead-letter queue's
// redrive allow policy its own resource, which an inline one would fight).
func Own(qa *sqs.QueueArgs, s scope.Scope, physical string, fifo bool) {
	qa.Name = pulumi.String(physical)
	qa.NamePrefix = nil
	qa.FifoQueue = pulumi.Bool(fifo)
	qa.KmsMasterKeyId = s.KeyArn
	qa.KmsDataKeyReusePeriodSeconds = pulumi.Int(KeyReuseSeconds)
	qa.SqsManagedSseEnabled = nil
	qa.Policy = nil
	qa.RedriveAllowPolicy = nil
}
