package policy_test

import (
	"fmt"
	"testing"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
)

// syntheticPlan is a compliant-looking plan of n resources: functions, queues, tables,
// topics, APIs, subscriptions and schedules, repeated.
func syntheticPlan(n int) *plan.Plan {
	p := newPlan()
	for i := 0; len(p.Resources) < n; i++ {
		s := func(kind string) string { return fmt.Sprintf("%s%d", kind, i) }
		p.Resources = append(p.Resources, function(s("fn"))...)
		p.Resources = append(p.Resources, queue(s("queue"))...)
		p.Resources = append(p.Resources, table(s("table"))...)
		p.Resources = append(p.Resources, topic(s("topic"))...)
		p.Resources = append(p.Resources, api(s("api"), s("id"))...)
		p.Resources = append(p.Resources, subscription(s("sub"), s("topic"), s("fn"))...)
		p.Resources = append(p.Resources, schedule(s("schedule"), s("fn"))...)
	}
	p.Resources = p.Resources[:n]
	return p
}

func BenchmarkEvaluate(b *testing.B) {
	p := syntheticPlan(1000)
	b.ReportAllocs()
	for b.Loop() {
		if err := policy.Evaluate(p, policy.Builtin()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(p.Findings)), "findings")
}
