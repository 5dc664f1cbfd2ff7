// Package queue provides Queue: an SQS queue with a dead-letter queue and redrive, encryption
// at rest with the context's KMS key, a TLS-only queue policy and alarms; and Consumer, which
// connects a Function to a Queue.
//
// Default settings:
//   - a standard queue (FIFO when Args.FIFO: both queues get the ".fifo" suffix);
//   - names `<org>-<env>-<context>-<name>` and `<org>-<env>-<context>-<name>-dlq`;
//   - both queues encrypted with the scope's KMS key (data keys reused for 300 s);
//   - visibility timeout 30 s, retention 4 days, no delivery delay;
//   - a message received 5 times moves to the dead-letter queue, which keeps it 14 days and
//     accepts messages only from this queue (redrive allow policy byQueue);
//   - one queue policy per queue, owned by the Queue: it denies every listed SQS action to
//     anyone not using TLS (aws:SecureTransport false), and lets SNS deliver
//     (sqs:SendMessage) only from the topics in Args.Publishers (aws:SourceArn);
//   - alarms to the scope's alarm topic: the dead-letter queue is not empty; the oldest
//     message on the queue is older than 15 minutes;
//   - the scope's tags on both queues.
//
// A queue has exactly one policy, so everything the policy must allow is declared when the
// queue is created: a topic that delivers to the queue is listed in Args.Publishers (see
// topic.NewQueueSubscription, which refuses a queue that does not list its topic). SNS then
// also needs to use the scope's KMS key to write encrypted messages: the key's owner lists
// sns.amazonaws.com in the key's Services (components/key).
package queue

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/alarm"
	"github.com/stratum-platform/stratum/components/dashboard"
	"github.com/stratum-platform/stratum/components/internal/sqsqueue"
	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/tokens"
)

// TypeToken is the Pulumi type of Queue; renaming it needs an alias.
const TypeToken = tokens.Queue

// Limits of the Args, from the SQS quotas.
const (
	maxVisibility     = 12 * time.Hour
	minRetention      = time.Minute
	maxRetention      = 14 * 24 * time.Hour
	maxDelay          = 15 * time.Minute
	maxReceiveCount   = 1000
	maxPublishers     = 50 // keeps the queue policy well under SQS's 8,192 bytes
	defaultVisibility = 30 * time.Second
	defaultRetention  = 4 * 24 * time.Hour
	defaultReceives   = 5
	defaultMaxAge     = 15 * time.Minute
)

// Args configures a Queue. The zero value is valid except for Scope.
type Args struct {
	// Scope names the queues and supplies the KMS key, tags and alarm topic. Required.
	Scope scope.Scope
	// FIFO makes the queue and its dead-letter queue FIFO queues (exactly-once processing,
	// ordering within a message group). Default: false.
	FIFO bool
	// VisibilityTimeout is how long a received message stays hidden from other consumers,
	// whole seconds from 1s to 12h. A consuming function's timeout must not be longer; AWS
	// recommends 6x the function's timeout. Default: 30s.
	VisibilityTimeout time.Duration
	// Retention is how long an unconsumed message is kept, whole seconds from 1m to 14 days.
	// Default: 4 days.
	Retention time.Duration
	// DLQRetention is how long the dead-letter queue keeps a message, whole seconds from 1m
	// to 14 days and at least Retention: a standard queue's message keeps its original
	// enqueue time when it moves, so a shorter retention would drop it early.
	// Default: 14 days.
	DLQRetention time.Duration
	// MaxReceiveCount is how many times a message is received before it moves to the
	// dead-letter queue, 1 to 1000. Default: 5.
	MaxReceiveCount int
	// Delay postpones the delivery of every new message, whole seconds up to 15m.
	// Default: 0 (no delay).
	Delay time.Duration
	// MaxMessageAge is the age of the oldest message above which the age alarm fires, whole
	// seconds from 1m and shorter than Retention. Default: 15m.
	MaxMessageAge time.Duration
	// Publishers are the SNS topics that may deliver to the queue: the queue policy lets
	// sns.amazonaws.com call sqs:SendMessage when aws:SourceArn is one of their ARNs. At most
	// 50. Default: none (SNS cannot deliver to the queue).
	Publishers []Publisher
	// Overrides change the children's arguments before the component re-applies the fields it
	// owns. Default: none.
	Overrides Overrides
}

// Publisher is an SNS topic that may deliver messages to the queue.
type Publisher struct {
	// TopicArn is the topic's ARN, for example topic.Topic.Arn. Required.
	TopicArn pulumi.StringInput
}

// Overrides are hooks on the children's arguments. They run before the component re-applies
// the fields it owns, which a hook therefore cannot change: the name, FIFO, encryption, the
// policy (owned by the queue policy resource), the redrive settings, and the visibility
// timeout, retention and delay of Args. Tags are set before the hooks, which may add to them.
type Overrides struct {
	// Queue changes the main queue's sqs.QueueArgs. Default: none.
	Queue func(*sqs.QueueArgs)
	// DeadLetterQueue changes the dead-letter queue's sqs.QueueArgs. Default: none.
	DeadLetterQueue func(*sqs.QueueArgs)
}

// Queue is an SQS queue with its dead-letter queue, policies and alarms.
type Queue struct {
	pulumi.ResourceState

	// Queue is the main queue.
	Queue *sqs.Queue
	// DeadLetterQueue receives the messages received MaxReceiveCount times.
	DeadLetterQueue *sqs.Queue
	// Policy is the main queue's policy.
	Policy *sqs.QueuePolicy
	// DeadLetterPolicy is the dead-letter queue's policy.
	DeadLetterPolicy *sqs.QueuePolicy
	// RedriveAllow limits the dead-letter queue to this queue's messages.
	RedriveAllow *sqs.RedriveAllowPolicy
	// DeadLetterAlarm fires when the dead-letter queue holds a message.
	DeadLetterAlarm *cloudwatch.MetricAlarm
	// AgeAlarm fires when the oldest message is older than MaxMessageAge.
	AgeAlarm *cloudwatch.MetricAlarm

	// Arn, URL and Name identify the main queue; DLQArn is the dead-letter queue's ARN.
	Arn, URL, Name, DLQArn pulumi.StringOutput

	// FIFO reports whether the queues are FIFO queues.
	FIFO bool
	// VisibilityTimeout is the resolved visibility timeout, for consumers' checks.
	VisibilityTimeout time.Duration

	name       string
	scope      scope.Scope
	publishers []Publisher
}

// New creates a Queue.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Queue, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(); err != nil {
		return nil, fmt.Errorf("queue %q: %w", name, err)
	}
	a := args.withDefaults()
	q := &Queue{
		FIFO: a.FIFO, VisibilityTimeout: a.VisibilityTimeout,
		name: name, scope: a.Scope, publishers: slices.Clone(a.Publishers),
	}
	if err := ctx.RegisterComponentResource(TypeToken, name, q, opts...); err != nil {
		return nil, fmt.Errorf("queue %q: %w", name, err)
	}
	if err := q.children(ctx, name, a); err != nil {
		return nil, fmt.Errorf("queue %q: %w", name, err)
	}
	q.Arn, q.URL, q.Name, q.DLQArn = q.Queue.Arn, q.Queue.Url, q.Queue.Name, q.DeadLetterQueue.Arn
	if err := ctx.RegisterResourceOutputs(q, pulumi.Map{
		"arn": q.Arn, "url": q.URL, "name": q.Name, "dlqArn": q.DLQArn,
	}); err != nil {
		return nil, fmt.Errorf("queue %q: %w", name, err)
	}
	return q, nil
}

// withDefaults returns the Args with every default filled in.
func (a *Args) withDefaults() Args {
	d := *a
	d.VisibilityTimeout = or(d.VisibilityTimeout, defaultVisibility)
	d.Retention = or(d.Retention, defaultRetention)
	d.DLQRetention = or(d.DLQRetention, sqsqueue.DefaultDeadLetterRetention)
	d.MaxMessageAge = or(d.MaxMessageAge, defaultMaxAge)
	if d.MaxReceiveCount == 0 {
		d.MaxReceiveCount = defaultReceives
	}
	return d
}

// children creates the dead-letter queue (with its policy and alarm), the queue, the
// redrive allow policy, the queue's policy and its age alarm.
func (q *Queue) children(ctx *pulumi.Context, name string, a Args) error {
	physical := a.Scope.Name(sqsqueue.Kind(a.FIFO), name)
	dlq, err := sqsqueue.NewDeadLetter(ctx, name, sqsqueue.DeadLetterArgs{
		Scope: a.Scope, Name: name, FIFO: a.FIFO, Retention: a.DLQRetention,
		AlarmDescription: fmt.Sprintf("Messages of queue %s were received %d times without being deleted and moved to its dead-letter queue; inspect them, fix the consumer and redrive them.",
			physical, a.MaxReceiveCount),
		Override: a.Overrides.DeadLetterQueue,
	}, q)
	if err != nil {
		return err
	}
	q.DeadLetterQueue, q.DeadLetterPolicy, q.DeadLetterAlarm = dlq.Queue, dlq.Policy, dlq.Alarm

	queueArgs := override.Apply(&sqs.QueueArgs{Tags: a.Scope.TagMap()}, a.Overrides.Queue, func(qa *sqs.QueueArgs) {
		sqsqueue.Own(qa, a.Scope, physical, a.FIFO)
		qa.VisibilityTimeoutSeconds = seconds(a.VisibilityTimeout)
		qa.MessageRetentionSeconds = seconds(a.Retention)
		qa.DelaySeconds = seconds(a.Delay)
		qa.RedrivePolicy = redrivePolicy(q.DeadLetterQueue.Arn, a.MaxReceiveCount)
	})
	q.Queue, err = sqs.NewQueue(ctx, name, queueArgs, append([]pulumi.ResourceOption{pulumi.Parent(q)}, a.Scope.Stateful()...)...)
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	q.RedriveAllow, err = sqs.NewRedriveAllowPolicy(ctx, naming.Child(name, "dlq-redrive-allow"), &sqs.RedriveAllowPolicyArgs{
		QueueUrl:           q.DeadLetterQueue.Url,
		RedriveAllowPolicy: redriveAllowPolicy(q.Queue.Arn),
	}, pulumi.Parent(q))
	if err != nil {
		return fmt.Errorf("redrive allow policy: %w", err)
	}
	topics := make([]pulumi.StringInput, len(a.Publishers))
	for i, p := range a.Publishers {
		topics[i] = p.TopicArn
	}
	if q.Policy, err = sqsqueue.NewPolicy(ctx, naming.Child(name, "policy"), q.Queue, topics, q); err != nil {
		return fmt.Errorf("queue policy: %w", err)
	}
	q.AgeAlarm, err = alarm.New(ctx, name, a.Scope, alarm.Spec{
		Name:        "oldest-message-age",
		Description: "The oldest message on queue " + physical + " is older than " + human(a.MaxMessageAge) + "; the consumer is failing, slow or stopped.",
		Namespace:   "AWS/SQS", Metric: "ApproximateAgeOfOldestMessage",
		Dimensions: pulumi.StringMap{"QueueName": q.Queue.Name},
		Statistic:  "Maximum", Threshold: pulumi.Float64(a.MaxMessageAge.Seconds()),
	}, q)
	if err != nil {
		return fmt.Errorf("alarm: %w", err)
	}
	return nil
}

// redrivePolicy is the main queue's JSON redrive policy.
func redrivePolicy(dlqArn pulumi.StringOutput, maxReceives int) pulumi.StringOutput {
	return dlqArn.ApplyT(func(arn string) (string, error) {
		b, err := json.Marshal(struct {
			DeadLetterTargetArn string `json:"deadLetterTargetArn"`
			MaxReceiveCount     int    `json:"maxReceiveCount"`
		}{arn, maxReceives})
		return string(b), err
	}).(pulumi.StringOutput)
}

// redriveAllowPolicy lets only the main queue use the dead-letter queue.
func redriveAllowPolicy(sourceArn pulumi.StringOutput) pulumi.StringOutput {
	return sourceArn.ApplyT(func(arn string) (string, error) {
		b, err := json.Marshal(struct {
			RedrivePermission string   `json:"redrivePermission"`
			SourceQueueArns   []string `json:"sourceQueueArns"`
		}{"byQueue", []string{arn}})
		return string(b), err
	}).(pulumi.StringOutput)
}

// Publishers returns the topics the queue policy lets SNS deliver from.
func (q *Queue) Publishers() []Publisher {
	return slices.Clone(q.publishers)
}

// AllowSend grants sending messages to the queue, and encrypting them with the scope's key
// (for an Existing queue, the key it was given, if any).
func (q *Queue) AllowSend() iam.Statements {
	return append(iam.Statements{
		{Sid: q.sid("Send"), Actions: []string{"sqs:SendMessage"}, Resources: []pulumi.StringInput{q.Arn}},
	}, q.key("SendKey", "kms:Decrypt", "kms:GenerateDataKey")...)
}

// AllowConsume grants receiving, deleting and hiding messages of the queue, and decrypting
// them with the scope's key (for an Existing queue, the key it was given, if any): what a
// Lambda event source mapping needs.
func (q *Queue) AllowConsume() iam.Statements {
	return append(iam.Statements{
		{
			Sid: q.sid("Consume"),
			Actions: []string{"sqs:ChangeMessageVisibility", "sqs:DeleteMessage",
				"sqs:GetQueueAttributes", "sqs:ReceiveMessage"},
			Resources: []pulumi.StringInput{q.Arn},
		},
	}, q.key("ConsumeKey", "kms:Decrypt")...)
}

// key returns the statement of a grant on the queue's key, or none when the queue is an
// Existing one whose key was not given. It holds only through SQS (kms:ViaService): sending
// to the queue does not let the role decrypt the context's other data.
func (q *Queue) key(what string, actions ...string) iam.Statements {
	if q.scope.KeyArn == nil {
		return nil
	}
	return iam.Statements{{Sid: q.sid(what), Actions: actions, Resources: []pulumi.StringInput{q.scope.KeyArn},
		Conditions: []iam.Condition{iam.ViaService("sqs", q.scope.KeyArn)}}}
}

// Widgets returns the queue's graph on its service's dashboard: messages sent, visible and
// the age of the oldest.
func (q *Queue) Widgets() []dashboard.Widget {
	return []dashboard.Widget{{Title: "Queue " + q.name, Namespace: "AWS/SQS",
		Dimensions: []dashboard.Dimension{{Name: "QueueName", Value: q.Name}},
		Metrics: []dashboard.Metric{{Name: "NumberOfMessagesSent", Stat: "Sum"},
			{Name: "ApproximateNumberOfMessagesVisible", Stat: "Maximum"}, {Name: "ApproximateAgeOfOldestMessage", Stat: "Maximum"}}}}
}

// sid returns the statement id of one statement of the queue's grants (iam.GrantSid).
func (q *Queue) sid(what string) string {
	return iam.GrantSid(TypeToken, q.name, what)
}

func seconds(d time.Duration) pulumi.Int {
	return pulumi.Int(int(d / time.Second))
}
