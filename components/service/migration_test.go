package service_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/service"
	"github.com/stratum-platform/stratum/components/table"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/tablelock"
)

// migratingItems is a context whose table items moves from hash key id (generation 1, as
// the lock in dir has it) to tenantId+id.
func migratingItems(m table.Migration, generations map[string]int) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		a := args()
		a.Protect = false
		a.TableGenerations = generations
		handlers, err := filepath.Abs("handlers")
		if err != nil {
			return err
		}
		a.HandlersDir = handlers
		svc, err := service.New(ctx, "orders", a)
		if err != nil {
			return err
		}
		if _, err := svc.Table("items", table.Args{
			HashKey:   table.Key{Name: "tenantId", Type: table.String},
			RangeKey:  table.Key{Name: "id", Type: table.String},
			Migration: &m,
		}); err != nil {
			return err
		}
		return svc.Finish()
	}
}

// lockDir is a project directory whose tables.lock.json locks generation 1 of items.
func lockDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	l := &tablelock.Lock{Version: tablelock.Version, Tables: []tablelock.Table{{
		Name: "items", Generation: 1, PhysicalNames: map[string]string{"dev": "acme-dev-orders-items"},
		HashKey: tablelock.Attribute{Name: "id", Type: "S"},
	}}}
	require.NoError(t, l.Write(tablelock.Path(dir)))
	return dir
}

func runIn(t *testing.T, dir string, program pulumi.RunFunc) (*plan.Plan, error) {
	t.Helper()
	return plan.Run(plan.Options{Project: "orders", Stack: "dev", Dir: dir, Reference: func(string) (map[string]any, error) {
		return refs[platformStack], nil
	}}, program)
}

func TestMigrationFunctions(t *testing.T) {
	p, err := runIn(t, lockDir(t), migratingItems(table.Migration{From: 1}, nil))
	require.NoError(t, err)

	old, err := p.Get("aws:dynamodb/table:Table", "items")
	require.NoError(t, err)
	assert.Equal(t, "id", old.Inputs["hashKey"], "generation 1's key comes from the lock")

	oldArn := "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-orders-items"
	newArn := oldArn + "-g2"
	cpArn := oldArn + "-checkpoints"
	for fn, want := range map[string][]string{
		"items-replicator": {newArn, cpArn},
		"items-backfill":   {oldArn, newArn, cpArn},
	} {
		f, err := p.Get("aws:lambda/function:Function", fn)
		require.NoError(t, err, fn)
		env := f.Inputs["environment"].(map[string]any)["variables"].(map[string]any)
		assert.Equal(t, "acme-dev-orders-items-g2", env["MIGRATION_TARGET_TABLE"], fn)
		assert.Equal(t, "tenantId,id", env["MIGRATION_TARGET_KEY"], fn)

		var tables []string
		for _, pol := range p.Find("aws:iam/rolePolicy:RolePolicy", fn+"-policy") {
			doc, err := iam.Parse(pol.String("policy"))
			require.NoError(t, err)
			for _, st := range doc.Statement {
				for _, r := range st.Resource {
					if strings.Contains(r, ":table/") {
						tables = append(tables, r)
					}
				}
			}
		}
		assert.ElementsMatch(t, want, tables, "%s's grants name exactly its tables", fn)
	}
	m, err := p.Get("aws:lambda/eventSourceMapping:EventSourceMapping", "items-replication")
	require.NoError(t, err)
	assert.Equal(t, "TRIM_HORIZON", m.Inputs["startingPosition"], "the replicator starts from the stream's oldest record")
}

func TestMigrationFunctionsGoOnceComplete(t *testing.T) {
	p, err := runIn(t, lockDir(t), migratingItems(table.Migration{From: 1, Complete: true}, nil))
	require.NoError(t, err)
	assert.Empty(t, p.Find("aws:lambda/function:Function", "items-replicator"))
	assert.Empty(t, p.Find("aws:lambda/function:Function", "items-backfill"))
}

func TestMigrationNeedsTheLockedGeneration(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(tablelock.Path(dir), []byte(`{"version": 1, "tables": []}`), 0o600))
	_, err := runIn(t, dir, migratingItems(table.Migration{From: 1}, nil))
	assert.ErrorContains(t, err, `table "items": Migration.From: tables.lock.json locks no generation 1 of the table`)
}
