package graph

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stratum-platform/stratum/platform/plan"
)

// TestGoldenPlans draws the stacks' golden dev plans and checks the context map against what
// the contexts' programs wire together. A missing golden plan fails: the test would otherwise
// pass with nothing to check.
func TestGoldenPlans(t *testing.T) {
	files, err := filepath.Glob("../../stacks/*/testdata/dev.plan.json")
	if err != nil {
		t.Fatal(err)
	}
	var plans []*plan.Plan
	var projects []string
	for _, file := range files {
		p, err := plan.ReadGolden(file)
		if err != nil {
			t.Fatal(err)
		}
		plans = append(plans, p)
		projects = append(projects, p.Project)
	}
	want := []string{"platform", "accounts", "inventory", "notifications"}
	for _, project := range want {
		if !slices.Contains(projects, project) {
			t.Fatalf("no golden dev plan of project %s (found %v); run `make golden`", project, projects)
		}
	}

	order, err := Order(plans)
	if err != nil {
		t.Fatal(err)
	}
	var positions []int
	for _, project := range want {
		positions = append(positions, slices.Index(order, project))
	}
	if !slices.IsSorted(positions) {
		t.Errorf("Order() = %v, want %v in that order", order, want)
	}

	diagram, err := Platform(plans)
	if err != nil {
		t.Fatal(err)
	}
	checkSyntax(t, diagram)
	for _, e := range []struct{ from, to, label string }{
		{"accounts", "inventory", "publishes AccountConnected"},
		{"accounts", "notifications", "publishes AccountConnected"},
		{"inventory", "notifications", "publishes InventoryChanged"},
		{"inventory", "accounts", "invokes"},
		{"inventory", "accounts", "reads outputs of"},
		{"accounts", "platform", "reads outputs of"},
	} {
		if !hasEdge(diagram, "project_"+e.from, "project_"+e.to, e.label) {
			t.Errorf("context map has no edge %s -> %s %q:\n%s", e.from, e.to, e.label, diagram)
		}
	}
	for _, p := range plans {
		checkSyntax(t, Stack(p))
	}
}

// hasEdge reports whether the diagram has an edge from -> to whose label contains label.
func hasEdge(diagram, from, to, label string) bool {
	for _, line := range strings.Split(diagram, "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && f[0] == from && f[len(f)-1] == to && strings.Contains(line, label) {
			return true
		}
	}
	return false
}

// checkSyntax checks every line of a diagram against the few Mermaid forms the package
// writes, so that an id or label that GitHub could not render fails here.
func checkSyntax(t *testing.T, diagram string) {
	t.Helper()
	const (
		id    = `[A-Za-z][A-Za-z0-9_]*`
		label = `"[^"]*"`
	)
	forms := []*regexp.Regexp{
		regexp.MustCompile(`^flowchart LR$`),
		regexp.MustCompile(`^ +subgraph ` + id + `\[` + label + `\]$`),
		regexp.MustCompile(`^ +(end|direction TB)$`),
		regexp.MustCompile(`^ +` + id + `(\[` + label + `\]|\(` + label + `\)|\[\(` + label + `\)\]|\[/` + label + `/\]|>` +
			label + `\]|\(\[` + label + `\]\)|\{\{` + label + `\}\})$`),
		regexp.MustCompile(`^ +` + id + ` (-->|-\.->)(\|` + label + `\|)? ` + id + `$`),
		regexp.MustCompile(`^ +classDef [a-z]+ [^ ]+( [^ ]+)*$`),
		regexp.MustCompile(`^ +class ` + id + `(,` + id + `)* [a-z]+$`),
	}
	if !strings.HasSuffix(diagram, "\n") {
		t.Errorf("diagram does not end with a newline")
	}
	for i, line := range strings.Split(strings.TrimSuffix(diagram, "\n"), "\n") {
		if !slices.ContainsFunc(forms, func(re *regexp.Regexp) bool { return re.MatchString(line) }) {
			t.Errorf("line %d is not Mermaid the package writes: %q", i+1, line)
		}
	}
}
