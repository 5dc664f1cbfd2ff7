package affected

import (
	"slices"
	"strings"
	"testing"
)

// testProjects returns projects shaped like the registry: the root project and two contexts.
func testProjects() []Project {
	return []Project{
		{Name: "platform", Dir: "."},
		{Name: "a", Dir: "stacks/a"},
		{Name: "b", Dir: "stacks/b"},
	}
}

// testGraph returns a small module: context a owns handlers that import platform/lambdakit,
// context b imports a's contract and the queue component, and only the root project and a
// use key.
func testGraph() graph {
	return graph{
		packages: map[string]pkg{
			"m":                             {dir: "."},
			"m/stacks/platform":             {dir: "stacks/platform"},
			"m/platform/config":             {dir: "platform/config"},
			"m/platform/lambdakit":          {dir: "platform/lambdakit"},
			"m/components/key":              {dir: "components/key", files: []string{"components/key/policy.json"}},
			"m/components/queue":            {dir: "components/queue"},
			"m/stacks/a":                    {dir: "stacks/a"},
			"m/stacks/a/cmd":                {dir: "stacks/a/cmd"},
			"m/stacks/a/contract":           {dir: "stacks/a/contract"},
			"m/stacks/a/handlers/reg":       {dir: "stacks/a/handlers/reg"},
			"m/stacks/a/handlers/int/store": {dir: "stacks/a/handlers/int/store"},
			"m/stacks/b":                    {dir: "stacks/b"},
			"m/stacks/b/cmd":                {dir: "stacks/b/cmd"},
			"m/stacks/b/handlers/scan":      {dir: "stacks/b/handlers/scan"},
		},
		deps: map[string][]string{
			"platform": {"m", "m/stacks/platform", "m/platform/config", "m/components/key"},
			"a": {"m/stacks/a/cmd", "m/stacks/a", "m/platform/config", "m/components/key",
				"m/stacks/a/contract", "m/stacks/a/handlers/reg", "m/stacks/a/handlers/int/store",
				"m/platform/lambdakit"},
			"b": {"m/stacks/b/cmd", "m/stacks/b", "m/platform/config", "m/components/queue",
				"m/stacks/a/contract", "m/stacks/b/handlers/scan", "m/platform/lambdakit"},
		},
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		name    string
		changed []string
		want    []string
	}{
		{"nothing", nil, nil},
		{"docs", []string{"README.md", "components/key/README.md", "docs/guide.MD"}, nil},
		{"tests", []string{"stacks/a/handlers/reg/main_test.go", "platform/lambdakit/log_test.go"}, nil},
		{"golden plans", []string{"stacks/platform/testdata/dev.plan.json", "stacks/a/testdata/prod.plan.json"}, nil},
		{"ci and make", []string{".github/workflows/ci.yml", "Makefile", "stacks/a/Makefile"}, nil},
		{"tools not deployed", []string{"cmd/stratum/main.go", ".golangci.yml", "stacks/c/c.go"}, nil},
		{"go.mod", []string{"go.mod"}, []string{"platform", "a", "b"}},
		{"go.sum with a test", []string{"x_test.go", "go.sum"}, []string{"platform", "a", "b"}},
		{"handler", []string{"stacks/a/handlers/reg/main.go"}, []string{"a"}},
		{"handlers' internal package", []string{"stacks/a/handlers/int/store/store.go"}, []string{"a"}},
		{"package handlers import", []string{"platform/lambdakit/log.go"}, []string{"a", "b"}},
		{"component", []string{"components/queue/queue.go"}, []string{"b"}},
		{"embedded file", []string{"components/key/policy.json"}, []string{"platform", "a"}},
		{"file no package uses", []string{"components/key/notes.txt"}, nil},
		{"deleted or constrained go file", []string{"platform/config/gone.go"}, []string{"platform", "a", "b"}},
		{"contract", []string{"stacks/a/contract/contract.go"}, []string{"a", "b"}},
		{"context stack file", []string{"stacks/a/Pulumi.prod.yaml"}, []string{"a"}},
		{"context project file", []string{"stacks/b/Pulumi.yaml"}, []string{"b"}},
		{"root stack file", []string{"Pulumi.dev.yaml"}, []string{"platform"}},
		{"root main", []string{"main.go"}, []string{"platform"}},
		{"root program", []string{"stacks/platform/platform.go"}, []string{"platform"}},
		{"root program subpackage", []string{"stacks/platform/extra/extra.go"}, []string{"platform"}},
		{"other file in a context", []string{"stacks/b/handlers/scan/scan"}, []string{"b"}},
		{"order of projects", []string{"stacks/b/cmd/main.go", "main.go"}, []string{"platform", "b"}},
		{"unclean and duplicate", []string{"./stacks/a/cmd/main.go", "stacks/a/cmd/main.go"}, []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := relevant(tt.changed)
			if err != nil {
				t.Fatal(err)
			}
			if got := match(testProjects(), testGraph(), files); !slices.Equal(got, tt.want) {
				t.Errorf("match(%q) = %q, want %q", tt.changed, got, tt.want)
			}
		})
	}
}

func TestRelevant(t *testing.T) {
	got, err := relevant([]string{"./a/b.go", "a/b.go", "a/../c.go", "README.md", "."})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a/b.go", "c.go"}; !slices.Equal(got, want) {
		t.Errorf("relevant = %q, want %q", got, want)
	}
	for _, bad := range []string{"", "/etc/passwd", "../other/x.go"} {
		if _, err := relevant([]string{bad}); err == nil {
			t.Errorf("relevant(%q): no error", bad)
		}
	}
}

func TestNeedsGraph(t *testing.T) {
	for _, tt := range []struct {
		files []string
		want  bool
	}{
		{nil, false},
		{[]string{"go.mod"}, false},
		{[]string{"main.go", "go.sum"}, false},
		{[]string{"main.go"}, true},
		{[]string{"stacks/a/go.mod"}, true},
	} {
		if got := needsGraph(tt.files); got != tt.want {
			t.Errorf("needsGraph(%q) = %v, want %v", tt.files, got, tt.want)
		}
	}
}

func TestValidate(t *testing.T) {
	if err := validate(testProjects()); err != nil {
		t.Fatalf("validate(testProjects()) = %v", err)
	}
	err := validate([]Project{
		{Name: "", Dir: "stacks/x"},
		{Name: "a", Dir: "stacks/a"},
		{Name: "a", Dir: "./stacks/b"},
		{Name: "c", Dir: "../c"},
		{Name: "d", Dir: "stacks/a"},
	})
	want := strings.Join([]string{
		`project in "stacks/x": empty name`,
		`project "a": duplicate name`,
		`project "a": dir "./stacks/b": want "stacks/b"`,
		`project "c": dir: "../c": outside the repository`,
		`project "d": dir "stacks/a": used by another project`,
	}, "\n")
	if err == nil || err.Error() != want {
		t.Errorf("validate = %v, want:\n%s", err, want)
	}
}

func TestOwns(t *testing.T) {
	ps := testProjects()
	root, ctx := layoutOf(ps[0]), layoutOf(ps[1])
	for _, tt := range []struct {
		l    layout
		file string
		want bool
	}{
		{root, "Pulumi.yaml", true},
		{root, "Pulumi.prod.yaml", true},
		{root, "main.go", true},
		{root, "stacks/platform/platform.go", true},
		{root, "stacks/platformx/x.go", false},
		{root, "stacks/a/Pulumi.yaml", false},
		{root, "components/queue/queue.go", false},
		{root, "go.mod", false},
		{root, "Pulumi.txt", false},
		{ctx, "stacks/a/Pulumi.dev.yaml", true},
		{ctx, "stacks/a/handlers/reg/main.go", true},
		{ctx, "stacks/ab/a.go", false},
		{ctx, "Pulumi.yaml", false},
		{ctx, "main.go", false},
	} {
		if got := owns(tt.l, tt.file); got != tt.want {
			t.Errorf("owns(%q, %q) = %v, want %v", tt.l.dir, tt.file, got, tt.want)
		}
	}
}
