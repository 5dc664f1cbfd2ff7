package service

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/dashboard"
	"github.com/stratum-platform/stratum/platform/naming"
)

// Member is a component of the context that shows on its dashboard: every member the
// service creates, and those a caller adds (Add).
type Member = dashboard.Member

// Add declares a member the service has no method for: m, a component the caller created
// with the service's Scope and as its child (pulumi.Parent(svc)), for example a bucket of
// an extension. Its graphs (m.Widgets) join the dashboard that Finish creates, after those
// of the members declared before it. Invalid graphs are an error, and so is adding after
// Finish.
func (s *Service) Add(m Member) error {
	if m == nil {
		return s.wrap(fmt.Errorf("Add: the member is nil"))
	}
	if s.finished {
		return s.wrap(fmt.Errorf("Add %q: Finish was called; add members before it", m.PulumiResourceName()))
	}
	if err := dashboard.Validate(m.Widgets()); err != nil {
		return s.wrap(fmt.Errorf("Add %q: %w", m.PulumiResourceName(), err))
	}
	s.members = append(s.members, m)
	return nil
}

// dashboard creates one dashboard with the members' graphs, in declaration order; nil when
// no member has a graph.
func (s *Service) dashboard() (*cloudwatch.Dashboard, error) {
	var widgets []dashboard.Widget
	for _, m := range s.members {
		widgets = append(widgets, m.Widgets()...)
	}
	if len(widgets) == 0 {
		return nil, nil
	}
	region, err := aws.GetRegion(s.ctx, nil, pulumi.Parent(s))
	if err != nil {
		return nil, fmt.Errorf("dashboard: reading the region: %w", err)
	}
	body, err := dashboard.Body(region.Name, widgets)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	d, err := cloudwatch.NewDashboard(s.ctx, naming.Child(s.name, "dashboard"), &cloudwatch.DashboardArgs{
		DashboardName: pulumi.String(s.Scope.Name(naming.Dashboard, "")),
		DashboardBody: body,
	}, pulumi.Parent(s))
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	return d, nil
}
