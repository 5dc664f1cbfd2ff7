package sqsqueue

import (
	"errors"
	"fmt"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/alarm"
	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/platform/naming"
)

// DefaultDeadLetterRetention is how long a dead-letter queue keeps a message unless its owner
// says otherwise: the longest SQS allows, so that someone can look at it.
const DefaultDeadLetterRetention = 14 * 24 * time.Hour

// DeadLetterArgs configures a dead-letter queue.
type DeadLetterArgs struct {
	// Scope names, encrypts, tags and alarms the queue, and protects it where the scope
	// protects stateful resources (it holds the only copy of what failed). Required.
	Scope scope.Scope
	// Name starts the physical names: the queue is "<Name>-dlq" (".fifo" added for a FIFO
	// queue) and its alarm "<Name>-dlq-not-empty". Required.
	Name string
	// FIFO makes it a FIFO queue, as the dead-letter queue of a FIFO queue must be.
	// Default: false.
	FIFO bool
	// Retention is how long a message is kept. Default: DefaultDeadLetterRetention.
	Retention time.Duration
	// Publishers are the SNS topics whose deliveries the queue receives (a subscription's
	// dead-letter queue); the queue policy lets SNS send from them only. Default: none.
	Publishers []pulumi.StringInput
	// AlarmDescription says what a message in the queue means and what to do about it.
	// Required.
	AlarmDescription string
	// Override is the owner's hook on the queue's arguments; what Own sets, the retention
	// and the redrive policy are re-applied after it. Default: none.
	Override func(*sqs.QueueArgs)
}

// DeadLetter is a dead-letter queue with its policy and its alarm.
type DeadLetter struct {
	// Queue is the dead-letter queue.
	Queue *sqs.Queue
	// Policy is its queue policy: TLS only, and SNS delivery from the Publishers.
	Policy *sqs.QueuePolicy
	// Alarm fires as soon as the queue holds a message.
	Alarm *cloudwatch.MetricAlarm
}

func (a *DeadLetterArgs) validate() error {
	var errs []error
	if a.Name == "" {
		errs = append(errs, errors.New("Name: is required"))
	}
	if a.AlarmDescription == "" {
		errs = append(errs, errors.New("AlarmDescription: is required"))
	}
	return errors.Join(errs...)
}

// NewDeadLetter creates the dead-letter queue of the component owner (its logical name):
// children "<owner>-dlq" and "<owner>-dlq-policy" parented to parent, and the alarm.
func NewDeadLetter(ctx *pulumi.Context, owner string, args DeadLetterArgs, parent pulumi.Resource) (*DeadLetter, error) {
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("dead-letter queue of %q: %w", owner, err)
	}
	if args.Retention == 0 {
		args.Retention = DefaultDeadLetterRetention
	}
	physical := args.Scope.Name(Kind(args.FIFO), args.Name+"-dlq")
	qa := override.Apply(&sqs.QueueArgs{Tags: args.Scope.TagMap()}, args.Override, func(qa *sqs.QueueArgs) {
		Own(qa, args.Scope, physical, args.FIFO)
		qa.MessageRetentionSeconds = pulumi.Int(int(args.Retention / time.Second))
		// A dead-letter queue is the end of the line.
		qa.RedrivePolicy = nil
	})
	d := &DeadLetter{}
	var err error
	d.Queue, err = sqs.NewQueue(ctx, naming.Child(owner, "dlq"), qa,
		append([]pulumi.ResourceOption{pulumi.Parent(parent)}, args.Scope.Stateful()...)...)
	if err != nil {
		return nil, fmt.Errorf("dead-letter queue: %w", err)
	}
	if d.Policy, err = NewPolicy(ctx, naming.Child(owner, "dlq-policy"), d.Queue, args.Publishers, parent); err != nil {
		return nil, fmt.Errorf("dead-letter queue policy: %w", err)
	}
	d.Alarm, err = alarm.New(ctx, args.Name, args.Scope, alarm.Spec{
		Name:        "dlq-not-empty",
		Description: args.AlarmDescription,
		Namespace:   "AWS/SQS", Metric: "ApproximateNumberOfMessagesVisible",
		Dimensions: pulumi.StringMap{"QueueName": d.Queue.Name},
		Statistic:  "Maximum", Threshold: pulumi.Float64(0),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("dead-letter queue alarm: %w", err)
	}
	return d, nil
}
