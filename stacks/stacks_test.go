package stacks_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
	"github.com/stratum-platform/stratum/stacks"
	"github.com/stratum-platform/stratum/stacks/bootstrap"
)

const module = "github.com/stratum-platform/stratum/"

// TestRegistryMatchesProjects checks that every Pulumi.yaml in the repository is registered
// under its own name (the environments' in All, the state backend's as Bootstrap), and every
// registered project has a Pulumi.yaml.
func TestRegistryMatchesProjects(t *testing.T) {
	found := map[string]string{}
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata" || d.Name() == "bin" || d.Name() == ".stratum") {
			return filepath.SkipDir
		}
		if d.Name() == "Pulumi.yaml" {
			dir, err := filepath.Rel("..", filepath.Dir(path))
			require.NoError(t, err)
			stack := "dev"
			if filepath.ToSlash(dir) == stacks.Bootstrap().Dir {
				stack = bootstrap.Stack // the state backend has no environment's stack
			}
			p, err := config.ReadProject(filepath.Dir(path), stack)
			require.NoError(t, err)
			found[p.Name] = dir
		}
		return nil
	})
	require.NoError(t, err)
	registered := map[string]string{}
	for _, p := range append(stacks.All(), stacks.Bootstrap()) {
		registered[p.Name] = p.Dir
		assert.NotNil(t, p.Program, p.Name)
	}
	assert.Equal(t, found, registered)
}

// TestDependencyRules enforces the rules of docs/design.md section 2 (depguard checks them
// too, but only this can express the contract rule): a context imports another context only
// through its contract package, only the registry and cmd/ import whole stacks, handler,
// handler kit (platform/lambdakit) and contract code imports nothing from Pulumi, and
// extensions import neither stacks nor platform/config while platform and components import
// no extension.
func TestDependencyRules(t *testing.T) {
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata" || d.Name() == "bin" || d.Name() == ".stratum") {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		rel, err := filepath.Rel("..", path)
		require.NoError(t, err)
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		require.NoError(t, err)
		for _, imp := range f.Imports {
			target, err := strconv.Unquote(imp.Path.Value)
			require.NoError(t, err)
			if problem := check(rel, target); problem != "" {
				t.Errorf("%s imports %s: %s", rel, target, problem)
			}
		}
		return nil
	})
	require.NoError(t, err)
}

// check returns why the file at rel may not import target, or "".
func check(rel, target string) string {
	if strings.HasPrefix(target, "github.com/pulumi/") && pulumiFree(rel) {
		return "code that runs in Lambda or is shared as a contract imports nothing from Pulumi"
	}
	if problem := checkExtension(rel, target); problem != "" {
		return problem
	}
	if !strings.HasPrefix(target, module+"stacks/") {
		return ""
	}
	targetContext := strings.Split(strings.TrimPrefix(target, module+"stacks/"), "/")
	isContract := len(targetContext) == 2 && targetContext[1] == "contract"
	switch {
	case rel == "main.go", rel == "stacks/stacks.go", strings.HasSuffix(rel, "_test.go"),
		strings.HasPrefix(rel, "cmd/"), strings.Contains(rel, "/cmd/"):
		return ""
	case strings.HasPrefix(rel, "stacks/"):
		own := strings.Split(strings.TrimPrefix(rel, "stacks/"), "/")[0]
		if own == targetContext[0] || isContract {
			return ""
		}
		return "a context imports another context only through its contract package"
	}
	return "only the registry, cmd/ and the root main import stacks"
}

// checkExtension returns why the file at rel may not import target under the rules of
// extensions/ (components declared outside components/ with exported API only), or "": an
// extension builds on components and platform and never on a context or on config, which it
// receives through Args; platform and components know no extension.
func checkExtension(rel, target string) string {
	inExtension := strings.HasPrefix(rel, "extensions/")
	switch {
	case inExtension && strings.HasPrefix(target, module+"stacks"):
		return "an extension knows no context; a context imports the extension"
	case inExtension && (target == module+"platform/config" || strings.HasPrefix(target, module+"platform/config/")):
		return "an extension receives its settings through Args and never reads config"
	case (strings.HasPrefix(rel, "platform/") || strings.HasPrefix(rel, "components/")) && strings.HasPrefix(target, module+"extensions/"):
		return "platform and components know no extension; extensions build on them"
	}
	return ""
}

// TestContextNamesCannotCollide: physical names are <org>-<env>-<context>-<name>, so context
// "orders" with member "api-x" and context "orders-api" with member "x" would get the same
// name. No context name may therefore extend another's with a hyphen.
func TestContextNamesCannotCollide(t *testing.T) {
	all := stacks.All()
	for _, a := range all {
		for _, b := range all {
			assert.False(t, strings.HasPrefix(b.Name, a.Name+"-"),
				"context %q extends context %q: their physical names could collide", b.Name, a.Name)
		}
	}
}

// pulumiFree reports whether the file at rel is handler, handler kit, contract or API spec
// code (stacks/<context>/api), which must stay free of Pulumi: handler binaries stay small,
// and contracts and specs are shared with them.
func pulumiFree(rel string) bool {
	return strings.HasPrefix(rel, "platform/lambdakit/") || strings.HasPrefix(rel, "platform/contract/") ||
		strings.Contains(rel, "/contract/") || strings.Contains(rel, "/handlers/") ||
		strings.HasPrefix(rel, "stacks/") && strings.Contains(rel, "/api/")
}

func TestCheck(t *testing.T) {
	pulumi := "github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	for _, tc := range []struct {
		file, target string
		ok           bool
	}{
		{"stacks/inventory/inventory.go", module + "stacks/accounts/contract", true},
		{"stacks/inventory/inventory.go", module + "stacks/accounts", false},
		{"components/service/service.go", module + "stacks/accounts/contract", false},
		{"stacks/stacks.go", module + "stacks/accounts", true},
		{"platform/lambdakit/log.go", pulumi, false},
		{"platform/lambdakit/api/response.go", pulumi, false},
		{"platform/lambdakit/envelope/envelope.go", pulumi, false},
		{"stacks/accounts/contract/contract.go", pulumi, false},
		{"stacks/accounts/handlers/get/main.go", pulumi, false},
		{"stacks/accounts/api/api.go", pulumi, false},
		{"platform/lambdakit/openapi/spec.go", pulumi, false},
		{"stacks/accounts/accounts.go", pulumi, true},
		{"stacks/platform/platform.go", module + "extensions/bucket", true},
		{"stacks/stacks.go", module + "extensions/bucket", true},
		{"extensions/bucket/bucket.go", module + "components/override", true},
		{"extensions/bucket/bucket.go", module + "platform/naming", true},
		{"extensions/bucket/bucket.go", module + "platform/config", false},
		{"extensions/bucket/bucket_test.go", module + "stacks/accounts/contract", false},
		{"extensions/bucket/bucket.go", module + "stacks", false},
		{"components/service/service.go", module + "extensions/bucket", false},
		{"platform/policy/policy.go", module + "extensions/bucket", false},
	} {
		assert.Equal(t, tc.ok, check(tc.file, tc.target) == "", "%s imports %s", tc.file, tc.target)
	}
}

// TestGoldenPlansPassRules: every stack's golden plan, checked against stacks.Rules() (the
// platform's and the extensions'), has no error finding and no AWS type that no rule covers.
func TestGoldenPlansPassRules(t *testing.T) {
	for _, proj := range stacks.All() {
		for _, env := range []string{"dev", "prod"} {
			file := filepath.Join("..", proj.Dir, "testdata", env+".plan.json")
			if proj.Dir == "." {
				file = filepath.Join("platform", "testdata", env+".plan.json")
			}
			t.Run(proj.Name+"/"+env, func(t *testing.T) {
				p, err := plan.ReadGolden(file)
				require.NoError(t, err)
				require.NoError(t, policy.Evaluate(p, stacks.Rules(), proj.Suppressions...))
				for _, f := range p.Findings {
					assert.NotEqual(t, policy.Coverage, f.Rule, f.Message)
					assert.NotEqual(t, string(policy.Error), f.Severity, "[%s] %s: %s", f.Rule, f.URN, f.Message)
				}
			})
		}
	}
}
