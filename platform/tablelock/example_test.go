package tablelock_test

import (
	"fmt"

	"github.com/stratum-platform/stratum/platform/migration"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/tablelock"
)

// A program changes the accounts table's key from accountId to tenantId and accountId; the
// lock refuses the plan until the migration is declared, and then expects generation 2.
func ExampleCheck() {
	lock := &tablelock.Lock{Version: tablelock.Version, Tables: []tablelock.Table{{
		Name: "accounts", Generation: 1,
		PhysicalNames: map[string]string{"dev": "acme-dev-accounts-accounts"},
		HashKey:       tablelock.Attribute{Name: "accountId", Type: "S"},
	}}}
	table := func(resource, name string, keys ...string) plan.Resource {
		in := map[string]any{"name": name, "hashKey": keys[0], "attributes": []any{}}
		if len(keys) > 1 {
			in["rangeKey"] = keys[1]
		}
		for _, k := range keys {
			in["attributes"] = append(in["attributes"].([]any), map[string]any{"name": k, "type": "S"})
		}
		return plan.Resource{Type: "aws:dynamodb/table:Table", Name: resource, Inputs: in}
	}
	changed := &plan.Plan{Project: "accounts", Stack: "dev", Resources: []plan.Resource{
		table("accounts", "acme-dev-accounts-accounts", "tenantId", "accountId"),
	}}
	fmt.Println(tablelock.Check(changed, lock, nil))

	migrating := &plan.Plan{Project: "accounts", Stack: "dev", Resources: []plan.Resource{
		table("accounts", "acme-dev-accounts-accounts", "accountId"),
		table(migration.GenerationName("accounts", 2), "acme-dev-accounts-accounts-g2", "tenantId", "accountId"),
	}}
	fmt.Println(tablelock.Check(migrating, lock, []tablelock.Migration{{Table: "accounts", From: 1, Strategy: tablelock.Replicate}}))
	// Output:
	// table "accounts" in dev (generation 1, acme-dev-accounts-accounts): changing the hash key and the range key replaces the table, which loses its data (key: hash accountId (S) -> hash tenantId (S), range accountId (S)); declare table.Migration{From: 1, Strategy: table.Replicate} to move its items to generation 2
	// <nil>
}
