// Package tablelock keeps the lock of a bounded context's DynamoDB tables,
// stacks/<context>/tables.lock.json, and checks plans against it, so that no table is
// replaced, and its data lost, by accident. Per table generation the lock holds the
// physical name in each stack, the key attributes with their types, and the local secondary
// indexes: everything AWS can only change by replacing the table.
//
// Check refuses a plan that would replace a locked table, naming the table, its old and new
// key and the migration to declare; with a declared migration, the new key goes to the next
// generation of the table, beside the old one. What replaces a table is decided by the same
// facts the local provider uses (platform/local.ReplacingChanges, from
// aws-replace-on-change.json): the name, the hash and range keys and the local secondary
// indexes. The lock adds the key attributes' types, which AWS cannot change in place either
// (UpdateTable defines attributes only for new global indexes), though the facts do not
// list them: they describe Terraform's ForceNew, and Terraform lets such an update fail in
// AWS instead.
//
// Generations: generation 1 of a table is the aws:dynamodb/table:Table resource named after
// the table; generation n > 1 is the one named migration.GenerationName(table, n), "<table>-g<n>".
// Declared migrations come in as plain data (Migration), as the table component's
// table.Migration declares them.
//
// Default settings:
//   - a missing lock file is an empty lock: every table is new;
//   - a table generation removed from the program is refused unless a newer generation of
//     the table replaces it (a completed migration): removing the table deletes its data;
//   - Update records only the stack of the plan it is given, so the lock holds every stack's
//     physical names.
package tablelock
