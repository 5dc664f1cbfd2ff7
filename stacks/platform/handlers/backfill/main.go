// Command backfill copies the old generation of a table into its new generation during a
// migration (platform/migration), a segmented parallel Scan with checkpoints: with the
// built-in transforms, for a migration that keeps the items as they are. A context whose
// migration transforms items builds its own main with migration.RunBackfill and its
// transforms. Its input is migration.BackfillRequest and its answer migration.Progress;
// invoke it again until Progress.Done.
//
// IAM: exactly migration.BackfillPermissions(). Environment: migration.BackfillEnv(), and
// MIGRATION_PAGE_SIZE optionally.
package main

import "github.com/stratum-platform/stratum/platform/migration"

func main() {
	migration.RunBackfill(migration.Transforms{})
}
