package components_test

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/queue"
	"github.com/stratum-platform/stratum/components/schedule"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/components/topic"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
)

// The three dead-letter queues (a queue's, a function subscription's, a schedule's) come from
// one builder: in a protecting scope each is protected and retained, encrypted the same way,
// keeps messages 14 days, has a TLS-only queue policy of its own (an override cannot add an
// inline one) and an alarm as soon as it holds a message.
func TestEveryDeadLetterQueueIsBuiltTheSameWay(t *testing.T) {
	// Every hook tries to weaken what the component owns.
	weaken := func(q *sqs.QueueArgs) {
		q.Policy = pulumi.String(`{"Statement":[]}`)
		q.KmsMasterKeyId = nil
		q.KmsDataKeyReusePeriodSeconds = pulumi.Int(86400)
		q.MessageRetentionSeconds = pulumi.Int(60)
	}
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		sc := scopetest.New()
		sc.Protect = true
		if _, err := queue.New(ctx, "jobs", &queue.Args{Scope: sc,
			Overrides: queue.Overrides{DeadLetterQueue: weaken}}); err != nil {
			return err
		}
		fn, err := function.New(ctx, "worker", &function.Args{Scope: sc, Archive: archive})
		if err != nil {
			return err
		}
		tp, err := topic.New(ctx, "events", &topic.Args{Scope: sc})
		if err != nil {
			return err
		}
		if _, err := topic.NewFunctionSubscription(ctx, "worker-events", tp, &topic.FunctionSubscriptionArgs{Function: fn,
			Overrides: topic.FunctionSubscriptionOverrides{DeadLetterQueue: weaken}}); err != nil {
			return err
		}
		_, err = schedule.New(ctx, "nightly", &schedule.Args{Scope: sc, Function: fn, Expression: "rate(1 hour)",
			Overrides: schedule.Overrides{DeadLetterQueue: weaken}})
		return err
	})
	for _, dlq := range []struct{ logical, physical string }{
		{"jobs", "jobs"}, {"worker-events", "worker-events"}, {"nightly", "nightly-schedule"},
	} {
		q, err := p.Get("aws:sqs/queue:Queue", dlq.logical+"-dlq")
		require.NoError(t, err)
		assert.True(t, q.Protect && q.RetainOnDelete, "%s: protected and retained", q.Name)
		assert.Equal(t, map[string]any{
			"name": "acme-dev-orders-" + dlq.physical + "-dlq", "fifoQueue": false,
			"kmsMasterKeyId": scopetest.KeyArn, "kmsDataKeyReusePeriodSeconds": float64(300),
			"messageRetentionSeconds": float64(14 * 24 * 3600), "tags": q.Inputs["tags"],
		}, q.Inputs, q.Name)

		policy, err := p.Get("aws:sqs/queuePolicy:QueuePolicy", dlq.logical+"-dlq-policy")
		require.NoError(t, err)
		assert.Equal(t, q.Outputs["url"], policy.Inputs["queueUrl"])
		assertTLSOnly(t, policy, q.Outputs["arn"].(string))

		alarm, err := p.Get("aws:cloudwatch/metricAlarm:MetricAlarm", dlq.physical+"-alarm-dlq-not-empty")
		require.NoError(t, err)
		assert.Equal(t, "acme-dev-orders-"+dlq.physical+"-dlq-not-empty", alarm.Inputs["name"])
		assert.Equal(t, map[string]any{"QueueName": q.Inputs["name"]}, alarm.Inputs["dimensions"])
		assert.Equal(t, 0.0, alarm.Inputs["threshold"])
	}
}

// assertTLSOnly checks that a queue policy denies every request to the queue without TLS.
func assertTLSOnly(t *testing.T, policy plan.Resource, queueArn string) {
	t.Helper()
	doc, err := iam.Parse(policy.String("policy"))
	require.NoError(t, err)
	var denied []string
	for _, st := range doc.Statement {
		if st.Effect == "Deny" {
			assert.Equal(t, []string{queueArn}, st.Resource)
			assert.Equal(t, map[string]map[string][]string{"Bool": {"aws:SecureTransport": {"false"}}}, st.Condition)
			denied = append(denied, st.Action...)
		}
	}
	assert.Subset(t, denied, []string{"sqs:SendMessage", "sqs:ReceiveMessage", "sqs:SetQueueAttributes"}, policy.Name)
}
