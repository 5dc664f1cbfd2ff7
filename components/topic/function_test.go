package topic_test

import (
	"slices"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/components/topic"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
)

const dlqArn = sqsArnPrefix + "acme-dev-orders-notify-events-dlq"

// functionSubscription creates topic "events" (FIFO when fifo), function "notify" and
// subscription "notify-events" with args (Function filled in when nil).
func functionSubscription(fifo bool, args topic.FunctionSubscriptionArgs, got *error) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		tp, err := topic.New(ctx, "events", &topic.Args{Scope: scopetest.New(), FIFO: fifo})
		if err != nil {
			return err
		}
		fn, err := function.New(ctx, "notify", &function.Args{Scope: scopetest.New(), Archive: "testdata/bootstrap.zip"})
		if err != nil {
			return err
		}
		if args.Function == nil {
			args.Function = fn
		}
		_, err = topic.NewFunctionSubscription(ctx, "notify-events", tp, &args)
		if got != nil {
			*got = err
		}
		return err
	}
}

func TestFunctionSubscription(t *testing.T) {
	p := plantest.Run(t, functionSubscription(false, topic.FunctionSubscriptionArgs{EventTypes: []string{"order.placed"}}, nil))

	component := get(t, p, topic.FunctionSubscriptionTypeToken, "notify-events")
	assert.Empty(t, component.Parent)
	assert.Equal(t, []string{
		alarmType + " notify-events-alarm-dlq-not-empty",
		permissionType + " notify-events-permission",
		subType + " notify-events",
		queueType + " notify-events-dlq",
		queuePolType + " notify-events-dlq-policy",
	}, children(p, component.URN))

	perm := get(t, p, permissionType, "notify-events-permission")
	assert.Equal(t, map[string]any{
		"action":    "lambda:InvokeFunction",
		"function":  "acme-dev-orders-notify",
		"qualifier": "live",
		"principal": "sns.amazonaws.com",
		"sourceArn": topicArn,
	}, perm.Inputs)

	dlq := get(t, p, queueType, "notify-events-dlq")
	assert.Equal(t, "acme-dev-orders-notify-events-dlq", dlq.Inputs["name"])
	assert.Equal(t, scopeKeyArn, dlq.Inputs["kmsMasterKeyId"])
	assert.EqualValues(t, 300, dlq.Inputs["kmsDataKeyReusePeriodSeconds"])
	assert.EqualValues(t, 14*24*3600, dlq.Inputs["messageRetentionSeconds"])
	assert.Equal(t, false, dlq.Inputs["fifoQueue"])
	assert.Equal(t, "orders", dlq.Inputs["tags"].(map[string]any)["context"])

	dlqPolicy := get(t, p, queuePolType, "notify-events-dlq-policy")
	assert.Equal(t, queuePolicy(dlqArn, topicArn), parsePolicy(t, dlqPolicy, "policy"))

	sub := get(t, p, subType, "notify-events")
	assert.Equal(t, topicArn, sub.Inputs["topic"])
	assert.Equal(t, "lambda", sub.Inputs["protocol"])
	assert.Equal(t, aliasArn, sub.Inputs["endpoint"])
	assert.Equal(t, map[string]any{"deadLetterTargetArn": dlqArn}, decode(t, sub, "redrivePolicy"))
	assert.Equal(t, `{"type":["order.placed"]}`, sub.Inputs["filterPolicy"])
	assert.Equal(t, "MessageAttributes", sub.Inputs["filterPolicyScope"])
	assert.NotContains(t, sub.Inputs, "rawMessageDelivery")
	assert.True(t, slices.Contains(sub.Dependencies, perm.URN), "SNS may invoke before the subscription exists")
	assert.True(t, slices.Contains(sub.Dependencies, dlqPolicy.URN), "SNS may dead-letter before the subscription exists")

	a := get(t, p, alarmType, "notify-events-alarm-dlq-not-empty")
	assert.Equal(t, "acme-dev-orders-notify-events-dlq-not-empty", a.Inputs["name"])
	assert.Equal(t, "ApproximateNumberOfMessagesVisible", a.Inputs["metricName"])
	assert.Equal(t, map[string]any{"QueueName": "acme-dev-orders-notify-events-dlq"}, a.Inputs["dimensions"])
	assert.Equal(t, "Maximum", a.Inputs["statistic"])
	assert.EqualValues(t, 0, a.Inputs["threshold"])
	assert.Equal(t, []any{alarmTopic}, a.Inputs["alarmActions"])
}

func TestFunctionSubscriptionProtectsItsDeadLetterQueue(t *testing.T) {
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		s := scopetest.New()
		s.Protect = true
		tp, err := topic.New(ctx, "events", &topic.Args{Scope: s})
		if err != nil {
			return err
		}
		fn, err := function.New(ctx, "notify", &function.Args{Scope: s, Archive: "testdata/bootstrap.zip"})
		if err != nil {
			return err
		}
		_, err = topic.NewFunctionSubscription(ctx, "notify-events", tp, &topic.FunctionSubscriptionArgs{Function: fn})
		return err
	})
	dlq := get(t, p, queueType, "notify-events-dlq")
	assert.True(t, dlq.Protect)
	assert.True(t, dlq.RetainOnDelete)
}

func TestFunctionSubscriptionValidate(t *testing.T) {
	var got error
	require.Error(t, plantest.RunErr(functionSubscription(true, topic.FunctionSubscriptionArgs{EventTypes: []string{""}}, &got)))
	assert.EqualError(t, got, "function subscription \"notify-events\": topic: \"events\" is a FIFO topic; FIFO topics deliver only to SQS queues (use a FIFO queue and queue.NewConsumer)\n"+
		"EventTypes[0]: is empty")

	require.Error(t, plantest.RunErr(func(ctx *pulumi.Context) error {
		_, got = topic.NewFunctionSubscription(ctx, "orphan", nil, nil)
		return got
	}))
	assert.EqualError(t, got, "function subscription \"orphan\": topic: is required\nFunction: is required")
}

func TestFunctionSubscriptionOverridesCannotRewire(t *testing.T) {
	ranDLQ, ranSub := false, false
	p := plantest.Run(t, functionSubscription(false, topic.FunctionSubscriptionArgs{Overrides: topic.FunctionSubscriptionOverrides{
		Subscription: func(a *sns.TopicSubscriptionArgs) {
			ranSub = true
			a.DeliveryPolicy = pulumi.String(`{"healthyRetryPolicy":{"numRetries":5}}`)
			a.Endpoint = pulumi.String("arn:aws:lambda:eu-west-1:111111111111:function:other")
			a.RedrivePolicy = nil
			a.RawMessageDelivery = pulumi.Bool(true)
		},
		DeadLetterQueue: func(a *sqs.QueueArgs) {
			ranDLQ = true
			a.MessageRetentionSeconds = pulumi.Int(3600)
			a.KmsMasterKeyId = nil
			a.SqsManagedSseEnabled = pulumi.Bool(true)
			a.Policy = pulumi.String(`{"Statement":[]}`)
			a.Name = pulumi.String("renamed")
		},
	}}, nil))
	require.True(t, ranDLQ)
	require.True(t, ranSub)
	dlq := get(t, p, queueType, "notify-events-dlq")
	assert.EqualValues(t, 14*24*3600, dlq.Inputs["messageRetentionSeconds"], "retention is owned, as for every dead-letter queue")
	assert.Equal(t, scopeKeyArn, dlq.Inputs["kmsMasterKeyId"])
	assert.NotContains(t, dlq.Inputs, "sqsManagedSseEnabled")
	assert.NotContains(t, dlq.Inputs, "policy")
	assert.Equal(t, "acme-dev-orders-notify-events-dlq", dlq.Inputs["name"])
	sub := get(t, p, subType, "notify-events")
	assert.Equal(t, `{"healthyRetryPolicy":{"numRetries":5}}`, sub.Inputs["deliveryPolicy"])
	assert.Equal(t, aliasArn, sub.Inputs["endpoint"])
	assert.Equal(t, map[string]any{"deadLetterTargetArn": dlqArn}, decode(t, sub, "redrivePolicy"))
	assert.NotContains(t, sub.Inputs, "rawMessageDelivery")
	assert.Equal(t, iam.Version, parsePolicy(t, get(t, p, queuePolType, "notify-events-dlq-policy"), "policy").Version)
}

func TestFunctionSubscriptionGolden(t *testing.T) {
	p := plantest.Run(t, functionSubscription(false, topic.FunctionSubscriptionArgs{}, nil))
	plantest.Golden(t, "testdata/function-subscription.plan.json", withoutFunctions(p))
}

func TestFunctionSubscriptionToAnExistingTopic(t *testing.T) {
	const foreign = "arn:aws:sns:eu-west-1:111111111111:acme-dev-accounts-events"
	subscribe := func(withScope bool) func(ctx *pulumi.Context) error {
		return func(ctx *pulumi.Context) error {
			fn, err := function.New(ctx, "audit", &function.Args{Scope: scopetest.New(), Archive: "testdata/bootstrap.zip"})
			if err != nil {
				return err
			}
			args := &topic.FunctionSubscriptionArgs{Function: fn}
			if withScope {
				args.Scope = scopetest.New()
			}
			events, err := topic.Existing("accounts-events", topic.ExistingArgs{Arn: pulumi.String(foreign)})
			if err != nil {
				return err
			}
			_, err = topic.NewFunctionSubscription(ctx, "audit-accounts", events, args)
			return err
		}
	}
	err := plantest.RunErr(subscribe(false))
	assert.ErrorContains(t, err, `function subscription "audit-accounts": Scope: is required for a topic of another stack`)

	p := plantest.Run(t, subscribe(true))
	dlq, err := p.Get("aws:sqs/queue:Queue", "audit-accounts-dlq")
	require.NoError(t, err)
	assert.Equal(t, scopetest.KeyArn, dlq.Inputs["kmsMasterKeyId"])
	sub, err := p.Get("aws:sns/topicSubscription:TopicSubscription", "audit-accounts")
	require.NoError(t, err)
	assert.Equal(t, foreign, sub.Inputs["topic"])
}
