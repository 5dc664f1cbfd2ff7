package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/stacks"
)

// A handler that does not compile fails the plan with the function's name and the
// compiler's output, not with what the SDK wraps it in.
func TestPlanNamesTheFunctionThatDoesNotBuild(t *testing.T) {
	repo, err := repoRoot()
	require.NoError(t, err)
	broken := filepath.Join(repo, "components", "function", "testdata", "broken")
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "demo"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "demo", "Pulumi.yaml"), []byte("name: demo\nruntime: go\n"+
		"config:\n  aws:region: eu-west-1\n  stratum:org: acme\n  stratum:owner: team\n  stratum:costCentre: cc-1\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "demo", "Pulumi.dev.yaml"), []byte("config: {}\n"), 0o644))

	pl := newPlanner(root, "dev", io.Discard)
	pl.projects["demo"] = stacks.Project{Name: "demo", Dir: "demo", Program: func(ctx *pulumi.Context) error {
		_, err := function.New(ctx, "register", &function.Args{Scope: scopetest.New(), Source: broken})
		return err
	}}
	_, err = pl.plan("demo")
	require.Error(t, err)
	first, _, _ := strings.Cut(err.Error(), "\n")
	assert.Equal(t, `plan demo/dev: function "register": build `+broken+": exit status 1:", first)
	assert.Contains(t, err.Error(), "cannot use")
}
