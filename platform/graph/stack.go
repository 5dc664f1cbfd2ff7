package graph

import (
	"cmp"
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/plan"
)

// classExternal styles resources that another stack owns.
const classExternal = "external"

// Stack renders one plan as a Mermaid flowchart (the text that goes inside a ```mermaid
// block): its component-level members as nodes, shaped by kind, each HTTP API as a subgraph
// of its routes, and the resources of other stacks it uses as dashed nodes labelled with the
// stack output that names them. Edges follow the wiring: route -> function, queue and
// schedule -> function ("triggers"), topic -> queue or function (labelled with the filter's
// event types), function -> its on-failure destination (dotted), and function -> what its
// role policy lets it use, labelled with the kinds of access (read, write, publish, send,
// invoke).
func Stack(p *plan.Plan) string {
	m := newModel(p)
	links := m.links()
	ids := newIDs()
	nodes := map[string]string{} // endpoint -> Mermaid id
	cls := classes{}
	var b strings.Builder
	b.WriteString("flowchart LR\n")

	members := m.sortedMembers()
	for _, urn := range members {
		if m.members[urn] != kindAPI {
			continue
		}
		routes := m.routes(urn)
		name := m.byURN[urn].Name
		if len(routes) == 0 {
			nodes[urn] = ids.next(kindAPI, name)
			b.WriteString("  " + shape(nodes[urn], kindAPI, name) + "\n")
			cls.add(kindAPI, nodes[urn])
			continue
		}
		b.WriteString("  subgraph " + ids.next(kindAPI, name) + "[" + quote(name+" (HTTP API)") + "]\n")
		for _, r := range routes {
			nodes[r.endpoint] = ids.next("route", name+"_"+r.key)
			b.WriteString("    " + nodes[r.endpoint] + "[" + quote(r.key) + "]\n")
			cls.add("route", nodes[r.endpoint])
		}
		b.WriteString("  end\n")
	}
	for _, urn := range members {
		kind := m.members[urn]
		if kind == kindAPI {
			continue
		}
		nodes[urn] = ids.next(idPrefix(kind), m.byURN[urn].Name)
		b.WriteString("  " + shape(nodes[urn], kind, m.memberLabel(urn)) + "\n")
		cls.add(kind, nodes[urn])
	}
	for _, ext := range m.externals(links) {
		nodes[ext.arn] = ids.next("ext", ext.label)
		b.WriteString("  " + shape(nodes[ext.arn], arnKind(ext.arn), ext.label) + "\n")
		cls.add(classExternal, nodes[ext.arn])
	}

	var edges []string
	for _, l := range links {
		from, to := nodes[l.from], nodes[l.to]
		if from == "" || to == "" {
			continue // a route of an API drawn without its routes
		}
		edges = append(edges, edge(from, to, stackLabel(l), l.kind == linkFailure))
	}
	slices.Sort(edges)
	for _, e := range slices.Compact(edges) {
		b.WriteString("  " + e + "\n")
	}
	cls.write(&b, style)
	return b.String()
}

// sortedMembers returns the members by kind, then name.
func (m *model) sortedMembers() []string {
	out := make([]string, 0, len(m.members))
	for urn := range m.members {
		out = append(out, urn)
	}
	slices.SortFunc(out, func(a, b string) int {
		return cmp.Or(
			cmp.Compare(m.members[a], m.members[b]),
			cmp.Compare(m.byURN[a].Name, m.byURN[b].Name),
			cmp.Compare(a, b),
		)
	})
	return out
}

// route is one route of an API: a Route resource, or a route of the definition the API is
// created from.
type route struct {
	key      string // the route key, "GET /orders"
	endpoint string // the Route's URN, or routeEndpoint of the API and the key
}

// routes returns the routes of an API, sorted by route key.
func (m *model) routes(api string) []route {
	var out []route
	for _, r := range m.plan.Resources {
		if m.owner[r.URN] != api {
			continue
		}
		switch r.Type {
		case typeRoute:
			out = append(out, route{key: r.String("routeKey"), endpoint: r.URN})
		case typeAPI:
			for _, d := range definitionRoutes(r) {
				out = append(out, route{key: d.Key, endpoint: routeEndpoint(r.URN, d.Key)})
			}
		}
	}
	slices.SortFunc(out, func(a, b route) int {
		return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.endpoint, b.endpoint))
	})
	return out
}

// memberLabel is the member's logical name; a schedule's also shows its expression.
func (m *model) memberLabel(urn string) string {
	name := m.byURN[urn].Name
	if m.members[urn] != kindSchedule {
		return name
	}
	for _, r := range m.plan.Resources {
		if r.Type == typeSchedule && m.owner[r.URN] == urn && r.String("scheduleExpression") != "" {
			return name + "<br/>" + r.String("scheduleExpression")
		}
	}
	return name
}

// external is a resource of another stack that the plan uses.
type external struct {
	arn, label string
}

// externals returns the resources of other stacks that links reach, labelled
// "<project>: <output>" when a stack reference's output names them, else by physical name.
func (m *model) externals(links []link) []external {
	labels := m.referenceLabels()
	seen := map[string]bool{}
	var out []external
	for _, l := range links {
		for _, end := range []string{l.from, l.to} {
			if !strings.HasPrefix(end, "arn:") || seen[end] {
				continue
			}
			seen[end] = true
			label, ok := labels[end]
			if !ok {
				label = arnName(end)
			}
			out = append(out, external{arn: end, label: label})
		}
	}
	slices.SortFunc(out, func(a, b external) int {
		return cmp.Or(cmp.Compare(a.label, b.label), cmp.Compare(a.arn, b.arn))
	})
	return out
}

// referenceLabels maps the normalised ARNs among stack reference outputs to
// "<project>: <output>", the first in order of project and output name winning.
func (m *model) referenceLabels() map[string]string {
	var refs []plan.Resource
	for _, r := range m.plan.Resources {
		if r.Type == typeStackRef && referencedProject(r) != "" {
			refs = append(refs, r)
		}
	}
	slices.SortFunc(refs, func(a, b plan.Resource) int {
		return cmp.Or(cmp.Compare(referencedProject(a), referencedProject(b)), cmp.Compare(a.URN, b.URN))
	})
	labels := map[string]string{}
	for _, r := range refs {
		project := referencedProject(r)
		outputs, _ := r.Outputs["outputs"].(map[string]any)
		names := make([]string, 0, len(outputs))
		for name := range outputs {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			s, _ := outputs[name].(string)
			if norm, ok := normaliseARN(s); ok && labels[norm] == "" {
				labels[norm] = project + ": " + name
			}
		}
	}
	return labels
}

// stackLabel is the text on a link's edge in a stack diagram.
func stackLabel(l link) string {
	switch l.kind {
	case linkAccess:
		return strings.Join(l.access, "/")
	case linkTrigger:
		return "triggers"
	case linkSubscription:
		return strings.Join(l.events, ", ")
	case linkFailure:
		return "on failure"
	}
	return ""
}

func idPrefix(kind string) string {
	if kind == kindFunction {
		return "fn"
	}
	return kind
}

// style returns the classDef style of a class.
func style(class string) string {
	switch class {
	case kindFunction:
		return "fill:#fff4e5,stroke:#d9822b"
	case kindTable:
		return "fill:#e8f1fb,stroke:#2b6cb0"
	case kindQueue:
		return "fill:#f3e8fd,stroke:#805ad5"
	case kindTopic:
		return "fill:#e6f7ef,stroke:#2f855a"
	case kindSchedule:
		return "fill:#fdf2f8,stroke:#b83280"
	case classExternal:
		return "fill:#ffffff,stroke:#718096,stroke-dasharray:5 5"
	}
	return "fill:#f7fafc,stroke:#4a5568"
}
