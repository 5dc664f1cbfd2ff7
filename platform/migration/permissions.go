package migration

import "github.com/stratum-platform/stratum/platform/permission"

// The resources of a migration.
const (
	// SourceTable is the old generation's table ARN.
	SourceTable permission.Resource = "sourceTable"
	// SourceStream is the old generation's stream ARN (its latest stream).
	SourceStream permission.Resource = "sourceStream"
	// TargetTable is the new generation's table ARN.
	TargetTable permission.Resource = "targetTable"
	// CheckpointTable is the checkpoint table's ARN.
	CheckpointTable permission.Resource = "checkpointTable"
)

// ReplicatorPermissions are what the replicator calls: conditional puts and deletes on the
// new generation, tombstones in the checkpoint table, and the stream reads its event source
// mapping makes with the function's role.
func ReplicatorPermissions() []permission.Permission {
	return []permission.Permission{
		{Action: "dynamodb:PutItem", On: TargetTable},
		{Action: "dynamodb:DeleteItem", On: TargetTable},
		{Action: "dynamodb:GetItem", On: CheckpointTable},
		{Action: "dynamodb:PutItem", On: CheckpointTable},
		{Action: "dynamodb:DescribeStream", On: SourceStream},
		{Action: "dynamodb:GetRecords", On: SourceStream},
		{Action: "dynamodb:GetShardIterator", On: SourceStream},
		{Action: "dynamodb:ListStreams", On: SourceStream},
	}
}

// BackfillPermissions are what the backfill calls: the segmented Scan of the old
// generation, conditional puts on the new one and the withdrawal of its own writes, its
// checkpoints, and the tombstones it reads in batches.
func BackfillPermissions() []permission.Permission {
	return []permission.Permission{
		{Action: "dynamodb:Scan", On: SourceTable},
		{Action: "dynamodb:PutItem", On: TargetTable},
		{Action: "dynamodb:DeleteItem", On: TargetTable},
		{Action: "dynamodb:GetItem", On: CheckpointTable},
		{Action: "dynamodb:PutItem", On: CheckpointTable},
		{Action: "dynamodb:BatchGetItem", On: CheckpointTable},
	}
}
