// Package migration moves a DynamoDB table's items to a new generation of the table, whose
// key may differ, while the application keeps writing the old one: a replicator applies the
// old generation's stream to the new one, and a backfill copies what was there before. Both
// pass every item through a Transform, a named Go function registered in the handler's
// main, and both are idempotent, so that retries, replays and their races leave the new
// generation equal to the transform of the old one.
//
// How writes stay ordered. Every item the migration writes carries VersionAttribute: the
// stream record's sequence number (zero-padded, so that strings compare as numbers), or
// BackfillVersion, lower than any, for the backfill. The replicator writes only over an
// older version, so a replayed or late record never moves an item backwards. A delete
// removes the item and leaves a tombstone (the deleted key and its version) in the
// checkpoint table, so that an older record replayed after the delete does not bring the
// item back. The backfill writes only where no item exists, then looks for tombstones of
// what it wrote and takes back its own writes (those still at BackfillVersion) that a delete
// overtook: whatever the interleaving of a backfill write with the delete of that item, the
// item ends deleted, and an item recreated after its delete arrives through the stream.
//
// The backfill is a segmented parallel Scan. After each page it stores the segment's
// LastEvaluatedKey and counts in a checkpoint item, so an interrupted run resumes where it
// stopped; a page done twice writes nothing twice. It reports its progress per segment.
//
// Requirements on the wiring: the old generation's stream has NEW_AND_OLD_IMAGES (a delete
// needs the old image to compute the new key); the replicator's event source mapping starts
// at TRIM_HORIZON, exists before the backfill starts, and reports batch item failures; the
// checkpoint table has a string hash key CheckpointKey, with time to live on ExpiresAttribute.
// A transform must map distinct old keys to distinct new keys.
//
// The handler mains are RunReplicator and RunBackfill; stacks/platform/handlers/replicator
// and .../backfill build them with the built-in transforms, and a context with its own
// transform builds its own three-line main with its Transforms. IAM: exactly
// ReplicatorPermissions and BackfillPermissions, plus the KMS actions on each table's key
// that the tables' grants add.
//
// Default settings:
//   - "identity" is always a registered transform: the new generation keeps the old items;
//   - the backfill scans every segment of Config.Segments when a request names none, up to
//     MaxParallelSegments at once, with DynamoDB's 1 MB pages unless Config.PageSize is set,
//     and stops starting pages DeadlineMargin before the invocation's deadline;
//   - tombstones expire TombstoneTTL after the delete, longer than a stream keeps records.
package migration
