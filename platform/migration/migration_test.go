package migration

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBackfillAcrossSegments(t *testing.T) {
	db := client(t)
	cfg := setupTables(t, db, 4)
	cfg.PageSize = 100
	seed(t, db, cfg.SourceTable, 3000)

	b, err := NewBackfill(db, cfg, transforms())
	require.NoError(t, err)
	p, err := b.Handle(quiet(t.Context()), BackfillRequest{})
	require.NoError(t, err)
	assert.True(t, p.Done)
	assert.Equal(t, int64(3000), p.Scanned)
	assert.Equal(t, int64(3000), p.Written)
	assert.Zero(t, p.Skipped)
	require.Len(t, p.Segments, 4)
	for _, s := range p.Segments {
		assert.True(t, s.Done, "segment %d", s.Segment)
		assert.Positive(t, s.Scanned, "segment %d scanned nothing: the scan is not split", s.Segment)
	}
	assert.Equal(t, 3000, requireMigrated(t, db, cfg))

	// Done is remembered: another invocation scans nothing.
	again, err := b.Handle(quiet(t.Context()), BackfillRequest{})
	require.NoError(t, err)
	assert.Equal(t, p, again)
}

func TestBackfillResumes(t *testing.T) {
	db := client(t)
	cfg := setupTables(t, db, 3)
	cfg.PageSize = 40
	seed(t, db, cfg.SourceTable, 1000)
	f := &faultyDB{DB: db}
	b, err := NewBackfill(f, cfg, transforms())
	require.NoError(t, err)
	ctx := quiet(t.Context())

	// An invocation that stops after two pages per segment.
	p, err := b.Handle(ctx, BackfillRequest{MaxPages: 2})
	require.NoError(t, err)
	assert.False(t, p.Done)
	assert.Equal(t, int64(240), p.Scanned)
	for _, s := range p.Segments {
		assert.Equal(t, int64(2), s.Pages)
	}

	// An invocation of segment 1 that dies in its third page, after 30 writes.
	var puts int
	reset := errors.New("connection reset by peer")
	f.fail = func(op string, in any) error {
		if put, ok := in.(*dynamodb.PutItemInput); ok && op == "PutItem" && aws.ToString(put.TableName) == cfg.TargetTable {
			if puts++; puts > 30 {
				return reset
			}
		}
		return nil
	}
	_, err = b.Handle(ctx, BackfillRequest{Segments: []int{1}})
	require.ErrorIs(t, err, reset)
	assert.Contains(t, err.Error(), fmt.Sprintf("backfill %s -> %s: segment 1: table %s: put ", cfg.SourceTable, cfg.TargetTable, cfg.TargetTable))

	// The next invocations resume from the checkpoints and redo only the broken page.
	f.fail = nil
	p, err = b.Handle(ctx, BackfillRequest{})
	require.NoError(t, err)
	assert.True(t, p.Done)
	assert.Equal(t, int64(1000), p.Scanned, "no page is counted twice")
	assert.Equal(t, int64(30), p.Skipped, "the broken page's 30 writes are found, not repeated")
	assert.Equal(t, int64(970), p.Written)
	assert.Equal(t, 1000, requireMigrated(t, db, cfg))
}

func TestBackfillCheckpointConflict(t *testing.T) {
	db := client(t)
	cfg := setupTables(t, db, 2)
	b, err := NewBackfill(db, cfg, transforms())
	require.NoError(t, err)
	ctx := quiet(t.Context())
	require.NoError(t, b.saveCheckpoint(ctx, checkpoint{segment: 0, progress: SegmentProgress{Pages: 1}}, 0))
	require.NoError(t, b.saveCheckpoint(ctx, checkpoint{segment: 0, progress: SegmentProgress{Pages: 2}}, 1))
	// A second invocation that read the checkpoint at page 1 cannot move it.
	err = b.saveCheckpoint(ctx, checkpoint{segment: 0, progress: SegmentProgress{Pages: 2}}, 1)
	assert.EqualError(t, err, "checkpoint accounts-g2#backfill#2#0 moved since page 1: another invocation is scanning this segment")
	err = b.saveCheckpoint(ctx, checkpoint{segment: 0, progress: SegmentProgress{Pages: 1}}, 0)
	assert.EqualError(t, err, "checkpoint accounts-g2#backfill#2#0 moved since page 0: another invocation is scanning this segment")
	cp, err := b.loadCheckpoint(ctx, 0)
	require.NoError(t, err)
	assert.Equal(t, int64(2), cp.progress.Pages)
}

// TestConcurrentWrites runs the backfill while the application keeps changing the old
// generation (updates, key moves, deletes, inserts) and the replicator applies the stream,
// with replays of earlier batches out of order; the new generation must end equal to the
// transformed old one.
func TestConcurrentWrites(t *testing.T) {
	db := client(t)
	cfg := setupTables(t, db, 4)
	cfg.PageSize = 25
	const seeded, changes = 1500, 600
	seed(t, db, cfg.SourceTable, seeded)
	b, err := NewBackfill(db, cfg, transforms())
	require.NoError(t, err)
	r, err := NewReplicator(db, cfg, transforms())
	require.NoError(t, err)
	ctx := quiet(t.Context())

	stream := make(chan events.DynamoDBEventRecord, changes)
	var backfilling atomic.Bool
	backfilling.Store(true)
	var during atomic.Int64 // changes made while the backfill ran
	var wg sync.WaitGroup
	errs := make(chan error, 3)

	wg.Go(func() { // the application
		defer close(stream)
		rng := rand.New(rand.NewPCG(1, 2))
		next := seeded
		for i := range changes {
			if backfilling.Load() {
				during.Add(1)
			}
			k := rng.IntN(next)
			var rec events.DynamoDBEventRecord
			var err error
			switch op := rng.IntN(20); {
			case op < 4:
				rec, err = remove(ctx, db, cfg.SourceTable, k, int64(i))
			case op < 8:
				rec, err = write(ctx, db, cfg.SourceTable, account(next, i), int64(i))
				next++
			default:
				item := account(k, i)
				if op < 10 { // the tenant changes: the item moves to another key
					item["tenantId"] = &types.AttributeValueMemberS{Value: fmt.Sprintf("t-moved-%d", i)}
				}
				rec, err = write(ctx, db, cfg.SourceTable, item, int64(i))
			}
			if err != nil {
				errs <- err
				return
			}
			if rec.EventName != "" {
				stream <- rec
			}
		}
	})
	wg.Go(func() { // the replicator's event source mapping: batches, with replays
		rng := rand.New(rand.NewPCG(3, 4))
		var sent [][]events.DynamoDBEventRecord
		deliver := func(batch []events.DynamoDBEventRecord) error {
			resp, err := r.Handle(ctx, events.DynamoDBEvent{Records: batch})
			if err == nil && len(resp.BatchItemFailures) > 0 {
				err = fmt.Errorf("batch failed at %s", resp.BatchItemFailures[0].ItemIdentifier)
			}
			return err
		}
		var batch []events.DynamoDBEventRecord
		for rec := range stream {
			if batch = append(batch, rec); len(batch) < 8 && len(stream) > 0 {
				continue
			}
			sent = append(sent, batch)
			if err := deliver(batch); err != nil {
				errs <- err
				return
			}
			if rng.IntN(4) == 0 { // an old batch again, out of order
				if err := deliver(sent[rng.IntN(len(sent))]); err != nil {
					errs <- err
					return
				}
			}
			batch = nil
		}
		if len(batch) > 0 {
			if err := deliver(batch); err != nil {
				errs <- err
			}
		}
	})
	wg.Go(func() { // the backfill, in invocations of three pages per segment
		defer backfilling.Store(false)
		for {
			p, err := b.Handle(ctx, BackfillRequest{MaxPages: 3})
			if err != nil {
				errs <- err
				return
			}
			if p.Done {
				t.Logf("backfill: scanned %d, written %d, skipped %d", p.Scanned, p.Written, p.Skipped)
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	require.Positive(t, during.Load(), "no change happened during the backfill: the test proves nothing")
	t.Logf("%d of %d changes happened during the backfill", during.Load(), changes)
	n := requireMigrated(t, db, cfg)
	assert.Greater(t, n, seeded)
}

// write puts item in table and returns the stream record DynamoDB would emit.
func write(ctx context.Context, db *dynamodb.Client, table string, item Item, seq int64) (events.DynamoDBEventRecord, error) {
	out, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: item, ReturnValues: types.ReturnValueAllOld})
	if err != nil {
		return events.DynamoDBEventRecord{}, err
	}
	if len(out.Attributes) == 0 {
		return record(seq, "INSERT", nil, item), nil
	}
	return record(seq, "MODIFY", out.Attributes, item), nil
}

// remove deletes account k from table and returns the stream record DynamoDB would emit:
// none when there was nothing to delete.
func remove(ctx context.Context, db *dynamodb.Client, table string, k int, seq int64) (events.DynamoDBEventRecord, error) {
	out, err := db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName: aws.String(table), Key: Item{"accountId": account(k, 0)["accountId"]}, ReturnValues: types.ReturnValueAllOld,
	})
	if err != nil || len(out.Attributes) == 0 {
		return events.DynamoDBEventRecord{}, err
	}
	return record(seq, "REMOVE", out.Attributes, nil), nil
}
