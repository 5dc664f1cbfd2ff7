package affected

import (
	"slices"
	"strings"
	"testing"
)

// listOutput is what `go list -deps -json` prints for the root project's main package and
// context a's main package and handlers, in dependency order, trimmed to the fields load asks for.
const listOutput = `
{"ImportPath": "fmt"}
{"ImportPath": "github.com/aws/aws-lambda-go/lambda", "Dir": "/mod/cache/lambda", "DepOnly": true,
 "Module": {"Path": "github.com/aws/aws-lambda-go", "Dir": "/mod/cache"}}
{"ImportPath": "m/platform/lambdakit", "Dir": "/repo/platform/lambdakit", "DepOnly": true,
 "Deps": ["fmt", "github.com/aws/aws-lambda-go/lambda"], "Module": {"Main": true, "Dir": "/repo"}}
{"ImportPath": "m/components/key", "Dir": "/repo/components/key", "DepOnly": true,
 "EmbedFiles": ["policy.json", "templates/a.tmpl"], "Module": {"Main": true, "Dir": "/repo"}}
{"ImportPath": "m/stacks/platform", "Dir": "/repo/stacks/platform", "DepOnly": true,
 "Deps": ["m/components/key"], "Module": {"Main": true, "Dir": "/repo"}}
{"ImportPath": "m", "Dir": "/repo",
 "Deps": ["fmt", "m/components/key", "m/stacks/platform"], "Module": {"Main": true, "Dir": "/repo"}}
{"ImportPath": "m/stacks/a", "Dir": "/repo/stacks/a", "DepOnly": true,
 "Deps": ["m/components/key"], "Module": {"Main": true, "Dir": "/repo"}}
{"ImportPath": "m/stacks/a/cmd", "Dir": "/repo/stacks/a/cmd",
 "Deps": ["m/components/key", "m/stacks/a"], "Module": {"Main": true, "Dir": "/repo"}}
{"ImportPath": "m/stacks/a/handlers/internal/env", "Dir": "/repo/stacks/a/handlers/internal/env",
 "Deps": ["fmt"], "Module": {"Main": true, "Dir": "/repo"}}
{"ImportPath": "m/stacks/a/handlers/reg", "Dir": "/repo/stacks/a/handlers/reg",
 "Deps": ["fmt", "github.com/aws/aws-lambda-go/lambda", "m/platform/lambdakit", "m/stacks/a/handlers/internal/env"],
 "Module": {"Main": true, "Dir": "/repo"}}
`

func TestDecode(t *testing.T) {
	g, err := decode(strings.NewReader(listOutput), testProjects())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(g.packages), 8; got != want {
		t.Errorf("packages: %d, want %d (module-local only): %v", got, want, g.packages)
	}
	key := g.packages["m/components/key"]
	if want := []string{"components/key/policy.json", "components/key/templates/a.tmpl"}; key.dir != "components/key" || !slices.Equal(key.files, want) {
		t.Errorf("components/key = %+v, want dir components/key and files %q", key, want)
	}
	if got := g.packages["m"].dir; got != "." {
		t.Errorf("root package dir = %q, want %q", got, ".")
	}
	wantDeps := map[string][]string{
		"platform": {"m", "m/components/key", "m/stacks/platform"},
		"a": {"m/stacks/a/cmd", "m/components/key", "m/stacks/a", "m/stacks/a/handlers/internal/env",
			"m/stacks/a/handlers/reg", "m/platform/lambdakit"},
	}
	if len(g.deps) != len(wantDeps) {
		t.Errorf("deps for %d projects, want %d: %v", len(g.deps), len(wantDeps), g.deps)
	}
	for name, want := range wantDeps {
		if got := g.deps[name]; !slices.Equal(got, want) {
			t.Errorf("deps[%q] = %q, want %q", name, got, want)
		}
	}
}

func TestDecodeError(t *testing.T) {
	_, err := decode(strings.NewReader(`{"ImportPath": `), testProjects())
	if err == nil || !strings.HasPrefix(err.Error(), "decode: ") {
		t.Errorf("decode(truncated) = %v, want a decode error", err)
	}
}
