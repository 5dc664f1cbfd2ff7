package httpapi

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/naming"
)

// The metric the access logs give: requests by API and caller.
const (
	// CallerNamespace is the namespace of the caller metric.
	CallerNamespace = "Stratum/HttpApi"
	// CallerMetric counts requests by ApiId and Caller.
	CallerMetric = "Requests"
)

// newCallerMetric counts the requests of each caller of the API (the token's client_id, "-"
// for a public route), by API id: when a version is retired, this says who still calls it.
// Each caller of each API is one custom metric, so there are as many as client
// applications, not users.
func newCallerMetric(ctx *pulumi.Context, name string, logs *cloudwatch.LogGroup, parent pulumi.ResourceOption) (*cloudwatch.LogMetricFilter, error) {
	return cloudwatch.NewLogMetricFilter(ctx, naming.Child(name, "callers"), &cloudwatch.LogMetricFilterArgs{
		LogGroupName: logs.Name,
		Name:         pulumi.String("requests-by-caller"),
		Pattern:      pulumi.String("{ $.requestId = * }"),
		MetricTransformation: &cloudwatch.LogMetricFilterMetricTransformationArgs{
			Namespace: pulumi.String(CallerNamespace),
			Name:      pulumi.String(CallerMetric),
			Value:     pulumi.String("1"),
			Unit:      pulumi.String("Count"),
			Dimensions: pulumi.StringMap{
				"ApiId":  pulumi.String("$.apiId"),
				"Caller": pulumi.String("$.clientId"),
			},
		},
	}, parent)
}
