package topic

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/internal/sqsqueue"
	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/tokens"
)

// FunctionSubscriptionTypeToken is the Pulumi type of FunctionSubscription; renaming it needs
// an alias.
const FunctionSubscriptionTypeToken = tokens.FunctionSubscription

// FunctionSubscriptionArgs configures a FunctionSubscription.
type FunctionSubscriptionArgs struct {
	// Function receives the topic's messages through its live alias. Required.
	Function *function.Function
	// EventTypes are the values of the message attribute `type` the function receives.
	// Default: every message.
	EventTypes []string
	// Scope is the subscriber's: it names, encrypts and alarms the subscription's
	// dead-letter queue. It is required for a topic of another stack (topic.Existing).
	// Default: the topic's scope.
	Scope scope.Scope
	// Overrides change the children's arguments before the component re-applies the fields
	// it owns. Default: none.
	Overrides FunctionSubscriptionOverrides
}

// FunctionSubscriptionOverrides are hooks on a function subscription's children.
type FunctionSubscriptionOverrides struct {
	// Subscription changes the sns.TopicSubscriptionArgs; the topic, protocol, endpoint,
	// filter and redrive policy are re-applied. Default: none.
	Subscription func(*sns.TopicSubscriptionArgs)
	// DeadLetterQueue changes the dead-letter queue's sqs.QueueArgs; the name, encryption,
	// retention and policy are re-applied. Default: none.
	DeadLetterQueue func(*sqs.QueueArgs)
}

// FunctionSubscription delivers a topic's messages to a function: the SNS subscription, the
// permission for SNS to invoke the function's live alias from this topic only, and a
// dead-letter queue for messages SNS could not deliver.
type FunctionSubscription struct {
	pulumi.ResourceState

	// Subscription is the SNS subscription.
	Subscription *sns.TopicSubscription
	// Permission lets SNS invoke the live alias, for this topic only.
	Permission *lambda.Permission
	// DeadLetterQueue keeps the messages SNS could not deliver.
	DeadLetterQueue *sqs.Queue
	// DeadLetterPolicy lets only this topic write to the dead-letter queue, over TLS.
	DeadLetterPolicy *sqs.QueuePolicy
	// DeadLetterAlarm fires when the dead-letter queue holds a message.
	DeadLetterAlarm *cloudwatch.MetricAlarm
	// Arn is the subscription's ARN; DLQArn the dead-letter queue's.
	Arn, DLQArn pulumi.StringOutput
}

func (a *FunctionSubscriptionArgs) validate(t *Topic) error {
	var errs []error
	switch {
	case t == nil:
		errs = append(errs, errors.New("topic: is required"))
	case t.FIFO:
		errs = append(errs, fmt.Errorf("topic: %q is a FIFO topic; FIFO topics deliver only to SQS queues (use a FIFO queue and queue.NewConsumer)",
			t.PulumiResourceName()))
	}
	if a.Function == nil {
		errs = append(errs, errors.New("Function: is required"))
	}
	switch sc := a.subscriberScope(t); {
	case t == nil:
	case sc.KeyArn == nil && sc.Naming == (naming.Scope{}):
		errs = append(errs, errors.New("Scope: is required for a topic of another stack (topic.Existing): it names and encrypts the subscription's dead-letter queue"))
	default:
		if err := sc.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, validateEventTypes(a.EventTypes)...)
	return errors.Join(errs...)
}

// subscriberScope is Scope, or the topic's scope when Scope is not set.
func (a *FunctionSubscriptionArgs) subscriberScope(t *Topic) scope.Scope {
	if a.Scope.KeyArn != nil || a.Scope.Naming != (naming.Scope{}) || t == nil {
		return a.Scope
	}
	return t.scope
}

// withDefaults returns the args with every default filled in: the subscriber's scope is the
// topic's unless Scope is set.
func (a *FunctionSubscriptionArgs) withDefaults(t *Topic) FunctionSubscriptionArgs {
	d := *a
	d.Scope = a.subscriberScope(t)
	return d
}

// NewFunctionSubscription subscribes args.Function to topic t.
//
// SNS invokes the function asynchronously: failures inside the function are retried and sent
// to its own on-failure destination (function.Args). The subscription's dead-letter queue
// catches what SNS itself could not deliver, for example after the permission was removed or
// while invocations were throttled for longer than SNS retries. It is encrypted with the
// scope's key, so the key policy must let sns.amazonaws.com use it (see the package doc).
func NewFunctionSubscription(ctx *pulumi.Context, name string, t *Topic, args *FunctionSubscriptionArgs, opts ...pulumi.ResourceOption) (*FunctionSubscription, error) {
	if args == nil {
		args = &FunctionSubscriptionArgs{}
	}
	if err := args.validate(t); err != nil {
		return nil, fmt.Errorf("function subscription %q: %w", name, err)
	}
	a := args.withDefaults(t)
	s := &FunctionSubscription{}
	if err := ctx.RegisterComponentResource(FunctionSubscriptionTypeToken, name, s, opts...); err != nil {
		return nil, fmt.Errorf("function subscription %q: %w", name, err)
	}
	if err := s.children(ctx, name, t, a); err != nil {
		return nil, fmt.Errorf("function subscription %q: %w", name, err)
	}
	s.Arn, s.DLQArn = s.Subscription.Arn, s.DeadLetterQueue.Arn
	if err := ctx.RegisterResourceOutputs(s, pulumi.Map{"arn": s.Arn, "dlqArn": s.DLQArn}); err != nil {
		return nil, fmt.Errorf("function subscription %q: %w", name, err)
	}
	return s, nil
}

// children creates the permission, the dead-letter queue (with its policy and alarm) and
// the subscription.
func (s *FunctionSubscription) children(ctx *pulumi.Context, name string, t *Topic, a FunctionSubscriptionArgs) error {
	fn := a.Function
	var err error
	s.Permission, err = lambda.NewPermission(ctx, naming.Child(name, "permission"), &lambda.PermissionArgs{
		Action:    pulumi.String("lambda:InvokeFunction"),
		Function:  fn.Name,
		Qualifier: pulumi.String(function.AliasName),
		Principal: pulumi.String(string(iam.ServiceSNS)),
		SourceArn: t.Arn,
	}, pulumi.Parent(s))
	if err != nil {
		return fmt.Errorf("permission: %w", err)
	}

	dlq, err := sqsqueue.NewDeadLetter(ctx, name, sqsqueue.DeadLetterArgs{
		Scope: a.Scope, Name: name, Publishers: []pulumi.StringInput{t.Arn},
		AlarmDescription: "SNS could not deliver messages of topic " + t.PulumiResourceName() + " to function " +
			fn.PulumiResourceName() + "; they are in queue " + a.Scope.Name(naming.SQSQueue, name+"-dlq") +
			". Check the function's permission and throttling, then redrive them.",
		Override: a.Overrides.DeadLetterQueue,
	}, s)
	if err != nil {
		return err
	}
	s.DeadLetterQueue, s.DeadLetterPolicy, s.DeadLetterAlarm = dlq.Queue, dlq.Policy, dlq.Alarm

	filter, err := filterPolicy(a.EventTypes)
	if err != nil {
		return fmt.Errorf("subscription: %w", err)
	}
	subArgs := override.Apply(&sns.TopicSubscriptionArgs{}, a.Overrides.Subscription, func(sa *sns.TopicSubscriptionArgs) {
		ownSubscription(sa, t, "lambda", fn.AliasArn, filter)
		sa.RawMessageDelivery = nil // SNS refuses it for Lambda endpoints
		sa.RedrivePolicy = s.DeadLetterQueue.Arn.ApplyT(func(arn string) (string, error) {
			b, err := json.Marshal(map[string]string{"deadLetterTargetArn": arn})
			return string(b), err
		}).(pulumi.StringOutput)
	})
	// SNS invokes and dead-letters as soon as the subscription exists.
	s.Subscription, err = sns.NewTopicSubscription(ctx, name, subArgs, pulumi.Parent(s),
		pulumi.DependsOn([]pulumi.Resource{s.Permission, s.DeadLetterPolicy}))
	if err != nil {
		return fmt.Errorf("subscription: %w", err)
	}
	return nil
}
