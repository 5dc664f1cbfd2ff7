package service

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/httpapi"
	"github.com/stratum-platform/stratum/components/queue"
	"github.com/stratum-platform/stratum/components/table"
	"github.com/stratum-platform/stratum/platform/naming"
)

// widget is one graph of the dashboard: metrics of one member, all with one dimension.
type widget struct {
	title     string
	namespace string
	dimension string
	value     pulumi.StringInput
	metrics   []metric
}

type metric struct{ name, stat string }

func (s *Service) addFunction(name string, f *function.Function) {
	s.widgets = append(s.widgets, widget{title: "Function " + name, namespace: "AWS/Lambda",
		dimension: "FunctionName", value: f.Name, metrics: []metric{
			{"Invocations", "Sum"}, {"Errors", "Sum"}, {"Throttles", "Sum"}, {"Duration", "p99"}}})
}

func (s *Service) addTable(name string, t *table.Table) {
	s.widgets = append(s.widgets, widget{title: "Table " + name, namespace: "AWS/DynamoDB",
		dimension: "TableName", value: t.Name, metrics: []metric{
			{"ConsumedReadCapacityUnits", "Sum"}, {"ConsumedWriteCapacityUnits", "Sum"},
			{"ReadThrottleEvents", "Sum"}, {"WriteThrottleEvents", "Sum"}}})
}

func (s *Service) addQueue(name string, q *queue.Queue) {
	s.widgets = append(s.widgets, widget{title: "Queue " + name, namespace: "AWS/SQS",
		dimension: "QueueName", value: q.Name, metrics: []metric{
			{"NumberOfMessagesSent", "Sum"}, {"ApproximateNumberOfMessagesVisible", "Maximum"},
			{"ApproximateAgeOfOldestMessage", "Maximum"}}})
}

func (s *Service) addAPI(name string, a *httpapi.API) {
	s.widgets = append(s.widgets, widget{title: "API " + name, namespace: "AWS/ApiGateway",
		dimension: "ApiId", value: a.APIID, metrics: []metric{
			{"Count", "Sum"}, {"4xx", "Sum"}, {"5xx", "Sum"}, {"Latency", "p99"}}})
}

// dashboard creates one dashboard with a graph per member; nil when there are no members.
func (s *Service) dashboard() (*cloudwatch.Dashboard, error) {
	if len(s.widgets) == 0 {
		return nil, nil
	}
	region, err := aws.GetRegion(s.ctx, nil, pulumi.Parent(s))
	if err != nil {
		return nil, fmt.Errorf("dashboard: reading the region: %w", err)
	}
	values := make([]any, len(s.widgets))
	for i, w := range s.widgets {
		values[i] = w.value
	}
	body := pulumi.All(values...).ApplyT(func(resolved []any) (string, error) {
		return dashboardBody(region.Name, s.widgets, resolved)
	}).(pulumi.StringOutput)
	d, err := cloudwatch.NewDashboard(s.ctx, naming.Child(s.name, "dashboard"), &cloudwatch.DashboardArgs{
		DashboardName: pulumi.String(s.Scope.Name(naming.Dashboard, "")),
		DashboardBody: body,
	}, pulumi.Parent(s))
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	return d, nil
}

// dashboardBody lays the graphs out two per row, in declaration order.
func dashboardBody(region string, widgets []widget, values []any) (string, error) {
	type props struct {
		Title   string  `json:"title"`
		Region  string  `json:"region"`
		View    string  `json:"view"`
		Period  int     `json:"period"`
		Metrics [][]any `json:"metrics"`
	}
	type entry struct {
		Type       string `json:"type"`
		X          int    `json:"x"`
		Y          int    `json:"y"`
		Width      int    `json:"width"`
		Height     int    `json:"height"`
		Properties props  `json:"properties"`
	}
	entries := make([]entry, len(widgets))
	for i, w := range widgets {
		value, _ := values[i].(string)
		p := props{Title: w.title, Region: region, View: "timeSeries", Period: 300}
		for _, m := range w.metrics {
			p.Metrics = append(p.Metrics, []any{w.namespace, m.name, w.dimension, value, map[string]string{"stat": m.stat}})
		}
		entries[i] = entry{Type: "metric", X: (i % 2) * 12, Y: (i / 2) * 6, Width: 12, Height: 6, Properties: p}
	}
	b, err := json.Marshal(map[string]any{"widgets": entries})
	return string(b), err
}
