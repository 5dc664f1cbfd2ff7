package queue

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/internal/existing"
	"github.com/stratum-platform/stratum/components/scope"
)

// ExistingArgs identify a queue another stack owns.
type ExistingArgs struct {
	// Arn is the queue's ARN, a literal or its owner's stack output. Required.
	Arn pulumi.StringInput
	// KeyArn is the KMS key the queue is encrypted with (a Stratum queue's is its context's
	// key): AllowSend and AllowConsume then grant its use too. Default: none (the grants have
	// no key statement, which is right only for a queue without a customer managed key).
	KeyArn pulumi.StringInput
}

// Existing refers to a queue another stack owns, by its ARN, so that this stack's
// functions can be granted sending to it (AllowSend). Nothing is created: the returned Queue
// is no resource of this stack and has no children; it has Arn, URL and Name, and a
// context consumes only its own queues (NewConsumer refuses it). name is this stack's name
// for it, which the grants' statement ids use.
func Existing(name string, args ExistingArgs) (*Queue, error) {
	err := existing.Check(name, args.Arn, "sqs", "")
	if err := errors.Join(err, existing.CheckKey(args.KeyArn)); err != nil {
		return nil, fmt.Errorf("queue %q: %w", name, err)
	}
	arn := args.Arn.ToStringOutput()
	return &Queue{
		Arn:   arn,
		URL:   arn.ApplyT(queueURL).(pulumi.StringOutput),
		Name:  arn.ApplyT(func(a string) string { return a[strings.LastIndex(a, ":")+1:] }).(pulumi.StringOutput),
		name:  name,
		scope: scope.Scope{KeyArn: args.KeyArn},
	}, nil
}

// queueURL is the URL of the queue with the given ARN, arn:<partition>:sqs:<region>:<account>:<name>.
func queueURL(arn string) (string, error) {
	parts := strings.Split(arn, ":")
	if len(parts) != 6 {
		return "", fmt.Errorf("%q is not an SQS queue ARN", arn)
	}
	return "https://sqs." + parts[3] + ".amazonaws.com/" + parts[4] + "/" + parts[5], nil
}
