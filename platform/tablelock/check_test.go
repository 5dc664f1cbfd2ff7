package tablelock

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/migration"
	"github.com/stratum-platform/stratum/platform/plan"
)

// tableResource is a planned table: resource name, physical name, hash key and optional
// range key as "name:type", and local secondary indexes as name -> "rangeKey:type".
func tableResource(resource, physical, hash, rng string, lsis map[string]string) plan.Resource {
	attrs := []any{}
	attr := func(spec string) string {
		name, typ, _ := strings.Cut(spec, ":")
		attrs = append(attrs, map[string]any{"name": name, "type": typ})
		return name
	}
	in := map[string]any{"hashKey": attr(hash), "billingMode": "PAY_PER_REQUEST"}
	if physical != "" {
		in["name"] = physical
	}
	if rng != "" {
		in["rangeKey"] = attr(rng)
	}
	var list []any
	for _, name := range slices.Sorted(maps.Keys(lsis)) {
		list = append(list, map[string]any{"name": name, "rangeKey": attr(lsis[name]), "projectionType": "ALL"})
	}
	if list != nil {
		in["localSecondaryIndexes"] = list
	}
	in["attributes"] = attrs
	return plan.Resource{Type: "aws:dynamodb/table:Table", Name: resource, Custom: true, Inputs: in}
}

func planOf(stack string, resources ...plan.Resource) *plan.Plan {
	return &plan.Plan{Version: plan.Version, Project: "accounts", Stack: stack, Resources: resources}
}

const (
	devAccounts  = "acme-dev-accounts-accounts"
	prodAccounts = "acme-prod-accounts-accounts"
)

// locked is the accounts context's lock: accounts keyed by tenantId and accountId, with an
// index byCreated, in dev and prod; and events keyed by id, in dev only.
func locked() *Lock {
	return &Lock{Version: Version, Tables: []Table{
		{
			Name: "accounts", Generation: 1,
			PhysicalNames:         map[string]string{"dev": devAccounts, "prod": prodAccounts},
			HashKey:               Attribute{Name: "tenantId", Type: "S"},
			RangeKey:              &Attribute{Name: "accountId", Type: "S"},
			LocalSecondaryIndexes: []LocalIndex{{Name: "byCreated", RangeKey: Attribute{Name: "createdAt", Type: "S"}, ProjectionType: "ALL"}},
		},
		{
			Name: "events", Generation: 1,
			PhysicalNames: map[string]string{"dev": "acme-dev-accounts-events"},
			HashKey:       Attribute{Name: "id", Type: "S"},
		},
	}}
}

func accounts(physical, hash, rng string, lsis map[string]string) plan.Resource {
	return tableResource("accounts", physical, hash, rng, lsis)
}

func byCreated() map[string]string { return map[string]string{"byCreated": "createdAt:S"} }

func events() plan.Resource {
	return tableResource("events", "acme-dev-accounts-events", "id:S", "", nil)
}

func TestCheck(t *testing.T) {
	same := accounts(devAccounts, "tenantId:S", "accountId:S", byCreated())
	tests := []struct {
		name       string
		plan       *plan.Plan
		migrations []Migration
		want       []string
	}{
		{name: "unchanged", plan: planOf("dev", same, events())},
		{name: "a new table", plan: planOf("dev", same, events(), tableResource("orders", "acme-dev-accounts-orders", "id:S", "", nil))},
		{name: "a first deploy of prod", plan: planOf("prod", accounts(prodAccounts, "tenantId:S", "accountId:S", byCreated()))},
		{name: "an in-place change", plan: func() *plan.Plan {
			r := accounts(devAccounts, "tenantId:S", "accountId:S", byCreated())
			r.Inputs["billingMode"] = "PROVISIONED"
			return planOf("dev", r, events())
		}()},
		{
			name: "a key change",
			plan: planOf("dev", accounts(devAccounts, "accountId:S", "", byCreated()), events()),
			want: []string{`table "accounts" in dev (generation 1, acme-dev-accounts-accounts): changing the hash key and the range key replaces the table, which loses its data ` +
				`(key: hash tenantId (S), range accountId (S) -> hash accountId (S)); declare table.Migration{From: 1, Strategy: table.Replicate} to move its items to generation 2`},
		},
		{
			name: "a key type change",
			plan: planOf("dev", accounts(devAccounts, "tenantId:N", "accountId:S", byCreated()), events()),
			want: []string{`table "accounts" in dev (generation 1, acme-dev-accounts-accounts): changing the hash key's type replaces the table, which loses its data ` +
				`(key: hash tenantId (S), range accountId (S) -> hash tenantId (N), range accountId (S)); declare table.Migration{From: 1, Strategy: table.Replicate} to move its items to generation 2`},
		},
		{
			name: "a rename",
			plan: planOf("dev", accounts("acme-dev-accounts-customers", "tenantId:S", "accountId:S", byCreated()), events()),
			want: []string{`table "accounts" in dev (generation 1, acme-dev-accounts-accounts): changing the name to acme-dev-accounts-customers replaces the table, which loses its data ` +
				`(key: hash tenantId (S), range accountId (S), unchanged); declare table.Migration{From: 1, Strategy: table.Restore} to move its items to generation 2`},
		},
		{
			name: "an index change in prod",
			plan: planOf("prod", accounts(prodAccounts, "tenantId:S", "accountId:S", map[string]string{"byCreated": "updatedAt:S"})),
			want: []string{`table "accounts" in prod (generation 1, acme-prod-accounts-accounts): changing the local secondary indexes replaces the table, which loses its data ` +
				`(key: hash tenantId (S), range accountId (S), unchanged); declare table.Migration{From: 1, Strategy: table.Replicate} to move its items to generation 2`},
		},
		{
			name: "a key change in a stack the lock has no name for",
			plan: planOf("staging", accounts("acme-staging-accounts-accounts", "accountId:S", "", byCreated())),
			want: []string{`table "accounts" in staging (generation 1): changing the hash key and the range key replaces the table, which loses its data ` +
				`(key: hash tenantId (S), range accountId (S) -> hash accountId (S)); declare table.Migration{From: 1, Strategy: table.Replicate} to move its items to generation 2`},
		},
		{
			name:       "a key change with its migration",
			plan:       planOf("dev", same, tableResource("accounts-g2", devAccounts+"-g2", "accountId:S", "", nil), events()),
			migrations: []Migration{{Table: "accounts", From: 1, Strategy: Replicate}},
		},
		{
			name:       "a key change in the old generation despite the migration",
			plan:       planOf("dev", accounts(devAccounts, "accountId:S", "", byCreated()), events()),
			migrations: []Migration{{Table: "accounts", From: 1, Strategy: Replicate}},
			want: []string{`table "accounts" in dev (generation 1, acme-dev-accounts-accounts): changing the hash key and the range key replaces the table, which loses its data ` +
				`(key: hash tenantId (S), range accountId (S) -> hash accountId (S)); declare table.Migration{From: 1, Strategy: table.Replicate} to move its items to generation 2; ` +
				`a migration from generation 1 is declared, so generation 1 must stay as locked and the change go to generation 2`},
		},
		{
			name: "a new generation without a migration",
			plan: planOf("dev", same, tableResource("accounts-g2", devAccounts+"-g2", "accountId:S", "", nil), events()),
			want: []string{`table "accounts" in dev: generation 2 is not in the lock, which has generation 1, and no migration declares it; declare table.Migration{From: 1, Strategy: table.Replicate} to create it`},
		},
		{
			name:       "a generation that skips one",
			plan:       planOf("dev", same, tableResource("accounts-g3", devAccounts+"-g3", "accountId:S", "", nil), events()),
			migrations: []Migration{{Table: "accounts", From: 1, Strategy: Replicate}},
			want:       []string{`table "accounts" in dev: generation 3 does not follow the declared migration from generation 1, which creates generation 2`},
		},
		{
			name:       "a restore that changes the key",
			plan:       planOf("dev", same, tableResource("accounts-g2", devAccounts+"-g2", "accountId:S", "", nil), events()),
			migrations: []Migration{{Table: "accounts", From: 1, Strategy: Restore}},
			want: []string{`table "accounts" in dev: strategy restore copies generation 1 as it is and cannot change its key ` +
				`(hash tenantId (S), range accountId (S) -> hash accountId (S)); declare table.Migration{From: 1, Strategy: table.Replicate}`},
		},
		{
			name:       "a restore that renames",
			plan:       planOf("dev", same, tableResource("accounts-g2", "acme-dev-accounts-customers", "tenantId:S", "accountId:S", byCreated()), events()),
			migrations: []Migration{{Table: "accounts", From: 1, Strategy: Restore}},
		},
		{
			name: "invalid migrations",
			plan: planOf("dev", same, events()),
			migrations: []Migration{
				{From: 0, Strategy: "copy"},
				{Table: "accounts", From: 1, Strategy: Replicate},
				{Table: "accounts", From: 1, Strategy: Replicate},
				{Table: "events", From: 4, Strategy: Replicate},
				{Table: "orders", From: 1, Strategy: Restore},
			},
			want: []string{
				`migrations[0] (table ""): Table: is required; Strategy: must be replicate or restore, got "copy"; From: must be a generation, 1 or more, got 0`,
				`migrations[2] (table "accounts"): a second migration of the table; declare one at a time`,
				`migrations[3] (table "events"): From: the lock has generation 1 of the table, not 4`,
				`migrations[4] (table "orders"): the lock has no such table: a new table needs no migration`,
			},
		},
		{
			name: "a removed table",
			plan: planOf("dev", same),
			want: []string{`table "events" in dev (generation 1, acme-dev-accounts-events): the program no longer has it, and removing it deletes the table and its data; if that is intended, remove it from tables.lock.json`},
		},
		{
			name: "a table removed from a stack that never had it",
			plan: planOf("prod", accounts(prodAccounts, "tenantId:S", "accountId:S", byCreated())),
		},
		{
			name: "every problem at once",
			plan: planOf("dev", accounts(devAccounts, "accountId:S", "", byCreated())),
			want: []string{
				`table "accounts" in dev (generation 1, acme-dev-accounts-accounts): changing the hash key and the range key replaces the table, which loses its data ` +
					`(key: hash tenantId (S), range accountId (S) -> hash accountId (S)); declare table.Migration{From: 1, Strategy: table.Replicate} to move its items to generation 2`,
				`table "events" in dev (generation 1, acme-dev-accounts-events): the program no longer has it, and removing it deletes the table and its data; if that is intended, remove it from tables.lock.json`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.plan, locked(), tt.migrations)
			if len(tt.want) == 0 {
				assert.NoError(t, err)
				return
			}
			assert.EqualError(t, err, strings.Join(tt.want, "\n"))
		})
	}
}

func TestCheckCompletedMigration(t *testing.T) {
	l := locked()
	l.Tables = append(l.Tables, Table{Name: "accounts", Generation: 2, PhysicalNames: map[string]string{"dev": devAccounts + "-g2"},
		HashKey: Attribute{Name: "accountId", Type: "S"}})
	g2 := tableResource("accounts-g2", devAccounts+"-g2", "accountId:S", "", nil)
	// The migration is over: generation 1 left the program (the component retains it in AWS).
	assert.NoError(t, Check(planOf("dev", g2, events()), l, []Migration{{Table: "accounts", From: 1, Strategy: Replicate}}))
	assert.NoError(t, Check(planOf("dev", g2, events()), l, nil))
	// Once every stack is done, the lock forgets generation 1, and the declaration is still fine.
	updated, err := l.Update(planOf("dev", g2, events()))
	require.NoError(t, err)
	updated, err = updated.Update(planOf("prod", tableResource("accounts-g2", prodAccounts+"-g2", "accountId:S", "", nil)))
	require.NoError(t, err)
	_, ok := updated.Generation("accounts", 1)
	assert.False(t, ok)
	assert.NoError(t, Check(planOf("dev", g2, events()), updated, []Migration{{Table: "accounts", From: 1, Strategy: Replicate}}))
}

func TestTablesRefusesUnreadable(t *testing.T) {
	r := tableResource("accounts", devAccounts, "tenantId:S", "accountId:S", nil)
	r.Inputs["attributes"] = []any{}
	bare := plan.Resource{Type: "aws:dynamodb/table:Table", Name: "bare", Inputs: map[string]any{}}
	_, err := Tables(planOf("dev", r, bare))
	assert.EqualError(t, err, `table resource "accounts": hashKey "tenantId" has no attribute definition; rangeKey "accountId" has no attribute definition`+
		"\n"+`table resource "bare": no hashKey`)
	assert.EqualError(t, Check(planOf("dev", bare), locked(), nil), `table resource "bare": no hashKey`)
}

func TestParseGeneration(t *testing.T) {
	for _, tt := range []struct {
		name string
		gen  int
	}{{"accounts", 1}, {"accounts", 2}, {"orders-g", 12}, {"big-g2x", 1}} {
		n := migration.GenerationName(tt.name, tt.gen)
		name, gen := parseGeneration(n)
		assert.Equal(t, tt.name, name, n)
		assert.Equal(t, tt.gen, gen, n)
	}
	assert.Equal(t, "accounts-g2", migration.GenerationName("accounts", 2))
	for _, notGen := range []string{"accounts-g1", "accounts-g02", "accounts-g", "-g2", "x-gx"} {
		name, gen := parseGeneration(notGen)
		assert.Equal(t, notGen, name)
		assert.Equal(t, 1, gen)
	}
}

// tagged is a planned table with the migration tag set to value.
func tagged(r plan.Resource, value string) plan.Resource {
	r.Inputs["tags"] = map[string]any{migration.TagMigration: value, "env": "dev"}
	return r
}

func TestCheckProjectReadsMigrationsFromTags(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, locked().Write(Path(dir)))
	old := accounts(devAccounts, "tenantId:S", "accountId:S", byCreated())
	g2 := tableResource("accounts-g2", devAccounts+"-g2", "accountId:S", "", nil)
	checkpoints := tableResource("accounts-checkpoints", devAccounts+"-checkpoints", "pk:S", "", nil)

	// The key change alone is refused, naming the table, both keys and the migration.
	err := CheckProject(dir, planOf("dev", accounts(devAccounts, "accountId:S", "", nil), events()))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "accounts: tables.lock.json refuses the plan of dev:\n"+
		`table "accounts" in dev (generation 1, acme-dev-accounts-accounts): changing the hash key, the range key and the local secondary indexes replaces the table, `+
		"which loses its data (key: hash tenantId (S), range accountId (S) -> hash accountId (S))")
	assert.Contains(t, err.Error(), "declare table.Migration{From: 1, Strategy: table.Replicate}")

	// An untagged generation 2 is not declared.
	err = CheckProject(dir, planOf("dev", old, g2, events()))
	assert.ErrorContains(t, err, `generation 2 is not in the lock, which has generation 1, and no migration declares it`)

	// The table component's tags declare it; its checkpoint table is not locked.
	p := planOf("dev", old, tagged(g2, migration.GenerationTag("replicate", 1)), tagged(checkpoints, migration.CheckpointsTag), events())
	assert.Equal(t, []Migration{{Table: "accounts", From: 1, Strategy: Replicate}}, Migrations(p))
	require.NoError(t, CheckProject(dir, p))
	tables, err := Tables(p)
	require.NoError(t, err)
	for _, tbl := range tables {
		assert.NotEqual(t, "accounts-checkpoints", tbl.Name)
	}
}
