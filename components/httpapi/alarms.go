package httpapi

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/alarm"
	"github.com/stratum-platform/stratum/components/dashboard"
)

// serverErrorThreshold is how many 5xx answers in five minutes make the API alarm: one is
// a blip clients retry, five is a pattern.
const serverErrorThreshold = 5

// alarms creates the server error and latency alarms of the stage. HTTP APIs publish their
// metrics as "5xx" and "Latency" (REST APIs use "5XXError") per ApiId and Stage.
func (a *API) alarms(ctx *pulumi.Context, name string, s settings) error {
	dims := pulumi.StringMap{"ApiId": a.APIID, "Stage": pulumi.String(StageName)}
	specs := []alarm.Spec{
		{
			Name: "5xx",
			Description: fmt.Sprintf("The API answered at least %d requests with a server error (5xx) in 5 minutes. "+
				"Check the access logs' integrationError and the functions' errors.", serverErrorThreshold),
			Namespace:     "AWS/ApiGateway",
			Metric:        "5xx",
			Dimensions:    dims,
			Statistic:     "Sum",
			PeriodSeconds: 300,
			Threshold:     pulumi.Float64(serverErrorThreshold),
			Comparison:    "GreaterThanOrEqualToThreshold",
		},
		{
			Name: "latency",
			Description: fmt.Sprintf("The API's p99 latency was above %s for 10 minutes. "+
				"Compare with integrationLatency in the access logs to find the slow route.", s.LatencyThreshold),
			Namespace:         "AWS/ApiGateway",
			Metric:            "Latency",
			Dimensions:        dims,
			Statistic:         "p99",
			PeriodSeconds:     300,
			EvaluationPeriods: 2,
			Threshold:         pulumi.Float64(float64(s.LatencyThreshold.Milliseconds())),
		},
	}
	for _, spec := range specs {
		if _, err := alarm.New(ctx, name, s.Scope, spec, a); err != nil {
			return err
		}
	}
	return nil
}

// Widgets returns the API's graph on its service's dashboard: requests, client and server
// errors and p99 latency.
func (a *API) Widgets() []dashboard.Widget {
	return []dashboard.Widget{{Title: "API " + a.name, Namespace: "AWS/ApiGateway",
		Dimensions: []dashboard.Dimension{{Name: "ApiId", Value: a.APIID}},
		Metrics:    []dashboard.Metric{{Name: "Count", Stat: "Sum"}, {Name: "4xx", Stat: "Sum"}, {Name: "5xx", Stat: "Sum"}, {Name: "Latency", Stat: "p99"}}}}
}
