package migration

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Resource names the ARN a permission is on; whoever grants it maps it to that ARN.
type Resource string

// The resources of a migration.
const (
	// SourceTable is the old generation's table ARN.
	SourceTable Resource = "sourceTable"
	// SourceStream is the old generation's stream ARN (its latest stream).
	SourceStream Resource = "sourceStream"
	// TargetTable is the new generation's table ARN.
	TargetTable Resource = "targetTable"
	// CheckpointTable is the checkpoint table's ARN.
	CheckpointTable Resource = "checkpointTable"
)

// Permission is one IAM action on a resource.
type Permission struct {
	Action string
	On     Resource
}

// ReplicatorPermissions are what the replicator calls: conditional puts and deletes on the
// new generation, tombstones in the checkpoint table, and the stream reads its event source
// mapping makes with the function's role.
func ReplicatorPermissions() []Permission {
	return []Permission{
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
func BackfillPermissions() []Permission {
	return []Permission{
		{Action: "dynamodb:Scan", On: SourceTable},
		{Action: "dynamodb:PutItem", On: TargetTable},
		{Action: "dynamodb:DeleteItem", On: TargetTable},
		{Action: "dynamodb:GetItem", On: CheckpointTable},
		{Action: "dynamodb:PutItem", On: CheckpointTable},
		{Action: "dynamodb:BatchGetItem", On: CheckpointTable},
	}
}

// Resolve turns permissions into the action-to-resources map that function.Permissions reads
// from a plan (resources sorted and unique), given each resource's ARN. It names every
// resource the permissions need and arns lacks.
func Resolve(perms []Permission, arns map[Resource]string) (map[string][]string, error) {
	out := map[string][]string{}
	missing := map[Resource]bool{}
	for _, p := range perms {
		arn := arns[p.On]
		if arn == "" {
			missing[p.On] = true
			continue
		}
		if !slices.Contains(out[p.Action], arn) {
			out[p.Action] = append(out[p.Action], arn)
		}
	}
	if len(missing) > 0 {
		names := make([]string, 0, len(missing))
		for _, r := range slices.Sorted(maps.Keys(missing)) {
			names = append(names, string(r))
		}
		return nil, fmt.Errorf("migration: no ARN for %s", strings.Join(names, ", "))
	}
	for _, res := range out {
		slices.Sort(res)
	}
	return out, nil
}
