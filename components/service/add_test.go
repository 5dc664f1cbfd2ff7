package service_test

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/dashboard"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/components/service"
	"github.com/stratum-platform/stratum/components/table"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
)

// feed is a component the service knows nothing about, as an extension declares one.
type feed struct {
	pulumi.ResourceState
	Topic   *sns.Topic
	widgets []dashboard.Widget
}

func (f *feed) Widgets() []dashboard.Widget { return f.widgets }

func newFeed(ctx *pulumi.Context, name string, sc scope.Scope, svc *service.Service) (*feed, error) {
	f := &feed{}
	if err := ctx.RegisterComponentResource("acme:feed:Feed", name, f, pulumi.Parent(svc)); err != nil {
		return nil, err
	}
	t, err := sns.NewTopic(ctx, name, &sns.TopicArgs{Name: pulumi.String(sc.Name(naming.SNSTopic, name))}, pulumi.Parent(f))
	if err != nil {
		return nil, err
	}
	f.Topic = t
	f.widgets = []dashboard.Widget{{Title: "Feed " + name, Namespace: "AWS/SNS",
		Dimensions: []dashboard.Dimension{{Name: "TopicName", Value: t.Name}},
		Metrics:    []dashboard.Metric{{Name: "NumberOfMessagesPublished", Stat: "Sum"}}}}
	return f, ctx.RegisterResourceOutputs(f, pulumi.Map{})
}

// A member the service has no method for draws its own graphs on the dashboard, after the
// members declared before it.
func TestAddDrawsTheMembersGraphs(t *testing.T) {
	p := plantest.RunWithReferences(t, refs, func(ctx *pulumi.Context) error {
		svc, err := service.New(ctx, "orders", args())
		if err != nil {
			return err
		}
		if _, err := svc.Table("items", table.Args{HashKey: table.Key{Name: "id", Type: table.String}}); err != nil {
			return err
		}
		f, err := newFeed(ctx, "prices", svc.Scope, svc)
		if err != nil {
			return err
		}
		if err := svc.Add(f); err != nil {
			return err
		}
		return svc.Finish()
	})
	d, err := p.Get("aws:cloudwatch/dashboard:Dashboard", "orders-dashboard")
	require.NoError(t, err)
	var body struct {
		Widgets []struct {
			Properties struct {
				Title   string  `json:"title"`
				Metrics [][]any `json:"metrics"`
			} `json:"properties"`
		} `json:"widgets"`
	}
	require.NoError(t, json.Unmarshal([]byte(d.String("dashboardBody")), &body))
	require.Len(t, body.Widgets, 2)
	assert.Equal(t, "Table items", body.Widgets[0].Properties.Title)
	assert.Equal(t, "Feed prices", body.Widgets[1].Properties.Title)
	assert.Equal(t, []any{"AWS/SNS", "NumberOfMessagesPublished", "TopicName", "acme-dev-orders-prices", map[string]any{"stat": "Sum"}},
		body.Widgets[1].Properties.Metrics[0])
}

func TestAddRefusesInvalidGraphsAndLateMembers(t *testing.T) {
	var invalid, late error
	plantest.RunWithReferences(t, refs, func(ctx *pulumi.Context) error {
		svc, err := service.New(ctx, "orders", args())
		if err != nil {
			return err
		}
		f, err := newFeed(ctx, "prices", svc.Scope, svc)
		if err != nil {
			return err
		}
		f.widgets[0].Metrics = []dashboard.Metric{{Name: "NumberOfMessagesPublished", Stat: "Total"}}
		f.widgets[0].Dimensions = nil
		invalid = svc.Add(f)
		if err := svc.Finish(); err != nil {
			return err
		}
		late = svc.Add(f)
		return nil
	})
	assert.EqualError(t, invalid, `service "orders": Add "prices": widget 0 ("Feed prices"): Dimensions: none; name the resource the metrics are of`+"\n"+
		`widget 0 ("Feed prices"): Metrics[0].Stat: "Total" is not Sum, Average, Minimum, Maximum, SampleCount or a percentile such as p99`)
	assert.EqualError(t, late, `service "orders": Add "prices": Finish was called; add members before it`)
}
