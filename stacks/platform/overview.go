package platform

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/project"
)

// The platform dashboard draws every context of the environment from the context's golden
// plan (stacks/<context>/testdata/<env>.plan.json in the repository the program runs from),
// not from its stack: the contexts deploy after the platform and read its outputs, so the
// platform cannot read theirs (a cycle), and a context cannot add widgets to a dashboard
// another stack owns. The golden plan is the reviewed description of what a context deploys,
// committed with its code and kept current by `make golden`, so a new context appears on the
// dashboard at the platform's next deploy without a change to the platform. It takes from a
// plan only what does not depend on where the plan was made: alarm and function names
// (physical names are deterministic), with the account the platform deploys to; ids AWS
// assigns (an HTTP API's) are the offline engine's there, so no widget uses them.

// Limits of CloudWatch dashboards.
const (
	maxAlarmsPerWidget = 100
	dashboardWidth     = 24
)

// contextView is what the platform dashboard shows of one context.
type contextView struct {
	name      string
	source    string
	alarms    []string
	functions []string
}

// contextViews reads the golden plan of every context under root/stacks for env: every
// directory with a Pulumi.yaml and a stack file for env (the platform's own is at the root;
// the account's bootstrap has no environment). A context without a golden plan for env is
// an error that says how to make one; every missing plan is reported at once.
func contextViews(root, env, region, account string) ([]contextView, error) {
	projects, err := filepath.Glob(filepath.Join(root, "stacks", "*", "Pulumi.yaml"))
	if err != nil {
		return nil, err
	}
	var views []contextView
	var errs []error
	for _, file := range projects {
		dir := filepath.Dir(file)
		if _, err := os.Stat(filepath.Join(dir, "Pulumi."+env+".yaml")); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		rel := filepath.ToSlash(filepath.Join("stacks", filepath.Base(dir), "testdata", env+".plan.json"))
		p, err := plan.ReadGolden(filepath.Join(dir, "testdata", env+".plan.json"))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			errs = append(errs, fmt.Errorf("%s is missing: the platform dashboard draws every context from its golden "+
				"plan; run `make golden` and commit it", rel))
			continue
		case err != nil:
			errs = append(errs, fmt.Errorf("%s: %w", rel, err))
			continue
		}
		views = append(views, view(p, rel, region, account))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("platform dashboard: %w", err)
	}
	slices.SortFunc(views, func(a, b contextView) int { return strings.Compare(a.name, b.name) })
	return views, nil
}

// view takes from p the alarms of region (with their ARNs in account) and the functions.
func view(p *plan.Plan, source, region, account string) contextView {
	v := contextView{name: p.Project, source: source}
	for _, r := range p.Resources {
		name, _ := r.Inputs["name"].(string)
		if name == "" {
			continue
		}
		switch r.Type {
		case "aws:cloudwatch/metricAlarm:MetricAlarm":
			// An alarm widget shows the alarms of the dashboard's region.
			if arn, _ := r.Outputs["arn"].(string); regionOf(arn) == region {
				v.alarms = append(v.alarms, "arn:aws:cloudwatch:"+region+":"+account+":alarm:"+name)
			}
		case "aws:lambda/function:Function":
			v.functions = append(v.functions, name)
		}
	}
	slices.Sort(v.alarms)
	slices.Sort(v.functions)
	return v
}

// regionOf is the region of an ARN, or "".
func regionOf(arn string) string {
	if parts := strings.SplitN(arn, ":", 5); len(parts) == 5 {
		return parts[3]
	}
	return ""
}

// widget is one widget of a dashboard body.
type widget struct {
	Type       string         `json:"type"`
	X          int            `json:"x"`
	Y          int            `json:"y"`
	Width      int            `json:"width"`
	Height     int            `json:"height"`
	Properties map[string]any `json:"properties"`
}

// overviewBody lays out one band per context: a heading that says where it comes from, its
// alarms' states, and its functions' errors and invocations.
func overviewBody(views []contextView, region string) (string, error) {
	var widgets []widget
	y := 0
	for _, v := range views {
		widgets = append(widgets, widget{Type: "text", X: 0, Y: y, Width: dashboardWidth, Height: 2, Properties: map[string]any{
			"markdown": fmt.Sprintf("## %s\nAlarms and functions of `%s`.", v.name, v.source),
		}})
		y += 2
		x := 0
		for chunk := range slices.Chunk(v.alarms, maxAlarmsPerWidget) {
			widgets = append(widgets, widget{Type: "alarm", X: x, Y: y, Width: 8, Height: 6, Properties: map[string]any{
				"title": v.name + " alarms", "alarms": chunk, "sortBy": "stateUpdatedTimestamp",
			}})
			x = next(&y, x)
		}
		for _, metric := range []string{"Errors", "Invocations"} {
			if len(v.functions) == 0 {
				break
			}
			var lines [][]any
			for _, fn := range v.functions {
				lines = append(lines, []any{"AWS/Lambda", metric, "FunctionName", fn, map[string]string{"stat": "Sum"}})
			}
			widgets = append(widgets, widget{Type: "metric", X: x, Y: y, Width: 8, Height: 6, Properties: map[string]any{
				"title": v.name + " function " + strings.ToLower(metric), "region": region, "view": "timeSeries",
				"period": 300, "stacked": false, "metrics": lines,
			}})
			x = next(&y, x)
		}
		if x > 0 {
			y += 6
		}
	}
	b, err := json.Marshal(map[string]any{"widgets": widgets})
	if err != nil {
		return "", fmt.Errorf("platform dashboard: %w", err)
	}
	return string(b), nil
}

// next returns the x of the widget after one at x, 8 wide, moving y down a row when the row
// is full.
func next(y *int, x int) int {
	if x+8 >= dashboardWidth {
		*y += 6
		return 0
	}
	return x + 8
}

// overview creates the platform dashboard of every context of the environment.
func overview(ctx *pulumi.Context, sc scope.Scope, region, account string) (*cloudwatch.Dashboard, error) {
	root, err := project.Dir(ctx)
	if err != nil {
		return nil, fmt.Errorf("platform dashboard: %w", err)
	}
	views, err := contextViews(root, ctx.Stack(), region, account)
	if err != nil {
		return nil, err
	}
	body, err := overviewBody(views, region)
	if err != nil {
		return nil, err
	}
	return cloudwatch.NewDashboard(ctx, "overview", &cloudwatch.DashboardArgs{
		DashboardName: pulumi.String(sc.Name(naming.Dashboard, "overview")),
		DashboardBody: pulumi.String(body),
	})
}
