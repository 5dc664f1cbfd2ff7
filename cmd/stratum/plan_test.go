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
	"github.com/stratum-platform/stratum/components/table"
	"github.com/stratum-platform/stratum/platform/tablelock"
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

// A table key change fails the plan with the lock's message, before any policy or engine
// runs; the same change with a declared migration plans generation 2 beside the locked one.
func TestPlanRefusesAKeyChangeWithoutAMigration(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "demo")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte("name: demo\nruntime: go\n"+
		"config:\n  aws:region: eu-west-1\n  stratum:org: acme\n  stratum:owner: team\n  stratum:costCentre: cc-1\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.dev.yaml"), []byte("config: {}\n"), 0o644))
	lock := &tablelock.Lock{Version: tablelock.Version, Tables: []tablelock.Table{{
		Name: "items", Generation: 1, PhysicalNames: map[string]string{"dev": "acme-dev-orders-items"},
		HashKey: tablelock.Attribute{Name: "id", Type: "S"},
	}}}
	require.NoError(t, lock.Write(tablelock.Path(dir)))

	program := func(m *table.Migration) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			_, err := table.New(ctx, "items", &table.Args{Scope: scopetest.New(),
				HashKey: table.Key{Name: "tenantId", Type: table.String}, RangeKey: table.Key{Name: "id", Type: table.String},
				Migration: m})
			return err
		}
	}
	pl := newPlanner(root, "dev", io.Discard)
	pl.projects["demo"] = stacks.Project{Name: "demo", Dir: "demo", Program: program(nil)}
	_, err := pl.plan("demo")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `table "items" in dev (generation 1, acme-dev-orders-items): changing the hash key and the range key replaces the table`)
	assert.Contains(t, err.Error(), "(key: hash id (S) -> hash tenantId (S), range id (S)); declare table.Migration{From: 1, Strategy: table.Replicate}")

	pl = newPlanner(root, "dev", io.Discard)
	pl.projects["demo"] = stacks.Project{Name: "demo", Dir: "demo", Program: program(&table.Migration{From: 1,
		FromHashKey: table.Key{Name: "id", Type: table.String}})}
	p, err := pl.plan("demo")
	require.NoError(t, err)
	g2, err := p.Get("aws:dynamodb/table:Table", "items-g2")
	require.NoError(t, err)
	assert.Equal(t, "tenantId", g2.Inputs["hashKey"])
	old, err := p.Get("aws:dynamodb/table:Table", "items")
	require.NoError(t, err)
	assert.Equal(t, "id", old.Inputs["hashKey"])
}
