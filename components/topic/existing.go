package topic

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/internal/existing"
)

// ExistingArgs identify a topic another stack owns.
type ExistingArgs struct {
	// Arn is the topic's ARN, a literal or its owner's stack output. Required.
	Arn pulumi.StringInput
	// FIFO says the topic is a FIFO topic, which delivers only to FIFO queues.
	// Default: false.
	FIFO bool
	// KeyArn is the KMS key the topic is encrypted with (a Stratum topic's is its context's
	// key): AllowPublish then grants its use too. Default: none (AllowPublish has no key
	// statement, which is right only for a topic without a customer managed key).
	KeyArn pulumi.StringInput
}

// Existing refers to a topic another stack owns, by its ARN (read through the owner's
// contract), so that this stack can subscribe queues and functions to it (a function
// subscription then needs FunctionSubscriptionArgs.Scope) and grant publishing to it
// (AllowPublish). Nothing is created: the returned Topic is no resource of this stack and
// has no children; it has Arn, Name and FIFO. name is this stack's name for it, which the
// grants' statement ids use.
func Existing(name string, args ExistingArgs) (*Topic, error) {
	err := existing.Check(name, args.Arn, "sns", "")
	if err := errors.Join(err, existing.CheckKey(args.KeyArn)); err != nil {
		return nil, fmt.Errorf("topic %q: %w", name, err)
	}
	arn := args.Arn.ToStringOutput()
	return &Topic{
		Arn:    arn,
		Name:   arn.ApplyT(func(a string) string { return a[strings.LastIndex(a, ":")+1:] }).(pulumi.StringOutput),
		FIFO:   args.FIFO,
		name:   name,
		keyArn: args.KeyArn,
	}, nil
}
