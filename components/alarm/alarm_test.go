package alarm_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/alarm"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
)

type owner struct{ pulumi.ResourceState }

func TestAlarm(t *testing.T) {
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		o := &owner{}
		if err := ctx.RegisterComponentResource("test:index:Owner", "jobs", o); err != nil {
			return err
		}
		if _, err := alarm.New(ctx, "jobs", scopetest.New(), alarm.Spec{
			Name: "age", Description: "Oldest message is old.", Namespace: "AWS/SQS",
			Metric: "ApproximateAgeOfOldestMessage", Dimensions: pulumi.StringMap{"QueueName": pulumi.String("q")},
			Statistic: "Maximum", Threshold: pulumi.Float64(900),
		}, o); err != nil {
			return err
		}
		_, err := alarm.New(ctx, "jobs", scopetest.New(), alarm.Spec{
			Name: "latency", Description: "Slow.", Namespace: "AWS/Lambda", Metric: "Duration",
			Dimensions: pulumi.StringMap{"FunctionName": pulumi.String("f")}, Statistic: "p99",
			Threshold: pulumi.Float64(1000), PeriodSeconds: 300, EvaluationPeriods: 3, Comparison: "GreaterThanOrEqualToThreshold",
		}, o)
		return err
	})
	o, err := p.Get("test:index:Owner", "jobs")
	require.NoError(t, err)
	age, err := p.Get("aws:cloudwatch/metricAlarm:MetricAlarm", "jobs-alarm-age")
	require.NoError(t, err)
	assert.Equal(t, o.URN, age.Parent)
	assert.Equal(t, map[string]any{
		"name": "acme-dev-orders-jobs-age", "alarmDescription": "Oldest message is old.",
		"namespace": "AWS/SQS", "metricName": "ApproximateAgeOfOldestMessage",
		"dimensions": map[string]any{"QueueName": "q"}, "statistic": "Maximum", "period": float64(60),
		"evaluationPeriods": float64(1), "threshold": float64(900), "comparisonOperator": "GreaterThanThreshold",
		"treatMissingData": "notBreaching", "alarmActions": []any{scopetest.AlarmTopicArn},
		"okActions": []any{scopetest.AlarmTopicArn}, "tags": age.Inputs["tags"],
	}, age.Inputs)
	latency, err := p.Get("aws:cloudwatch/metricAlarm:MetricAlarm", "jobs-alarm-latency")
	require.NoError(t, err)
	assert.Equal(t, "p99", latency.Inputs["extendedStatistic"])
	assert.NotContains(t, latency.Inputs, "statistic")
	assert.Equal(t, float64(300), latency.Inputs["period"])
	assert.Equal(t, "GreaterThanOrEqualToThreshold", latency.Inputs["comparisonOperator"])
}

func TestAlarmValidation(t *testing.T) {
	var got error
	require.Error(t, plantest.RunErr(func(ctx *pulumi.Context) error {
		_, got = alarm.New(ctx, "jobs", scopetest.New(), alarm.Spec{Name: "x"}, nil)
		return got
	}))
	// The fields are reported in their order, the same on every run.
	assert.EqualError(t, got, `alarm "x" of "jobs": Description: is required
Namespace: is required
Metric: is required
Dimensions: is required
Statistic: is required
Threshold: is required`)
}
