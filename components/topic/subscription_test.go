package topic_test

import (
	"slices"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/queue"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/components/topic"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
)

// queueSubscription creates topic "events" (FIFO when fifo), queue "billing" accepting the
// publishers publish returns, and subscription "billing-events" with args (Queue filled in).
func queueSubscription(fifo bool, publish func(*topic.Topic) []queue.Publisher, args topic.QueueSubscriptionArgs, got *error) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		tp, err := topic.New(ctx, "events", &topic.Args{Scope: scopetest.New(), FIFO: fifo})
		if err != nil {
			return err
		}
		q, err := queue.New(ctx, "billing", &queue.Args{Scope: scopetest.New(), FIFO: fifo, Publishers: publish(tp)})
		if err != nil {
			return err
		}
		args.Queue = q
		_, err = topic.NewQueueSubscription(ctx, "billing-events", tp, &args)
		if got != nil {
			*got = err
		}
		return err
	}
}

func accepting(tp *topic.Topic) []queue.Publisher { return []queue.Publisher{tp.QueuePublisher()} }

func TestQueueSubscription(t *testing.T) {
	p := plantest.Run(t, queueSubscription(false, accepting,
		topic.QueueSubscriptionArgs{EventTypes: []string{"order.placed", "order.cancelled"}}, nil))

	component := get(t, p, topic.QueueSubscriptionTypeToken, "billing-events")
	assert.Empty(t, component.Parent)
	assert.Equal(t, []string{subType + " billing-events"}, children(p, component.URN))

	sub := get(t, p, subType, "billing-events")
	assert.Equal(t, topicArn, sub.Inputs["topic"])
	assert.Equal(t, "sqs", sub.Inputs["protocol"])
	assert.Equal(t, queueArn, sub.Inputs["endpoint"])
	assert.Equal(t, true, sub.Inputs["rawMessageDelivery"])
	assert.Equal(t, `{"type":["order.cancelled","order.placed"]}`, sub.Inputs["filterPolicy"])
	assert.Equal(t, "MessageAttributes", sub.Inputs["filterPolicyScope"])
	assert.NotContains(t, sub.Inputs, "redrivePolicy")

	policy := get(t, p, queuePolType, "billing-policy")
	assert.True(t, slices.Contains(sub.Dependencies, policy.URN), "SNS delivers only once the queue policy allows it")
	assert.Equal(t, queuePolicy(queueArn, topicArn), parsePolicy(t, policy, "policy"),
		"the statement letting the topic deliver is in the queue's one policy")
	assert.Len(t, p.Find(queuePolType, ""), 2, "no policy besides the queue's own two")
}

func TestQueueSubscriptionDefaults(t *testing.T) {
	p := plantest.Run(t, queueSubscription(false, accepting, topic.QueueSubscriptionArgs{Envelope: true}, nil))
	sub := get(t, p, subType, "billing-events")
	assert.Equal(t, false, sub.Inputs["rawMessageDelivery"])
	assert.NotContains(t, sub.Inputs, "filterPolicy", "every message by default")
	assert.NotContains(t, sub.Inputs, "filterPolicyScope")
}

func TestQueueSubscriptionAcceptsTheTopicARNWrittenOut(t *testing.T) {
	literal := func(*topic.Topic) []queue.Publisher {
		return []queue.Publisher{{TopicArn: pulumi.String(otherTopicArn)}, {TopicArn: pulumi.String(topicArn)}}
	}
	p := plantest.Run(t, queueSubscription(false, literal, topic.QueueSubscriptionArgs{}, nil))
	assert.Equal(t, queueArn, get(t, p, subType, "billing-events").Inputs["endpoint"])
}

func TestQueueSubscriptionRefusesAQueueThatDoesNotAcceptTheTopic(t *testing.T) {
	other := func(*topic.Topic) []queue.Publisher {
		return []queue.Publisher{{TopicArn: pulumi.String(otherTopicArn)}}
	}
	err := plantest.RunErr(queueSubscription(false, other, topic.QueueSubscriptionArgs{}, nil))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "queue "+queueArn+" does not accept messages from topic "+topicArn+
		": its policy lets SNS deliver only from the topics in its Args.Publishers; add <topic>.QueuePublisher()")
}

func TestQueueSubscriptionValidate(t *testing.T) {
	none := func(*topic.Topic) []queue.Publisher { return nil }
	for _, tc := range []struct {
		name    string
		fifo    bool
		publish func(*topic.Topic) []queue.Publisher
		args    topic.QueueSubscriptionArgs
		want    string
	}{
		{"queue without publishers", false, none, topic.QueueSubscriptionArgs{EventTypes: []string{"a", "", "b", "a"}},
			"Queue: \"billing\" accepts no topics; create it with Publishers: []queue.Publisher{<topic>.QueuePublisher()}\n" +
				"EventTypes[1]: is empty\nEventTypes[3]: \"a\" repeats EventTypes[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got error
			require.Error(t, plantest.RunErr(queueSubscription(tc.fifo, tc.publish, tc.args, &got)))
			assert.EqualError(t, got, `queue subscription "billing-events": `+tc.want)
		})
	}
}

func TestQueueSubscriptionFIFOQueueNeedsAFIFOTopic(t *testing.T) {
	var got error
	require.Error(t, plantest.RunErr(func(ctx *pulumi.Context) error {
		tp, err := topic.New(ctx, "events", &topic.Args{Scope: scopetest.New()})
		if err != nil {
			return err
		}
		q, err := queue.New(ctx, "billing", &queue.Args{Scope: scopetest.New(), FIFO: true, Publishers: accepting(tp)})
		if err != nil {
			return err
		}
		_, got = topic.NewQueueSubscription(ctx, "billing-events", tp, &topic.QueueSubscriptionArgs{Queue: q})
		return got
	}))
	assert.EqualError(t, got, `queue subscription "billing-events": Queue: "billing" is a FIFO queue; only a FIFO topic can deliver to it`)
}

func TestQueueSubscriptionFromAFIFOTopic(t *testing.T) {
	p := plantest.Run(t, queueSubscription(true, accepting, topic.QueueSubscriptionArgs{}, nil))
	sub := get(t, p, subType, "billing-events")
	assert.Equal(t, topicArn+".fifo", sub.Inputs["topic"])
	assert.Equal(t, queueArn+".fifo", sub.Inputs["endpoint"])
}

func TestQueueSubscriptionNeedsATopicAndAQueue(t *testing.T) {
	var got error
	require.Error(t, plantest.RunErr(func(ctx *pulumi.Context) error {
		_, got = topic.NewQueueSubscription(ctx, "orphan", nil, nil)
		return got
	}))
	assert.EqualError(t, got, "queue subscription \"orphan\": topic: is required\nQueue: is required")
}

func TestQueueSubscriptionOverridesCannotRewire(t *testing.T) {
	ran := false
	p := plantest.Run(t, queueSubscription(false, accepting, topic.QueueSubscriptionArgs{
		EventTypes: []string{"order.placed"},
		Overrides: topic.QueueSubscriptionOverrides{Subscription: func(a *sns.TopicSubscriptionArgs) {
			ran = true
			a.ReplayPolicy = pulumi.String(`{"PointType":"Timestamp"}`)
			a.Endpoint = pulumi.String(sqsArnPrefix + "elsewhere")
			a.Protocol = pulumi.String("https")
			a.Topic = pulumi.String(otherTopicArn)
			a.FilterPolicy = pulumi.String(`{}`)
			a.RawMessageDelivery = pulumi.Bool(false)
		}},
	}, nil))
	require.True(t, ran)
	sub := get(t, p, subType, "billing-events")
	assert.Equal(t, `{"PointType":"Timestamp"}`, sub.Inputs["replayPolicy"], "the hook's own setting stays")
	assert.Equal(t, queueArn, sub.Inputs["endpoint"])
	assert.Equal(t, "sqs", sub.Inputs["protocol"])
	assert.Equal(t, topicArn, sub.Inputs["topic"])
	assert.Equal(t, `{"type":["order.placed"]}`, sub.Inputs["filterPolicy"])
	assert.Equal(t, true, sub.Inputs["rawMessageDelivery"])
}

func TestQueueSubscriptionGolden(t *testing.T) {
	p := plantest.Run(t, queueSubscription(false, accepting,
		topic.QueueSubscriptionArgs{EventTypes: []string{"order.placed"}}, nil))
	plantest.Golden(t, "testdata/queue-subscription.plan.json", p)
}

func TestQueueSubscriptionToAnExistingTopic(t *testing.T) {
	const foreign = "arn:aws:sns:eu-west-1:111111111111:acme-dev-accounts-events"
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		events, err := topic.Existing("accounts-events", topic.ExistingArgs{Arn: pulumi.String(foreign)})
		if err != nil {
			return err
		}
		q, err := queue.New(ctx, "inbox", &queue.Args{Scope: scopetest.New(),
			Publishers: []queue.Publisher{events.QueuePublisher()}})
		if err != nil {
			return err
		}
		_, err = topic.NewQueueSubscription(ctx, "inbox-accounts", events, &topic.QueueSubscriptionArgs{
			Queue: q, EventTypes: []string{"AccountConnected"}})
		return err
	})
	sub, err := p.Get("aws:sns/topicSubscription:TopicSubscription", "inbox-accounts")
	require.NoError(t, err)
	assert.Equal(t, foreign, sub.Inputs["topic"])
	assert.Empty(t, p.Find("aws:sns/topic:Topic", ""), "an existing topic is not created")
}
