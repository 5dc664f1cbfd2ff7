package migration

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

// MaxParallelSegments bounds the segments one invocation scans at once, so that the table's
// read capacity and the function's connections stay reasonable.
const MaxParallelSegments = 16

// DeadlineMargin is how long before the invocation's deadline the backfill stops starting
// pages: a page and its checkpoint must finish in it.
const DeadlineMargin = 20 * time.Second

// BackfillRequest is the input of one backfill invocation.
type BackfillRequest struct {
	// Segments lists the segments to scan, each from 0 to Config.Segments-1. Default: all.
	Segments []int `json:"segments,omitempty"`
	// MaxPages stops each segment after that many pages in this invocation, its checkpoint
	// saved. Default: until the segment ends or the deadline nears.
	MaxPages int `json:"maxPages,omitempty"`
}

// Progress is what a backfill invocation reports.
type Progress struct {
	// Done is true when every segment of the request has been scanned to its end.
	Done     bool              `json:"done"`
	Segments []SegmentProgress `json:"segments"`
	// Scanned, Written and Skipped add up the segments' counts.
	Scanned int64 `json:"scanned"`
	Written int64 `json:"written"`
	Skipped int64 `json:"skipped"`
}

// SegmentProgress is one segment's state, over every invocation so far.
type SegmentProgress struct {
	Segment int  `json:"segment"`
	Done    bool `json:"done"`
	// Pages counts the pages scanned.
	Pages int64 `json:"pages"`
	// Scanned counts the items read, Written those the new generation did not hold yet and
	// Skipped those it already held (written by the replicator or an earlier run).
	Scanned int64 `json:"scanned"`
	Written int64 `json:"written"`
	Skipped int64 `json:"skipped"`
	// Withdrawn counts the backfill's writes taken back because the item had been deleted.
	Withdrawn int64 `json:"withdrawn"`
}

// Backfill copies the old generation into the new one, segment by segment.
type Backfill struct {
	db        DB
	cfg       Config
	transform Transform
	now       func() time.Time
}

// NewBackfill returns a backfill working through db, with the transform cfg names. cfg must
// have Segments.
func NewBackfill(db DB, cfg Config, ts Transforms) (*Backfill, error) {
	t, err := ts.Lookup(cfg.Transform)
	if err != nil {
		return nil, err
	}
	if cfg.Segments < 1 {
		return nil, fmt.Errorf("migration: backfill needs %s", EnvSegments)
	}
	return &Backfill{db: db, cfg: cfg, transform: t, now: time.Now}, nil
}

// Handle scans the requested segments in parallel from their checkpoints and returns the
// progress. It fails when the request is invalid, or when a segment failed (every failure
// named); the other segments' progress is kept in their checkpoints either way, so the next
// invocation resumes.
func (b *Backfill) Handle(ctx context.Context, req BackfillRequest) (Progress, error) {
	segments, err := b.segments(req)
	if err != nil {
		return Progress{}, err
	}
	results := make([]SegmentProgress, len(segments))
	errs := make([]error, len(segments))
	limit := make(chan struct{}, MaxParallelSegments)
	var wg sync.WaitGroup
	for i, s := range segments {
		wg.Go(func() {
			limit <- struct{}{}
			defer func() { <-limit }()
			results[i], errs[i] = b.scanSegment(ctx, s, req.MaxPages)
		})
	}
	wg.Wait()

	p := Progress{Done: true, Segments: results}
	for _, r := range results {
		p.Done = p.Done && r.Done
		p.Scanned += r.Scanned
		p.Written += r.Written
		p.Skipped += r.Skipped
	}
	lambdakit.Logger(ctx).Info("backfill progress", "done", p.Done, "segments", len(segments),
		"scanned", p.Scanned, "written", p.Written, "skipped", p.Skipped)
	if err := errors.Join(errs...); err != nil {
		return p, fmt.Errorf("backfill %s -> %s: %w", b.cfg.SourceTable, b.cfg.TargetTable, err)
	}
	return p, nil
}

// segments returns the segments req asks for, reporting every invalid one at once.
func (b *Backfill) segments(req BackfillRequest) ([]int, error) {
	fields := map[string]string{}
	if req.MaxPages < 0 {
		fields["maxPages"] = fmt.Sprintf("must be 0 (no limit) or more, got %d", req.MaxPages)
	}
	if len(req.Segments) == 0 {
		req.Segments = make([]int, b.cfg.Segments)
		for i := range req.Segments {
			req.Segments[i] = i
		}
	}
	seen := map[int]bool{}
	for i, s := range req.Segments {
		switch {
		case s < 0 || s >= b.cfg.Segments:
			fields[fmt.Sprintf("segments[%d]", i)] = fmt.Sprintf("must be from 0 to %d, got %d", b.cfg.Segments-1, s)
		case seen[s]:
			fields[fmt.Sprintf("segments[%d]", i)] = fmt.Sprintf("segment %d is listed twice", s)
		}
		seen[s] = true
	}
	if len(fields) > 0 {
		return nil, fmt.Errorf("invalid backfill request: %w", &lambdakit.ValidationError{Fields: fields})
	}
	return req.Segments, nil
}

// scanSegment scans one segment from its checkpoint until its end, maxPages pages (when not
// 0), the deadline's margin or a failure, saving the checkpoint after each page.
func (b *Backfill) scanSegment(ctx context.Context, segment, maxPages int) (SegmentProgress, error) {
	cp, err := b.loadCheckpoint(ctx, segment)
	if err != nil {
		return cp.progress, err
	}
	log := lambdakit.Logger(ctx).With("segment", segment)
	for pages := 0; !cp.progress.Done && (maxPages == 0 || pages < maxPages); pages++ {
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < DeadlineMargin {
			break
		}
		out, err := b.db.Scan(ctx, &dynamodb.ScanInput{
			TableName:         aws.String(b.cfg.SourceTable),
			Segment:           aws.Int32(int32(segment)),
			TotalSegments:     aws.Int32(int32(b.cfg.Segments)),
			ExclusiveStartKey: cp.lastKey,
			Limit:             limit(b.cfg.PageSize),
		})
		if err != nil {
			return cp.progress, fmt.Errorf("segment %d: scan %s: %w", segment, b.cfg.SourceTable, err)
		}
		written, skipped, withdrawn, err := b.writePage(ctx, out.Items)
		if err != nil {
			return cp.progress, fmt.Errorf("segment %d: %w", segment, err)
		}
		next := cp
		next.lastKey = out.LastEvaluatedKey
		next.progress.Done = len(out.LastEvaluatedKey) == 0
		next.progress.Pages++
		next.progress.Scanned += int64(len(out.Items))
		next.progress.Written += written
		next.progress.Skipped += skipped
		next.progress.Withdrawn += withdrawn
		if err := b.saveCheckpoint(ctx, next, cp.progress.Pages); err != nil {
			return cp.progress, fmt.Errorf("segment %d: %w", segment, err)
		}
		cp = next
		log.Info("backfill page", "page", cp.progress.Pages, "items", len(out.Items), "written", written,
			"skipped", skipped, "withdrawn", withdrawn, "done", cp.progress.Done)
	}
	return cp.progress, nil
}

// limit is the Scan's Limit for a page size; nil lets DynamoDB fill 1 MB pages.
func limit(pageSize int) *int32 {
	if pageSize <= 0 {
		return nil
	}
	return aws.Int32(int32(pageSize))
}

// writePage writes each item's transform where the new generation has no item with its key,
// then takes back those of its writes that a delete overtook (see the package
// documentation).
func (b *Backfill) writePage(ctx context.Context, items []Item) (written, skipped, withdrawn int64, err error) {
	var wrote []key
	for _, old := range items {
		item, k, err := transformItem(b.transform, old, b.cfg.TargetKey)
		if err != nil {
			return 0, 0, 0, fmt.Errorf("item %s: %w", describeKey(old), err)
		}
		item = maps.Clone(item)
		item[VersionAttribute] = &types.AttributeValueMemberS{Value: BackfillVersion}
		_, err = b.db.PutItem(ctx, &dynamodb.PutItemInput{
			TableName:                aws.String(b.cfg.TargetTable),
			Item:                     item,
			ConditionExpression:      aws.String("attribute_not_exists(#k)"),
			ExpressionAttributeNames: map[string]string{"#k": b.cfg.TargetKey[0]},
		})
		switch {
		case conditionFailed(err):
			skipped++
		case err != nil:
			return 0, 0, 0, fmt.Errorf("table %s: put %s: %w", b.cfg.TargetTable, k.id, err)
		default:
			written++
			wrote = append(wrote, k)
		}
	}
	deleted, err := b.cfg.tombstoned(ctx, b.db, wrote)
	if err != nil {
		return 0, 0, 0, err
	}
	for _, k := range wrote {
		if !deleted[k.id] {
			continue
		}
		_, err := b.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
			TableName:                 aws.String(b.cfg.TargetTable),
			Key:                       k.attrs,
			ConditionExpression:       aws.String("#v = :v"),
			ExpressionAttributeNames:  map[string]string{"#v": VersionAttribute},
			ExpressionAttributeValues: Item{":v": &types.AttributeValueMemberS{Value: BackfillVersion}},
		})
		switch {
		case conditionFailed(err):
			// The replicator wrote a newer version over the backfill's: it stays.
		case err != nil:
			return 0, 0, 0, fmt.Errorf("table %s: withdraw %s: %w", b.cfg.TargetTable, k.id, err)
		default:
			withdrawn++
		}
	}
	return written - withdrawn, skipped, withdrawn, nil
}

// describeKey names an old item in messages by its attributes' names, not values, which may
// be personal data.
func describeKey(item Item) string {
	return fmt.Sprintf("with attributes %v", slices.Sorted(maps.Keys(item)))
}
