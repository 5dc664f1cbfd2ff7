package migration

import (
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBackfillRacesTheReplicator makes the application change an item, and the replicator
// apply the change, exactly between the backfill's scan of the item and its write: the
// narrowest window, where a stale copy could land after the change.
func TestBackfillRacesTheReplicator(t *testing.T) {
	tests := []struct {
		name string
		// change runs between the scan of account 5 and the backfill's write of it; it
		// returns the records to replicate then, and those to replicate after the backfill.
		change        func(t *testing.T, db *dynamodb.Client, table string) (now, later []events.DynamoDBEventRecord)
		wantWithdrawn int64
		wantSkipped   int64
	}{
		{
			name: "deleted after the scan",
			change: func(t *testing.T, db *dynamodb.Client, table string) ([]events.DynamoDBEventRecord, []events.DynamoDBEventRecord) {
				rec, err := remove(t.Context(), db, table, 5, 1)
				require.NoError(t, err)
				return []events.DynamoDBEventRecord{rec}, nil
			},
			wantWithdrawn: 1,
		},
		{
			name: "updated after the scan",
			change: func(t *testing.T, db *dynamodb.Client, table string) ([]events.DynamoDBEventRecord, []events.DynamoDBEventRecord) {
				rec, err := write(t.Context(), db, table, account(5, 1), 1)
				require.NoError(t, err)
				return []events.DynamoDBEventRecord{rec}, nil
			},
			wantSkipped: 1,
		},
		{
			name: "deleted and recreated after the scan, the recreation replicated late",
			change: func(t *testing.T, db *dynamodb.Client, table string) ([]events.DynamoDBEventRecord, []events.DynamoDBEventRecord) {
				del, err := remove(t.Context(), db, table, 5, 1)
				require.NoError(t, err)
				put, err := write(t.Context(), db, table, account(5, 2), 2)
				require.NoError(t, err)
				return []events.DynamoDBEventRecord{del}, []events.DynamoDBEventRecord{put}
			},
			wantWithdrawn: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := client(t)
			cfg := setupTables(t, db, 1)
			seed(t, db, cfg.SourceTable, 10)
			r, err := NewReplicator(db, cfg, transforms())
			require.NoError(t, err)
			ctx := quiet(t.Context())
			replicate := func(recs []events.DynamoDBEventRecord) {
				resp, err := r.Handle(ctx, events.DynamoDBEvent{Records: recs})
				require.NoError(t, err)
				require.Empty(t, resp.BatchItemFailures)
			}
			var later []events.DynamoDBEventRecord
			f := &faultyDB{DB: db}
			f.fail = func(op string, in any) error {
				put, ok := in.(*dynamodb.PutItemInput)
				if !ok || aws.ToString(put.TableName) != cfg.TargetTable {
					return nil
				}
				if id, _ := put.Item["accountId"].(*types.AttributeValueMemberS); id.Value == "aws-000000000005" {
					f.fail = nil // once; the lock is held, so this is safe
					var now []events.DynamoDBEventRecord
					now, later = tt.change(t, db, cfg.SourceTable)
					replicate(now)
				}
				return nil
			}
			b, err := NewBackfill(f, cfg, transforms())
			require.NoError(t, err)
			p, err := b.Handle(ctx, BackfillRequest{})
			require.NoError(t, err)
			require.True(t, p.Done)
			assert.Equal(t, tt.wantWithdrawn, p.Segments[0].Withdrawn, "withdrawn")
			assert.Equal(t, tt.wantSkipped, p.Skipped, "skipped")
			replicate(later)
			requireMigrated(t, db, cfg)
		})
	}
}
