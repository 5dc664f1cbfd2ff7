package graph

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/stratum-platform/stratum/platform/plan"
)

// Kinds of edge in the context map, in the order they are drawn.
const (
	edgePublishes = "publishes"         // a topic of one project feeds a queue or function of another
	edgeUses      = "uses"              // a role policy of one project grants access to another's resource
	edgeTriggers  = "triggers"          // an event source mapping or schedule across projects
	edgeRoutes    = "routes to"         // an API route to another project's function
	edgeFailures  = "sends failures to" // an on-failure destination in another project
	edgeReads     = "reads outputs of"  // a stack reference
)

// contextEdge is an edge between two projects of the context map.
type contextEdge struct {
	from, to string
	kind     string
	details  []string // edgePublishes: event types ("" for unfiltered); edgeUses: access kinds
}

// Platform renders the context map of many plans as a Mermaid flowchart: one node per
// project; edges "publishes <event types>" from a project whose topic feeds another's queue
// or function (the types come from the subscription's filter policy); "invokes" (and
// "reads", "writes", "sends to", "publishes to") from a project whose role policy grants it
// access to another's function (or table, queue, topic); dotted "reads outputs of" edges for
// stack references; and a "deploy order" subgraph numbering the projects in Order. Resources
// are matched across plans by ARN. It fails when Order does.
func Platform(plans []*plan.Plan) (string, error) {
	order, err := Order(plans)
	if err != nil {
		return "", err
	}
	ids := newIDs()
	nodes := map[string]string{}
	names := slices.Clone(order)
	slices.Sort(names)
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	for _, name := range names {
		nodes[name] = ids.next("project", name)
		b.WriteString("  " + nodes[name] + "[" + quote(name) + "]\n")
	}
	for _, e := range contextEdges(plans) {
		b.WriteString("  " + edge(nodes[e.from], nodes[e.to], e.label(), e.kind == edgeReads) + "\n")
	}
	b.WriteString("  subgraph " + ids.next("deploy", "order") + "[" + quote("deploy order") + "]\n")
	b.WriteString("    direction TB\n")
	steps := make([]string, len(order))
	for i, name := range order {
		steps[i] = ids.next("step", strconv.Itoa(i+1))
		b.WriteString("    " + steps[i] + "[" + quote(strconv.Itoa(i+1)+". "+name) + "]\n")
	}
	for i := 1; i < len(steps); i++ {
		b.WriteString("    " + edge(steps[i-1], steps[i], "", false) + "\n")
	}
	b.WriteString("  end\n")
	return b.String(), nil
}

// contextEdges returns the edges between the projects of plans, merged per pair and kind and
// sorted by kind, then projects.
func contextEdges(plans []*plan.Plan) []contextEdge {
	plans = slices.Clone(plans)
	slices.SortFunc(plans, func(a, b *plan.Plan) int { return cmp.Compare(a.Project, b.Project) })
	owners := map[string]string{} // normalised ARN -> project
	for _, p := range plans {
		for _, r := range p.Resources {
			if arn, ok := r.Outputs["arn"].(string); ok && r.Custom {
				if norm, ok := normaliseARN(arn); ok {
					owners[norm] = p.Project
				}
			}
		}
	}
	merged := map[[3]string]*contextEdge{}
	add := func(from, to, kind string, details ...string) {
		if from == "" || to == "" || from == to {
			return
		}
		key := [3]string{from, to, kind}
		e := merged[key]
		if e == nil {
			e = &contextEdge{from: from, to: to, kind: kind}
			merged[key] = e
		}
		for _, d := range details {
			if !slices.Contains(e.details, d) {
				e.details = append(e.details, d)
			}
		}
	}
	for _, p := range plans {
		project := func(end string) string {
			if strings.HasPrefix(end, "arn:") {
				return owners[end]
			}
			return p.Project
		}
		for _, l := range newModel(p).links() {
			from, to := project(l.from), project(l.to)
			switch l.kind {
			case linkSubscription:
				events := l.events
				if len(events) == 0 {
					events = []string{""}
				}
				add(from, to, edgePublishes, events...)
			case linkAccess:
				add(from, to, edgeUses, l.access...)
			case linkTrigger:
				add(from, to, edgeTriggers)
			case linkRoute:
				add(from, to, edgeRoutes)
			case linkFailure:
				add(from, to, edgeFailures)
			}
		}
		for _, ref := range References(p) {
			add(p.Project, ref, edgeReads)
		}
	}
	out := make([]contextEdge, 0, len(merged))
	for _, e := range merged {
		if e.kind == edgeUses {
			slices.SortFunc(e.details, func(a, b string) int { return cmp.Compare(accessRank(a), accessRank(b)) })
		} else {
			slices.Sort(e.details)
		}
		out = append(out, *e)
	}
	rank := func(kind string) int {
		return slices.Index([]string{edgePublishes, edgeUses, edgeTriggers, edgeRoutes, edgeFailures, edgeReads}, kind)
	}
	slices.SortFunc(out, func(a, b contextEdge) int {
		return cmp.Or(cmp.Compare(rank(a.kind), rank(b.kind)), cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to))
	})
	return out
}

// label is the text on the edge.
func (e contextEdge) label() string {
	switch e.kind {
	case edgePublishes:
		if slices.Contains(e.details, "") {
			return "publishes all events"
		}
		return "publishes " + strings.Join(e.details, ", ")
	case edgeUses:
		verbs := make([]string, len(e.details))
		for i, d := range e.details {
			verbs[i] = verb(d)
		}
		return strings.Join(verbs, ", ")
	}
	return e.kind
}

// verb is how the context map says a kind of access.
func verb(access string) string {
	switch access {
	case accessRead:
		return "reads"
	case accessWrite:
		return "writes"
	case accessPublish:
		return "publishes to"
	case accessSend:
		return "sends to"
	}
	return "invokes"
}

// Order returns the projects of plans in deploy order: every project after the projects its
// stack references name, ties broken by name. It fails on a project planned twice, on a
// reference to a project that is not among plans, and on a cycle, which the error names.
func Order(plans []*plan.Plan) ([]string, error) {
	deps := map[string][]string{}
	for i, p := range plans {
		if p == nil {
			return nil, fmt.Errorf("graph: plan %d is nil", i)
		}
		if _, dup := deps[p.Project]; dup {
			return nil, fmt.Errorf("graph: project %q is planned twice", p.Project)
		}
		deps[p.Project] = References(p)
	}
	projects := make([]string, 0, len(deps))
	for name := range deps {
		projects = append(projects, name)
	}
	slices.Sort(projects)
	var errs []error
	for _, name := range projects {
		for _, ref := range deps[name] {
			if _, ok := deps[ref]; !ok {
				errs = append(errs, fmt.Errorf("graph: project %q references the stack of project %q, which is not among the plans", name, ref))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	waiting := map[string]int{} // project -> references not yet ordered
	dependents := map[string][]string{}
	var ready []string
	for _, name := range projects {
		waiting[name] = len(deps[name])
		for _, ref := range deps[name] {
			dependents[ref] = append(dependents[ref], name)
		}
		if waiting[name] == 0 {
			ready = append(ready, name)
		}
	}
	order := make([]string, 0, len(projects))
	done := map[string]bool{}
	for len(ready) > 0 {
		next := ready[0]
		ready = ready[1:]
		order = append(order, next)
		done[next] = true
		for _, d := range dependents[next] {
			if waiting[d]--; waiting[d] == 0 {
				i, _ := slices.BinarySearch(ready, d)
				ready = slices.Insert(ready, i, d)
			}
		}
	}
	if len(order) < len(projects) {
		return nil, fmt.Errorf("graph: stack references form a cycle: %s", strings.Join(cycle(projects, deps, done), " -> "))
	}
	return order, nil
}

// cycle returns a cycle among the projects not done, starting and ending with its smallest
// project. Every such project references one that is not done, so following the first such
// reference from any of them must come back to a project already on the path.
func cycle(projects []string, deps map[string][]string, done map[string]bool) []string {
	var path []string
	at := map[string]int{}
	cur := projects[slices.IndexFunc(projects, func(p string) bool { return !done[p] })]
	for {
		if i, ok := at[cur]; ok {
			loop := path[i:]
			start := slices.Index(loop, slices.Min(loop))
			loop = append(slices.Clone(loop[start:]), loop[:start]...)
			return append(loop, loop[0])
		}
		at[cur] = len(path)
		path = append(path, cur)
		for _, ref := range deps[cur] {
			if !done[ref] {
				cur = ref
				break
			}
		}
	}
}
