package migration

import (
	"errors"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newGen reads account i of tenant tenant from the new generation: its rev and version, or
// "" when it is absent.
func newGen(t *testing.T, db DB, cfg Config, tenant string, i int) (rev, version string) {
	t.Helper()
	out, err := db.GetItem(t.Context(), &dynamodb.GetItemInput{
		TableName: aws.String(cfg.TargetTable),
		Key: Item{"tenantId": &types.AttributeValueMemberS{Value: tenant},
			"accountId": account(i, 0)["accountId"]},
		ConsistentRead: aws.Bool(true),
	})
	require.NoError(t, err)
	if out.Item == nil {
		return "", ""
	}
	return out.Item["rev"].(*types.AttributeValueMemberN).Value, out.Item[VersionAttribute].(*types.AttributeValueMemberS).Value
}

func TestReplicatorNeverMovesBackwards(t *testing.T) {
	db := client(t)
	cfg := setupTables(t, db, 1)
	r, err := NewReplicator(db, cfg, transforms())
	require.NoError(t, err)
	ctx := quiet(t.Context())
	v1, v2, v4 := account(1, 1), account(1, 2), account(1, 4)
	insert := record(1, "INSERT", nil, v1)
	modify := record(2, "MODIFY", v1, v2)
	del := record(3, "REMOVE", v2, nil)
	again := record(4, "INSERT", nil, v4)

	steps := []struct {
		name    string
		records []events.DynamoDBEventRecord
		wantRev string // "" when the item must be absent
	}{
		{"a change arrives before the insert", []events.DynamoDBEventRecord{modify}, "2"},
		{"the late insert is older", []events.DynamoDBEventRecord{insert}, "2"},
		{"the delete", []events.DynamoDBEventRecord{del}, ""},
		{"a replay after the delete brings nothing back", []events.DynamoDBEventRecord{insert, modify}, ""},
		{"the delete again", []events.DynamoDBEventRecord{del}, ""},
		{"a new insert after the delete", []events.DynamoDBEventRecord{again}, "4"},
		{"the old delete replayed after it", []events.DynamoDBEventRecord{del, modify}, "4"},
	}
	for _, s := range steps {
		resp, err := r.Handle(ctx, events.DynamoDBEvent{Records: s.records})
		require.NoError(t, err, s.name)
		require.Empty(t, resp.BatchItemFailures, s.name)
		rev, _ := newGen(t, db, cfg, "t-1", 1)
		assert.Equal(t, s.wantRev, rev, s.name)
	}
	_, version := newGen(t, db, cfg, "t-1", 1)
	assert.Equal(t, "0000000000000000000"+sequenceNumber(4), version)
}

func TestReplicatorMovesKeys(t *testing.T) {
	db := client(t)
	cfg := setupTables(t, db, 1)
	r, err := NewReplicator(db, cfg, transforms())
	require.NoError(t, err)
	ctx := quiet(t.Context())
	before := account(3, 1) // tenant t-3
	after := account(3, 2)
	after["tenantId"] = &types.AttributeValueMemberS{Value: "t-9"}
	for _, recs := range [][]events.DynamoDBEventRecord{
		{record(1, "INSERT", nil, before), record(2, "MODIFY", before, after)},
		{record(1, "INSERT", nil, before)}, // a replay must not recreate the old key
	} {
		resp, err := r.Handle(ctx, events.DynamoDBEvent{Records: recs})
		require.NoError(t, err)
		require.Empty(t, resp.BatchItemFailures)
		old, _ := newGen(t, db, cfg, "t-3", 3)
		assert.Empty(t, old, "the item left its old key")
		moved, _ := newGen(t, db, cfg, "t-9", 3)
		assert.Equal(t, "2", moved)
	}
}

func TestReplicatorPartialBatch(t *testing.T) {
	db := client(t)
	cfg := setupTables(t, db, 1)
	throttled := errors.New("ProvisionedThroughputExceededException")
	f := &faultyDB{DB: db, fail: func(op string, in any) error {
		if put, ok := in.(*dynamodb.PutItemInput); ok && op == "PutItem" && aws.ToString(put.TableName) == cfg.TargetTable {
			if put.Item["accountId"].(*types.AttributeValueMemberS).Value == account(2, 0)["accountId"].(*types.AttributeValueMemberS).Value {
				return throttled
			}
		}
		return nil
	}}
	r, err := NewReplicator(f, cfg, transforms())
	require.NoError(t, err)
	ctx := quiet(t.Context())
	batch := []events.DynamoDBEventRecord{
		record(1, "INSERT", nil, account(1, 1)), record(2, "INSERT", nil, account(2, 1)), record(3, "INSERT", nil, account(3, 1)),
	}
	resp, err := r.Handle(ctx, events.DynamoDBEvent{Records: batch})
	require.NoError(t, err)
	assert.Equal(t, []events.DynamoDBBatchItemFailure{{ItemIdentifier: sequenceNumber(2)}}, resp.BatchItemFailures,
		"the first failure, from which Lambda retries in order")
	first, _ := newGen(t, db, cfg, "t-1", 1)
	third, _ := newGen(t, db, cfg, "t-3", 3)
	assert.Equal(t, "1", first)
	assert.Empty(t, third, "nothing after the failure is applied")

	f.fail = nil
	resp, err = r.Handle(ctx, events.DynamoDBEvent{Records: batch[1:]})
	require.NoError(t, err)
	assert.Empty(t, resp.BatchItemFailures)
	third, _ = newGen(t, db, cfg, "t-3", 3)
	assert.Equal(t, "1", third)
}

func TestReplicatorRefusesRecords(t *testing.T) {
	// No call reaches the database: the embedded DB is nil.
	r, err := NewReplicator(&faultyDB{}, Config{TargetTable: "g2", TargetKey: targetKey(), Transform: "byTenant"}, transforms())
	require.NoError(t, err)
	noTenant := account(1, 1)
	delete(noTenant, "tenantId")
	keysOnly := record(7, "INSERT", nil, account(1, 1))
	keysOnly.Change.NewImage = nil
	unknown := record(8, "INSERT", nil, account(1, 1))
	unknown.EventName = "TRUNCATE"
	badSeq := record(9, "INSERT", nil, account(1, 1))
	badSeq.Change.SequenceNumber = "12a"
	removeKeysOnly := record(10, "REMOVE", account(1, 1), nil)
	removeKeysOnly.Change.OldImage = nil
	tests := map[string]struct {
		rec  events.DynamoDBEventRecord
		want string
	}{
		"keys only":        {keysOnly, "record e-7 (INSERT, sequence number 100000000000000000007): no new image: the stream must have NEW_AND_OLD_IMAGES"},
		"remove keys only": {removeKeysOnly, "record e-10 (REMOVE, sequence number 100000000000000000010): no old image: the stream must have NEW_AND_OLD_IMAGES"},
		"transform fails":  {record(11, "INSERT", nil, noTenant), "record e-11 (INSERT, sequence number 100000000000000000011): new image: transform: no tenantId"},
		"unknown event":    {unknown, "record e-8 (TRUNCATE, sequence number 100000000000000000008): unknown event name"},
		"bad sequence":     {badSeq, `record e-9: sequence number "12a" is not 1 to 40 digits`},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := r.Apply(t.Context(), tt.rec)
			assert.EqualError(t, err, tt.want)
			resp, err := r.Handle(quiet(t.Context()), events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{tt.rec}})
			require.NoError(t, err)
			assert.Equal(t, []events.DynamoDBBatchItemFailure{{ItemIdentifier: tt.rec.Change.SequenceNumber}}, resp.BatchItemFailures)
		})
	}
}

func TestReplicatorErrorsWrapped(t *testing.T) {
	db := client(t)
	cfg := setupTables(t, db, 1)
	denied := errors.New("AccessDeniedException: not authorized")
	tests := []struct {
		op   string
		rec  events.DynamoDBEventRecord
		want string
	}{
		{"GetItem", record(1, "INSERT", nil, account(1, 1)),
			`record e-1 (INSERT, sequence number 100000000000000000001): checkpoint table ` + cfg.CheckpointTable + `: read tombstone of [["S","t-1"],["S","aws-000000000001"]]: AccessDeniedException: not authorized`},
		{"PutItem", record(2, "INSERT", nil, account(1, 1)),
			`record e-2 (INSERT, sequence number 100000000000000000002): table ` + cfg.TargetTable + `: put [["S","t-1"],["S","aws-000000000001"]]: AccessDeniedException: not authorized`},
		{"DeleteItem", record(3, "REMOVE", account(1, 1), nil),
			`record e-3 (REMOVE, sequence number 100000000000000000003): table ` + cfg.TargetTable + `: delete [["S","t-1"],["S","aws-000000000001"]]: AccessDeniedException: not authorized`},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			f := &faultyDB{DB: db, fail: func(op string, _ any) error {
				if op == tt.op {
					return denied
				}
				return nil
			}}
			r, err := NewReplicator(f, cfg, transforms())
			require.NoError(t, err)
			_, err = r.Apply(t.Context(), tt.rec)
			assert.EqualError(t, err, tt.want)
			assert.ErrorIs(t, err, denied)
		})
	}
}
