package graph

import (
	"slices"
	"strings"
	"testing"

	"github.com/stratum-platform/stratum/platform/plan"
)

// refs returns a plan of project whose only resources are stack references to refs.
func refs(project string, refs ...string) *plan.Plan {
	p := &plan.Plan{Version: plan.Version, Project: project, Stack: "dev"}
	for _, ref := range refs {
		name := "acme/" + ref + "/dev"
		p.Resources = append(p.Resources, plan.Resource{URN: "urn:pulumi:dev::" + project + "::" + typeStackRef + "::" + name,
			Type: typeStackRef, Name: name, Inputs: map[string]any{"name": name}})
	}
	return p
}

func TestOrder(t *testing.T) {
	tests := []struct {
		name  string
		plans []*plan.Plan
		want  []string
	}{
		{"chain", []*plan.Plan{refs("c", "b"), refs("a"), refs("b", "a")}, []string{"a", "b", "c"}},
		{"ties broken by name", []*plan.Plan{refs("beta", "zeta"), refs("zeta"), refs("alpha", "zeta"), refs("mid")},
			[]string{"mid", "zeta", "alpha", "beta"}},
		{"a dependent waits for its last reference", []*plan.Plan{refs("b", "c"), refs("a", "b"), refs("c")},
			[]string{"c", "b", "a"}},
		{"duplicate references count once", []*plan.Plan{refs("b", "a", "a"), refs("a")}, []string{"a", "b"}},
		{"none", nil, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Order(tt.plans)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Order() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestOrderErrors(t *testing.T) {
	tests := []struct {
		name  string
		plans []*plan.Plan
		want  string
	}{
		{"cycle", []*plan.Plan{refs("root"), refs("c", "a", "root"), refs("b", "c"), refs("a", "b"), refs("d", "a")},
			"graph: stack references form a cycle: a -> b -> c -> a"},
		{"self reference", []*plan.Plan{refs("a", "a")}, "graph: stack references form a cycle: a -> a"},
		{"unknown project", []*plan.Plan{refs("inventory", "accounts", "platform"), refs("platform")},
			`graph: project "inventory" references the stack of project "accounts", which is not among the plans`},
		{"two unknown projects", []*plan.Plan{refs("b", "x"), refs("a", "y")},
			`graph: project "a" references the stack of project "y", which is not among the plans` + "\n" +
				`graph: project "b" references the stack of project "x", which is not among the plans`},
		{"duplicate project", []*plan.Plan{refs("a"), refs("a")}, `graph: project "a" is planned twice`},
		{"nil plan", []*plan.Plan{refs("a"), nil}, "graph: plan 1 is nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Order(tt.plans)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Order() = %v, %v; want error %q", got, err, tt.want)
			}
			if _, err := Platform(tt.plans); err == nil || err.Error() != tt.want {
				t.Errorf("Platform() error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestOrderReadsReferenceNames(t *testing.T) {
	// A reference without a name input falls back to its resource name; one that names no
	// project is not a dependency.
	p := refs("b")
	p.Resources = append(p.Resources,
		plan.Resource{Type: typeStackRef, Name: "acme/a/dev"},
		plan.Resource{Type: typeStackRef, Name: "dev"})
	got, err := Order([]*plan.Plan{p, refs("a")})
	if err != nil || strings.Join(got, ",") != "a,b" {
		t.Errorf("Order() = %v, %v; want [a b]", got, err)
	}
}
