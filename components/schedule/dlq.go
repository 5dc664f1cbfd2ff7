package schedule

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/alarm"
	"github.com/stratum-platform/stratum/components/queue"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
)

// newDeadLetterQueue creates the encrypted, TLS-only queue that receives failed
// invocations, and its alarm.
func newDeadLetterQueue(ctx *pulumi.Context, name string, s settings, sch *Schedule) (*sqs.Queue, error) {
	parent := pulumi.Parent(sch)
	args := &sqs.QueueArgs{Tags: s.Scope.TagMap()}
	if s.Overrides.DeadLetterQueue != nil {
		s.Overrides.DeadLetterQueue(args)
	}
	// "-schedule-dlq" keeps the name apart from a queue component with the same name.
	args.Name = pulumi.String(s.Scope.Name(naming.SQSQueue, name+"-schedule-dlq"))
	args.NamePrefix = nil
	args.FifoQueue = nil
	args.KmsMasterKeyId = s.Scope.KeyArn
	args.SqsManagedSseEnabled = nil
	args.MessageRetentionSeconds = pulumi.Int(dlqRetentionSeconds)
	args.KmsDataKeyReusePeriodSeconds = pulumi.Int(300)
	q, err := sqs.NewQueue(ctx, naming.Child(name, "dlq"), args, parent)
	if err != nil {
		return nil, err
	}
	doc, err := iam.Document(queue.TLSOnly(q.Arn))
	if err != nil {
		return nil, err
	}
	if _, err := sqs.NewQueuePolicy(ctx, naming.Child(name, "dlq-policy"), &sqs.QueuePolicyArgs{
		QueueUrl: q.Url,
		Policy:   doc,
	}, parent); err != nil {
		return nil, err
	}
	if _, err := alarm.New(ctx, name, s.Scope, alarm.Spec{
		Name:        "schedule-failed",
		Description: "Schedule " + name + " could not invoke its function; the events are in its dead-letter queue.",
		Namespace:   "AWS/SQS",
		Metric:      "ApproximateNumberOfMessagesVisible",
		Dimensions:  pulumi.StringMap{"QueueName": q.Name},
		Statistic:   "Maximum",
		Threshold:   pulumi.Float64(0),
	}, sch); err != nil {
		return nil, err
	}
	return q, nil
}
