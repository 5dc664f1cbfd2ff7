package topic

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/components/queue"
	"github.com/stratum-platform/stratum/platform/tokens"
)

// QueueSubscriptionTypeToken is the Pulumi type of QueueSubscription; renaming it needs an
// alias.
const QueueSubscriptionTypeToken = tokens.QueueSubscription

// maxEventTypes is SNS's limit on the values of one filter policy.
const maxEventTypes = 150

// QueueSubscriptionArgs configures a QueueSubscription.
type QueueSubscriptionArgs struct {
	// Queue receives the topic's messages. It must have been created with the topic among
	// its Publishers (queue.Args.Publishers, see Topic.QueuePublisher), because its one
	// queue policy is what lets SNS deliver; and its key's policy must let sns.amazonaws.com
	// use the key (components/key Args.Services; service.Service does this). Required.
	Queue *queue.Queue
	// EventTypes are the values of the message attribute `type` the queue receives; a message
	// without that attribute or with another value is not delivered. Default: every message.
	EventTypes []string
	// Envelope delivers each message wrapped in SNS's JSON envelope instead of as the raw
	// message body (raw delivery also keeps message attributes as SQS message attributes).
	// Default: false (raw delivery).
	Envelope bool
	// Overrides change the children's arguments before the component re-applies the fields
	// it owns. Default: none.
	Overrides QueueSubscriptionOverrides
}

// QueueSubscriptionOverrides are hooks on a subscription's sns.TopicSubscriptionArgs. The topic,
// protocol, endpoint, filter, raw delivery and redrive settings are owned and re-applied.
type QueueSubscriptionOverrides struct {
	// Subscription changes the sns.TopicSubscriptionArgs. Default: none.
	Subscription func(*sns.TopicSubscriptionArgs)
}

// QueueSubscription delivers a topic's messages to a queue.
type QueueSubscription struct {
	pulumi.ResourceState

	// Subscription is the SNS subscription.
	Subscription *sns.TopicSubscription
	// Arn is the subscription's ARN.
	Arn pulumi.StringOutput
}

// validate reports every problem with args for topic t at once.
func (a *QueueSubscriptionArgs) validate(t *Topic) error {
	var errs []error
	if t == nil {
		errs = append(errs, errors.New("topic: is required"))
	}
	switch q := a.Queue; {
	case q == nil:
		errs = append(errs, errors.New("Queue: is required"))
	case q.FIFO && t != nil && !t.FIFO:
		errs = append(errs, fmt.Errorf("Queue: %q is a FIFO queue; only a FIFO topic can deliver to it", q.PulumiResourceName()))
	case len(q.Publishers()) == 0:
		errs = append(errs, fmt.Errorf("Queue: %q accepts no topics; create it with Publishers: []queue.Publisher{<topic>.QueuePublisher()}",
			q.PulumiResourceName()))
	}
	errs = append(errs, validateEventTypes(a.EventTypes)...)
	return errors.Join(errs...)
}

func validateEventTypes(types []string) []error {
	var errs []error
	if len(types) > maxEventTypes {
		errs = append(errs, fmt.Errorf("EventTypes: %d types is more than %d, SNS's limit for one filter policy", len(types), maxEventTypes))
	}
	for i, typ := range types {
		switch j := slices.Index(types, typ); {
		case typ == "":
			errs = append(errs, fmt.Errorf("EventTypes[%d]: is empty", i))
		case j < i:
			errs = append(errs, fmt.Errorf("EventTypes[%d]: %q repeats EventTypes[%d]", i, typ, j))
		}
	}
	return errs
}

// NewQueueSubscription subscribes args.Queue to topic t.
func NewQueueSubscription(ctx *pulumi.Context, name string, t *Topic, args *QueueSubscriptionArgs, opts ...pulumi.ResourceOption) (*QueueSubscription, error) {
	if args == nil {
		args = &QueueSubscriptionArgs{}
	}
	if err := args.validate(t); err != nil {
		return nil, fmt.Errorf("queue subscription %q: %w", name, err)
	}

	a := args.withDefaults()
	s := &QueueSubscription{}
	if err := ctx.RegisterComponentResource(QueueSubscriptionTypeToken, name, s, opts...); err != nil {
		return nil, fmt.Errorf("queue subscription %q: %w", name, err)
	}
	filter, err := filterPolicy(a.EventTypes)
	if err != nil {
		return nil, fmt.Errorf("queue subscription %q: %w", name, err)
	}
	subArgs := override.Apply(&sns.TopicSubscriptionArgs{}, a.Overrides.Subscription, func(sa *sns.TopicSubscriptionArgs) {
		ownSubscription(sa, t, "sqs", acceptedEndpoint(a.Queue, t), filter)
		sa.RawMessageDelivery = pulumi.Bool(!a.Envelope)
		sa.RedrivePolicy = nil
	})
	// SNS delivers as soon as the subscription exists: the queue policy must allow it first.
	s.Subscription, err = sns.NewTopicSubscription(ctx, name, subArgs,
		pulumi.Parent(s), pulumi.DependsOn([]pulumi.Resource{a.Queue.Policy}))
	if err != nil {
		return nil, fmt.Errorf("queue subscription %q: %w", name, err)
	}
	s.Arn = s.Subscription.Arn
	if err := ctx.RegisterResourceOutputs(s, pulumi.Map{"arn": s.Arn}); err != nil {
		return nil, fmt.Errorf("queue subscription %q: %w", name, err)
	}
	return s, nil
}

// withDefaults returns the args with every default filled in. Every field's zero value is
// its default; the step exists so that a default added later has its one place.
func (a *QueueSubscriptionArgs) withDefaults() QueueSubscriptionArgs {
	return *a
}

// acceptedEndpoint returns the queue's ARN, once it is known that the queue's policy lets the
// topic deliver. A queue created with t.QueuePublisher() (or t.Arn) is accepted at once;
// otherwise the publishers' ARNs are compared when they resolve, which fails the deployment
// (and the offline plan) instead of creating a subscription SNS cannot deliver to.
func acceptedEndpoint(q *queue.Queue, t *Topic) pulumi.StringInput {
	publishers := q.Publishers()
	for _, p := range publishers {
		if out, ok := p.TopicArn.(pulumi.StringOutput); ok && out == t.Arn {
			return q.Arn
		}
	}
	inputs := []any{q.Arn, t.Arn}
	for _, p := range publishers {
		inputs = append(inputs, p.TopicArn)
	}
	return pulumi.All(inputs...).ApplyT(func(v []any) (string, error) {
		queueArn, _ := v[0].(string)
		topicArn, _ := v[1].(string)
		for _, arn := range v[2:] {
			if arn == topicArn {
				return queueArn, nil
			}
		}
		return "", fmt.Errorf("queue %s does not accept messages from topic %s: its policy lets SNS deliver only from the topics in its Args.Publishers; add <topic>.QueuePublisher()",
			queueArn, topicArn)
	}).(pulumi.StringOutput)
}

// filterPolicy returns the filter policy that delivers only messages whose `type` attribute
// is one of eventTypes, or nil (every message) when there are none.
func filterPolicy(eventTypes []string) (pulumi.StringInput, error) {
	if len(eventTypes) == 0 {
		return nil, nil
	}
	sorted := slices.Clone(eventTypes)
	slices.Sort(sorted)
	policy, err := json.Marshal(map[string][]string{"type": sorted})
	if err != nil {
		return nil, fmt.Errorf("filter policy: %w", err)
	}
	return pulumi.String(string(policy)), nil
}

// ownSubscription re-applies the fields of a subscription that the component owns: the
// topic, the protocol and endpoint, and the filter policy (none when filter is nil).
func ownSubscription(a *sns.TopicSubscriptionArgs, t *Topic, protocol string, endpoint, filter pulumi.StringInput) {
	a.Topic = t.Arn
	a.Protocol = pulumi.String(protocol)
	a.Endpoint = endpoint
	a.EndpointAutoConfirms = nil
	a.SubscriptionRoleArn = nil
	a.FilterPolicy, a.FilterPolicyScope = nil, nil
	if filter != nil {
		a.FilterPolicy = filter
		a.FilterPolicyScope = pulumi.String("MessageAttributes")
	}
}
