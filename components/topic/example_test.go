package topic_test

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/queue"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/components/topic"
)

// The orders API publishes order events; billing receives them through its queue, and a
// notifier function receives the placed orders only.
func Example() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		s := scopetest.New() // the context's scope; its key lets sns.amazonaws.com use it

		events, err := topic.New(ctx, "order-events", &topic.Args{Scope: s})
		if err != nil {
			return err
		}
		if _, err := function.New(ctx, "api", &function.Args{
			Scope: s, Source: "./cmd/api", Grants: events.AllowPublish(),
			Environment: map[string]pulumi.StringInput{"EVENTS_TOPIC_ARN": events.Arn},
		}); err != nil {
			return err
		}

		// The queue's one policy must let the topic deliver, so the queue names it.
		billing, err := queue.New(ctx, "billing", &queue.Args{
			Scope: s, Publishers: []queue.Publisher{events.QueuePublisher()},
		})
		if err != nil {
			return err
		}
		if _, err := topic.NewQueueSubscription(ctx, "billing-order-events", events, &topic.QueueSubscriptionArgs{
			Queue: billing,
		}); err != nil {
			return err
		}

		notifier, err := function.New(ctx, "notifier", &function.Args{Scope: s, Source: "./cmd/notifier"})
		if err != nil {
			return err
		}
		_, err = topic.NewFunctionSubscription(ctx, "notifier-order-events", events, &topic.FunctionSubscriptionArgs{
			Function: notifier, EventTypes: []string{"order.placed"},
		})
		return err
	})
}
