// Package dashboard describes the graphs a component shows on its context's CloudWatch
// dashboard (components/service), and renders a dashboard body from them. A component
// declares its own graphs (its key metrics) by implementing Member, so that the service
// draws a member it has no method for as well as the ones it knows.
//
// Default settings: graphs are laid out two per row, 12 by 6 units, in the order they are
// added, as time series over 5 minutes.
package dashboard

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Widget is one graph: metrics of one resource, identified by the same dimensions.
type Widget struct {
	// Title names the graph, for example "Function register". Required.
	Title string
	// Namespace is the CloudWatch namespace of the metrics, for example "AWS/Lambda".
	// Required.
	Namespace string
	// Dimensions identify the resource, in the order CloudWatch lists them. Required.
	Dimensions []Dimension
	// Metrics are the graph's lines. Required.
	Metrics []Metric
}

// Dimension is one dimension of a widget's metrics.
type Dimension struct {
	// Name is the dimension's name, for example "FunctionName". Required.
	Name string
	// Value is the dimension's value, usually an output of the resource. Required.
	Value pulumi.StringInput
}

// Metric is one line of a graph.
type Metric struct {
	// Name is the metric's name, for example "Errors". Required.
	Name string
	// Stat is the statistic: Sum, Average, Minimum, Maximum, SampleCount or a percentile
	// such as p99. Required.
	Stat string
}

// Member is a component that shows on its service's dashboard.
type Member interface {
	pulumi.ComponentResource
	// Widgets returns the member's graphs, in the order they are drawn; none is fine.
	Widgets() []Widget
}

// Validate reports every problem of the widgets at once, each naming the widget.
func Validate(widgets []Widget) error {
	stat := regexp.MustCompile(`^(Sum|Average|Minimum|Maximum|SampleCount|p(\d{1,2}(\.\d+)?|100))$`)
	var errs []error
	for i, w := range widgets {
		fail := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("widget %d (%q): %s", i, w.Title, fmt.Sprintf(format, args...)))
		}
		if w.Title == "" {
			fail("Title: is required")
		}
		if w.Namespace == "" {
			fail("Namespace: is required (such as AWS/Lambda)")
		}
		if len(w.Dimensions) == 0 {
			fail("Dimensions: none; name the resource the metrics are of")
		}
		for j, d := range w.Dimensions {
			if d.Name == "" || d.Value == nil {
				fail("Dimensions[%d]: needs a Name and a Value", j)
			}
		}
		if len(w.Metrics) == 0 {
			fail("Metrics: none; a graph draws at least one")
		}
		for j, m := range w.Metrics {
			if m.Name == "" {
				fail("Metrics[%d].Name: is required", j)
			}
			if !stat.MatchString(m.Stat) {
				fail("Metrics[%d].Stat: %q is not Sum, Average, Minimum, Maximum, SampleCount or a percentile such as p99", j, m.Stat)
			}
		}
	}
	return errors.Join(errs...)
}

// Body returns the JSON body of a dashboard of widgets in region, once every dimension's
// value is known.
func Body(region string, widgets []Widget) (pulumi.StringOutput, error) {
	if err := Validate(widgets); err != nil {
		return pulumi.StringOutput{}, err
	}
	var values []any
	for _, w := range widgets {
		for _, d := range w.Dimensions {
			values = append(values, d.Value)
		}
	}
	snapshot := append([]Widget(nil), widgets...)
	return pulumi.All(values...).ApplyT(func(resolved []any) (string, error) {
		return render(region, snapshot, resolved)
	}).(pulumi.StringOutput), nil
}

// render lays the graphs out two per row, in order; values are the dimensions' values in
// the order Body listed them.
func render(region string, widgets []Widget, values []any) (string, error) {
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
	next := 0
	for i, w := range widgets {
		dims := make([]any, 0, 2*len(w.Dimensions))
		for _, d := range w.Dimensions {
			value, _ := values[next].(string)
			next++
			dims = append(dims, d.Name, value)
		}
		p := props{Title: w.Title, Region: region, View: "timeSeries", Period: 300}
		for _, m := range w.Metrics {
			line := append([]any{w.Namespace, m.Name}, dims...)
			p.Metrics = append(p.Metrics, append(line, map[string]string{"stat": m.Stat}))
		}
		entries[i] = entry{Type: "metric", X: (i % 2) * 12, Y: (i / 2) * 6, Width: 12, Height: 6, Properties: p}
	}
	b, err := json.Marshal(map[string]any{"widgets": entries})
	if err != nil {
		return "", fmt.Errorf("dashboard: %w", err)
	}
	return string(b), nil
}
