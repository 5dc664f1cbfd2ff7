package service_test

// Planning benchmarks: a synthetic context of n functions, each with a read grant on one
// table, a queue it consumes and a route of one HTTP API, planned offline through Service;
// beside a baseline that registers the same pulumi-aws resources (same types, same counts,
// TestBenchmarkShapesMatch checks it) with their raw constructors and no components.
// Functions use a prebuilt Archive, so this measures planning, not compiling handlers.
//
//	go test ./components/service/ -run '^$' -bench 'Plan(Service|Raw)' -benchtime=3x -count=3
//
// Per-resource metrics divide the cost of one plan by the resources it registered
// ("resource": every registration, components and the stack reference included) or by its
// pulumi-aws resources only ("aws-resource"), the unit both programs share. cpu-ns is the
// process's CPU time (read from /proc, so Linux only; 10ms resolution), steadier than the
// wall time on a shared machine.

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/httpapi"
	"github.com/stratum-platform/stratum/components/queue"
	"github.com/stratum-platform/stratum/components/service"
	"github.com/stratum-platform/stratum/components/table"
	"github.com/stratum-platform/stratum/platform/plan"
)

const benchArchive = "testdata/bootstrap.zip"

var benchSizes = []int{10, 50, 200}

// synthetic is the context of n functions as a team declares it with Service.
func synthetic(n int) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		svc, err := service.New(ctx, "orders", args())
		if err != nil {
			return err
		}
		items, err := svc.Table("items", table.Args{HashKey: table.Key{Name: "id", Type: table.String}})
		if err != nil {
			return err
		}
		operations := make(map[string]*function.Function, n)
		for i := range n {
			name := fmt.Sprintf("fn%d", i)
			fn, err := svc.Function(name, function.Args{Archive: benchArchive, Grants: items.AllowRead()})
			if err != nil {
				return err
			}
			q, err := svc.Queue(fmt.Sprintf("q%d", i), queue.Args{})
			if err != nil {
				return err
			}
			if _, err := svc.Consumer(fmt.Sprintf("q%d-%s", i, name), q, queue.ConsumerArgs{Function: fn}); err != nil {
				return err
			}
			operations[fmt.Sprintf("items%d", i)] = fn
		}
		if _, err := svc.API("api", httpapi.Args{Spec: syntheticSpec(n), Operations: operations}); err != nil {
			return err
		}
		return svc.Finish()
	}
}

// syntheticSpec is the contract of the synthetic context: "GET /items<i>" for each function,
// operationId "items<i>", every one needing a token.
func syntheticSpec(n int) []byte {
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\ninfo: {title: Synthetic, version: 1.0.0}\npaths:\n")
	for i := range n {
		fmt.Fprintf(&b, "  /items%d:\n    get:\n      operationId: items%d\n      security: [{oauth2: []}]\n"+
			"      responses: {'200': {description: Items.}}\n", i, i)
	}
	b.WriteString("components:\n  securitySchemes:\n    oauth2: {type: oauth2, flows: {clientCredentials: " +
		"{tokenUrl: 'https://login.acme.example/token', scopes: {}}}}\n")
	return []byte(b.String())
}

func benchOptions() plan.Options {
	return plan.Options{Project: "bench", Stack: "dev", Reference: func(string) (map[string]any, error) {
		return refs[platformStack], nil
	}}
}

func BenchmarkPlanService(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("functions=%d", n), func(b *testing.B) { benchPlan(b, synthetic(n)) })
	}
}

func BenchmarkPlanRaw(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("functions=%d", n), func(b *testing.B) { benchPlan(b, raw(n)) })
	}
}

// benchPlan plans program b.N times and reports the cost per registered resource and per
// pulumi-aws resource. Allocations are counted process-wide: the SDK registers resources
// from its own goroutines.
func benchPlan(b *testing.B, program pulumi.RunFunc) {
	// One untimed plan first, so that the first sub-benchmark of the process does not pay the
	// SDK's one-time costs (reflection and type registries) for the others.
	p, err := plan.Run(benchOptions(), program)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpuBefore, cpuOK := cpuTime()
	for b.Loop() {
		if p, err = plan.Run(benchOptions(), program); err != nil {
			b.Fatal(err)
		}
	}
	cpuAfter, _ := cpuTime()
	runtime.ReadMemStats(&after)
	all, awsOnly := float64(len(p.Resources)), float64(awsResources(p))
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	allocs := float64(after.Mallocs-before.Mallocs) / float64(b.N)
	allocated := float64(after.TotalAlloc-before.TotalAlloc) / float64(b.N)
	b.ReportMetric(all, "resources/op")
	b.ReportMetric(awsOnly, "aws-resources/op")
	b.ReportMetric(ns/all, "ns/resource")
	b.ReportMetric(allocs/all, "allocs/resource")
	b.ReportMetric(allocated/all, "B/resource")
	b.ReportMetric(ns/awsOnly, "ns/aws-resource")
	b.ReportMetric(allocs/awsOnly, "allocs/aws-resource")
	if cpuOK {
		cpu := float64((cpuAfter - cpuBefore).Nanoseconds()) / float64(b.N)
		b.ReportMetric(cpu/all, "cpu-ns/resource")
		b.ReportMetric(cpu/awsOnly, "cpu-ns/aws-resource")
	}
}

// cpuTime returns the CPU time (user and system, every thread) the process has used, or
// false where /proc is missing. On a shared machine it is steadier than the wall time:
// waiting for a core does not count.
func cpuTime() (time.Duration, bool) {
	stat, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	// The command name, in parentheses, may hold spaces; utime and stime are the 12th and
	// 13th fields after it, in USER_HZ (100 per second).
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(stat[i+1:]))
	if len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, true
}

func awsResources(p *plan.Plan) int {
	n := 0
	for _, r := range p.Resources {
		if strings.HasPrefix(r.Type, "aws:") {
			n++
		}
	}
	return n
}

// TestBenchmarkShapesMatch keeps the comparison honest when components change: the baseline
// registers exactly the resources the components register (every type but the components'
// own), with the same counts and the same resource options.
func TestBenchmarkShapesMatch(t *testing.T) {
	const n = 10
	svc, err := plan.Run(benchOptions(), synthetic(n))
	require.NoError(t, err)
	base, err := plan.Run(benchOptions(), raw(n))
	require.NoError(t, err)

	want, got := shape(svc), shape(base)
	for kind := range want {
		if strings.HasPrefix(kind, "stratum:") {
			delete(want, kind)
		}
	}
	assert.Equal(t, want, got, "BenchmarkPlanRaw must register the resources BenchmarkPlanService registers")
}

// shape counts a plan's resources by type and resource options.
func shape(p *plan.Plan) map[string]int {
	counts := map[string]int{}
	for _, r := range p.Resources {
		counts[fmt.Sprintf("%s protect=%t retainOnDelete=%t deleteBeforeReplace=%t",
			r.Type, r.Protect, r.RetainOnDelete, r.DeleteBeforeReplace)]++
	}
	return counts
}
