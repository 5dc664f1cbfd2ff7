// Package alarm creates the CloudWatch alarms of every component the same way: named by the
// scope, notifying the platform alarm topic on ALARM and on OK, missing data not breaching.
package alarm

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/platform/naming"
)

// Spec describes one alarm on one metric.
type Spec struct {
	// Name distinguishes the alarm among its owner's alarms, e.g. "errors". Required.
	Name string
	// Description says what the alarm means and what to look at. Required.
	Description string
	// Namespace and Metric name the CloudWatch metric, e.g. "AWS/Lambda" and "Errors". Required.
	Namespace, Metric string
	// Dimensions select the owner's series of the metric. Required.
	Dimensions pulumi.StringMap
	// Statistic is a statistic ("Sum", "Maximum", ...) or a percentile ("p99"). Required.
	Statistic string
	// PeriodSeconds is the length of one evaluation period. Default: 60.
	PeriodSeconds int
	// EvaluationPeriods is how many periods must breach. Default: 1.
	EvaluationPeriods int
	// Threshold is the value compared with the statistic. Required (zero is a valid threshold).
	Threshold pulumi.Float64Input
	// Comparison is a CloudWatch comparison operator. Default: GreaterThanThreshold.
	Comparison string
}

// New creates the alarm named after owner (the owning component's logical name) and spec.
func New(ctx *pulumi.Context, owner string, s scope.Scope, spec Spec, parent pulumi.Resource) (*cloudwatch.MetricAlarm, error) {
	if err := spec.validate(); err != nil {
		return nil, fmt.Errorf("alarm %q of %q: %w", spec.Name, owner, err)
	}
	if spec.PeriodSeconds == 0 {
		spec.PeriodSeconds = 60
	}
	if spec.EvaluationPeriods == 0 {
		spec.EvaluationPeriods = 1
	}
	if spec.Comparison == "" {
		spec.Comparison = "GreaterThanThreshold"
	}
	args := &cloudwatch.MetricAlarmArgs{
		Name:               pulumi.String(s.Name(naming.Alarm, owner+"-"+spec.Name)),
		AlarmDescription:   pulumi.String(spec.Description),
		Namespace:          pulumi.String(spec.Namespace),
		MetricName:         pulumi.String(spec.Metric),
		Dimensions:         spec.Dimensions,
		Period:             pulumi.Int(spec.PeriodSeconds),
		EvaluationPeriods:  pulumi.Int(spec.EvaluationPeriods),
		Threshold:          spec.Threshold,
		ComparisonOperator: pulumi.String(spec.Comparison),
		TreatMissingData:   pulumi.String("notBreaching"),
		AlarmActions:       pulumi.Array{s.AlarmTopicArn},
		OkActions:          pulumi.Array{s.AlarmTopicArn},
		Tags:               s.TagMap(),
	}
	if strings.HasPrefix(spec.Statistic, "p") {
		args.ExtendedStatistic = pulumi.String(spec.Statistic)
	} else {
		args.Statistic = pulumi.String(spec.Statistic)
	}
	a, err := cloudwatch.NewMetricAlarm(ctx, naming.Child(owner, "alarm-"+spec.Name), args, pulumi.Parent(parent))
	if err != nil {
		return nil, fmt.Errorf("alarm %q of %q: %w", spec.Name, owner, err)
	}
	return a, nil
}

// validate reports every missing field of the spec at once, in the order of the fields, so
// that the message is the same on every run.
func (spec Spec) validate() error {
	required := []struct {
		field string
		set   bool
	}{
		{"Name", spec.Name != ""},
		{"Description", spec.Description != ""},
		{"Namespace", spec.Namespace != ""},
		{"Metric", spec.Metric != ""},
		{"Dimensions", spec.Dimensions != nil},
		{"Statistic", spec.Statistic != ""},
		{"Threshold", spec.Threshold != nil},
	}
	var errs []error
	for _, r := range required {
		if !r.set {
			errs = append(errs, fmt.Errorf("%s: is required", r.field))
		}
	}
	return errors.Join(errs...)
}
