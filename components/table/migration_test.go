package table_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/components/table"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/platform/stackref"
)

const (
	g2Arn          = "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-orders-orders-g2"
	checkpointsArn = "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-orders-orders-checkpoints"
)

// migrating is table "orders" moving from hash key id to tenantId+id.
func migrating(m table.Migration) table.Args {
	if m.FromHashKey.Name == "" {
		m.FromHashKey = table.Key{Name: "id", Type: table.String}
	}
	return table.Args{
		HashKey:   table.Key{Name: "tenantId", Type: table.String},
		RangeKey:  table.Key{Name: "id", Type: table.String},
		Migration: &m,
	}
}

// tables returns the plan's table resources by name.
func tables(p *plan.Plan) map[string]plan.Resource {
	out := map[string]plan.Resource{}
	for _, r := range p.Resources {
		if r.Type == tableType {
			out[r.Name] = r
		}
	}
	return out
}

func TestMigrationReplicate(t *testing.T) {
	p := run(t, migrating(table.Migration{From: 1}))
	tbls := tables(p)
	require.Len(t, tbls, 3)

	old := tbls["orders"]
	assert.Equal(t, "id", old.Inputs["hashKey"], "generation 1 keeps its locked key")
	assert.Nil(t, old.Inputs["rangeKey"])
	assert.Equal(t, "NEW_AND_OLD_IMAGES", old.Inputs["streamViewType"], "a delete's new key comes from the old image")
	assert.Equal(t, tableName, old.Inputs["name"])

	g2 := tbls["orders-g2"]
	assert.Equal(t, "tenantId", g2.Inputs["hashKey"])
	assert.Equal(t, "id", g2.Inputs["rangeKey"])
	assert.Equal(t, "acme-dev-orders-orders-g2", g2.Inputs["name"])
	assert.Equal(t, "replicate from generation 1", g2.Inputs["tags"].(map[string]any)["stratum:migration"])
	assert.Nil(t, g2.Inputs["restoreSourceName"])

	cp := tbls["orders-checkpoints"]
	assert.Equal(t, "checkpoints", cp.Inputs["tags"].(map[string]any)["stratum:migration"])

	// Both generations have their alarms.
	get(t, p, alarmType, "orders-alarm-read-throttles")
	get(t, p, alarmType, "orders-g2-alarm-read-throttles")
}

func TestMigrationRestore(t *testing.T) {
	args := table.Args{HashKey: table.Key{Name: "id", Type: table.String},
		Migration: &table.Migration{From: 1, Strategy: table.Restore, FromHashKey: table.Key{Name: "id", Type: table.String}}}
	tbls := tables(run(t, args))
	require.Len(t, tbls, 2, "a restore has no checkpoint table")
	g2 := tbls["orders-g2"]
	assert.Equal(t, tableName, g2.Inputs["restoreSourceName"])
	assert.Equal(t, true, g2.Inputs["restoreToLatestTime"])
	assert.Equal(t, "restore from generation 1", g2.Inputs["tags"].(map[string]any)["stratum:migration"])
}

func TestMigrationComplete(t *testing.T) {
	done := table.Migration{From: 1, Complete: true}

	tbls := tables(run(t, migrating(done)))
	assert.Equal(t, []string{"orders-g2"}, keys(tbls), "an unprotected scope deletes generation 1 and the checkpoints")

	args := migrating(done)
	args.Scope.Protect = true
	tbls = tables(run(t, args))
	assert.Equal(t, []string{"orders", "orders-checkpoints", "orders-g2"}, keys(tbls),
		"a protected scope retains the old generation")
	for name, r := range tbls {
		assert.True(t, r.Protect && r.RetainOnDelete, "%s is protected and retained", name)
	}
}

func keys(m map[string]plan.Resource) []string { return slices.Sorted(maps.Keys(m)) }

// migrationGrants returns the parsed documents of the picked grants of a migrating table.
func migrationGrants(t *testing.T, m table.Migration, pick map[string]func(*table.Table) iam.Statements) (map[string]iam.Parsed, map[string]any) {
	t.Helper()
	args := migrating(m)
	args.Scope = scopetest.New()
	names := map[string]any{}
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		tbl, err := table.New(ctx, "orders", &args)
		if err != nil {
			return err
		}
		stackref.Export(ctx, "served", tbl.Name)
		for name, fn := range pick {
			doc, err := iam.Document(fn(tbl))
			if err != nil {
				return err
			}
			stackref.Export(ctx, name, doc)
		}
		return nil
	})
	out := map[string]iam.Parsed{}
	for name := range pick {
		doc, ok := p.Outputs[name].(string)
		require.True(t, ok, "output %s", name)
		parsed, err := iam.Parse(doc)
		require.NoError(t, err)
		out[name] = parsed
	}
	names["served"] = p.Outputs["served"]
	return out, names
}

func resources(p iam.Parsed, sid string) []string {
	for _, st := range p.Statement {
		if st.Sid == sid {
			return st.Resource
		}
	}
	return nil
}

func TestMigrationGrantsNameBothGenerations(t *testing.T) {
	pick := map[string]func(*table.Table) iam.Statements{
		"write":      (*table.Table).AllowWrite,
		"replicator": (*table.Table).AllowReplicator,
		"backfill":   (*table.Table).AllowBackfill,
	}
	got, out := migrationGrants(t, table.Migration{From: 1}, pick)
	assert.Equal(t, tableName, out["served"], "generation 1 serves until Serve says otherwise")
	assert.ElementsMatch(t, []string{tableArn, g2Arn}, resources(got["write"], "TableOrdersWrite"))

	var rep []string
	for _, st := range got["replicator"].Statement {
		rep = append(rep, st.Resource...)
		assert.NotContains(t, st.Action, "dynamodb:Scan", "the replicator does not scan")
	}
	assert.NotContains(t, rep, tableArn, "the replicator reads generation 1 only through its stream consumer")
	assert.Contains(t, rep, g2Arn)
	assert.Contains(t, rep, checkpointsArn)

	var back []string
	for _, st := range got["backfill"].Statement {
		back = append(back, st.Resource...)
		for _, r := range st.Resource {
			if r == tableArn {
				assert.Equal(t, []string{"dynamodb:Scan"}, st.Action, "generation 1 is only scanned")
			}
		}
	}
	assert.Subset(t, back, []string{tableArn, g2Arn, checkpointsArn, scopetest.KeyArn})

	got, out = migrationGrants(t, table.Migration{From: 1, Serve: 2}, map[string]func(*table.Table) iam.Statements{"write": (*table.Table).AllowWrite})
	assert.Equal(t, "acme-dev-orders-orders-g2", out["served"])
	assert.ElementsMatch(t, []string{tableArn, g2Arn}, resources(got["write"], "TableOrdersWrite"),
		"switching the generation in use changes no policy")

	got, _ = migrationGrants(t, table.Migration{From: 1, Complete: true}, map[string]func(*table.Table) iam.Statements{"write": (*table.Table).AllowWrite})
	assert.Equal(t, []string{g2Arn}, resources(got["write"], "TableOrdersWrite"), "a complete migration grants the new generation only")
}

func TestMigrationValidate(t *testing.T) {
	args := migrating(table.Migration{From: 0, Strategy: "copy", Serve: 5, Transform: "a#b"})
	args.Scope = scopetest.New()
	err := args.Validate()
	require.Error(t, err)
	for _, want := range []string{"Migration.From: 0", `Migration.Strategy: "copy"`, "Migration.Serve: 5", `Migration.Transform: "a#b"`} {
		assert.Contains(t, err.Error(), want)
	}

	args = migrating(table.Migration{From: 1, Strategy: table.Restore, Transform: "lower"})
	args.Scope = scopetest.New()
	err = args.Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "use Replicate to change a key")
	assert.Contains(t, err.Error(), `Migration.Transform: "lower" is set`)

	args = table.Args{HashKey: table.Key{Name: "id", Type: table.String}, Migration: &table.Migration{From: 1}}
	args.Scope = scopetest.New()
	assert.ErrorContains(t, args.Validate(), "Migration.FromHashKey: is required")
}
