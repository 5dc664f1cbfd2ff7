// Command replicator applies the old generation of a table's stream to its new generation
// during a migration (platform/migration): with the built-in transforms, for a migration
// that keeps the items as they are. A context whose migration transforms items builds its
// own main with migration.RunReplicator and its transforms.
//
// IAM: exactly migration.ReplicatorPermissions(). Environment: migration.ReplicatorEnv().
package main

import "github.com/stratum-platform/stratum/platform/migration"

func main() {
	migration.RunReplicator(migration.Transforms{})
}
