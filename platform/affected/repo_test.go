package affected

import (
	"slices"
	"testing"
)

// repoRoot is the repository this package lives in.
const repoRoot = "../.."

// repoProjects returns the projects of stacks.All(), which platform may not import.
func repoProjects() []Project {
	return []Project{
		{Name: "platform", Dir: "."},
		{Name: "accounts", Dir: "stacks/accounts"},
		{Name: "inventory", Dir: "stacks/inventory"},
		{Name: "notifications", Dir: "stacks/notifications"},
	}
}

// TestRepository maps changes to the projects of this repository, with the real import graph
// that the go command reports, loaded once for every case.
func TestRepository(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list on the repository")
	}
	g, err := load(repoRoot, repoProjects())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		changed []string
		want    []string
	}{
		{"one handler", []string{"stacks/accounts/handlers/register/main.go"}, []string{"accounts"}},
		{"handlers' internal package", []string{"stacks/inventory/handlers/internal/store/store.go"}, []string{"inventory"}},
		// accounts uses no queue itself, but the service component it builds on does, and the
		// platform's alarm topic is the topic component, which offers queues its deliveries.
		{"component", []string{"components/queue/queue.go"}, []string{"platform", "accounts", "inventory", "notifications"}},
		// The platform's audit trail and log archive are buckets of the extension.
		{"extension", []string{"extensions/bucket/bucket.go"}, []string{"platform"}},
		// Only handlers import the handler kit: no program does. The platform's are its
		// release, smoke-check and migration functions.
		{"handler kit", []string{"platform/lambdakit/log.go"}, []string{"platform", "accounts", "inventory", "notifications"}},
		{"platform handler", []string{"stacks/platform/handlers/release/release.go"}, []string{"platform"}},
		// The API specs are read through the handler kit: by httpapi (every context) and by the
		// policy rules the platform's bucket extension registers.
		{"handler kit for APIs", []string{"platform/lambdakit/api/body.go"}, []string{"platform", "accounts", "inventory", "notifications"}},
		{"shared foundation", []string{"platform/naming/naming.go"}, []string{"platform", "accounts", "inventory", "notifications"}},
		// The platform's permissions boundary names accounts' customer reader role.
		{"contract", []string{"stacks/accounts/contract/contract.go"}, []string{"platform", "accounts", "inventory", "notifications"}},
		{"stack settings", []string{"stacks/inventory/Pulumi.prod.yaml", "Pulumi.dev.yaml"}, []string{"platform", "inventory"}},
		{"root program", []string{"stacks/platform/platform.go"}, []string{"platform"}},
		{"golden plan", []string{"stacks/platform/testdata/dev.plan.json"}, nil},
		{"docs", []string{"README.md"}, nil},
		{"go.mod", []string{"go.mod"}, []string{"platform", "accounts", "inventory", "notifications"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := relevant(tt.changed)
			if err != nil {
				t.Fatal(err)
			}
			if got := match(repoProjects(), g, files); !slices.Equal(got, tt.want) {
				t.Errorf("match(%q) = %q, want %q", tt.changed, got, tt.want)
			}
		})
	}
}

// TestAffected runs the whole of Affected on this repository.
func TestAffected(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list on the repository")
	}
	tests := []struct {
		changed []string
		want    []string
	}{
		{[]string{"stacks/accounts/handlers/register/main.go"}, []string{"accounts"}},
		{[]string{"README.md", "stacks/accounts/handlers/register/main_test.go"}, nil},
		{[]string{"go.mod"}, []string{"platform", "accounts", "inventory", "notifications"}},
	}
	for _, tt := range tests {
		got, err := Affected(repoRoot, repoProjects(), tt.changed)
		if err != nil {
			t.Fatalf("Affected(%q): %v", tt.changed, err)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Affected(%q) = %q, want %q", tt.changed, got, tt.want)
		}
	}
}

func TestAffectedInvalid(t *testing.T) {
	projects := append(repoProjects(), Project{Name: "accounts", Dir: "stacks/other"})
	if _, err := Affected(repoRoot, projects, []string{"main.go"}); err == nil {
		t.Error("duplicate project: no error")
	}
	if _, err := Affected(repoRoot, repoProjects(), []string{"/abs/main.go"}); err == nil {
		t.Error("absolute changed path: no error")
	}
}
