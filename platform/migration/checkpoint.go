package migration

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// checkpoint is where a segment's scan stands: the key to start from and the counts so far.
type checkpoint struct {
	segment  int
	lastKey  Item
	progress SegmentProgress
}

// The checkpoint item's attributes besides CheckpointKey.
const (
	attrLastKey   = "lastEvaluatedKey"
	attrDone      = "done"
	attrPages     = "pages"
	attrScanned   = "scanned"
	attrWritten   = "written"
	attrSkipped   = "skipped"
	attrWithdrawn = "withdrawn"
	attrUpdatedAt = "updatedAt"
)

// loadCheckpoint reads segment's checkpoint, or the start of the segment when there is none.
func (b *Backfill) loadCheckpoint(ctx context.Context, segment int) (checkpoint, error) {
	cp := checkpoint{segment: segment, progress: SegmentProgress{Segment: segment}}
	out, err := b.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(b.cfg.CheckpointTable),
		Key:            Item{CheckpointKey: &types.AttributeValueMemberS{Value: b.cfg.segmentID(segment)}},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return cp, fmt.Errorf("segment %d: checkpoint table %s: read checkpoint: %w", segment, b.cfg.CheckpointTable, err)
	}
	if out.Item == nil {
		return cp, nil
	}
	if m, ok := out.Item[attrLastKey].(*types.AttributeValueMemberM); ok {
		cp.lastKey = m.Value
	}
	if d, ok := out.Item[attrDone].(*types.AttributeValueMemberBOOL); ok {
		cp.progress.Done = d.Value
	}
	counts := map[string]*int64{
		attrPages: &cp.progress.Pages, attrScanned: &cp.progress.Scanned, attrWritten: &cp.progress.Written,
		attrSkipped: &cp.progress.Skipped, attrWithdrawn: &cp.progress.Withdrawn,
	}
	for name, field := range counts {
		n, ok := out.Item[name].(*types.AttributeValueMemberN)
		if !ok {
			continue
		}
		v, err := strconv.ParseInt(n.Value, 10, 64)
		if err != nil {
			return cp, fmt.Errorf("segment %d: checkpoint %s: %s is %q, not a count", segment, b.cfg.segmentID(segment), name, n.Value)
		}
		*field = v
	}
	return cp, nil
}

// saveCheckpoint stores cp, provided the stored checkpoint still has prevPages pages: when
// two invocations scan the same segment, the slower one stops instead of moving the
// checkpoint back.
func (b *Backfill) saveCheckpoint(ctx context.Context, cp checkpoint, prevPages int64) error {
	count := func(n int64) types.AttributeValue {
		return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
	}
	item := Item{
		CheckpointKey: &types.AttributeValueMemberS{Value: b.cfg.segmentID(cp.segment)},
		attrDone:      &types.AttributeValueMemberBOOL{Value: cp.progress.Done},
		attrPages:     count(cp.progress.Pages),
		attrScanned:   count(cp.progress.Scanned),
		attrWritten:   count(cp.progress.Written),
		attrSkipped:   count(cp.progress.Skipped),
		attrWithdrawn: count(cp.progress.Withdrawn),
		attrUpdatedAt: &types.AttributeValueMemberS{Value: b.now().UTC().Format(time.RFC3339)},
	}
	if len(cp.lastKey) > 0 {
		item[attrLastKey] = &types.AttributeValueMemberM{Value: cp.lastKey}
	}
	in := &dynamodb.PutItemInput{
		TableName:                aws.String(b.cfg.CheckpointTable),
		Item:                     item,
		ConditionExpression:      aws.String("attribute_not_exists(#k)"),
		ExpressionAttributeNames: map[string]string{"#k": CheckpointKey},
	}
	if prevPages > 0 {
		in.ConditionExpression = aws.String("#p = :p")
		in.ExpressionAttributeNames = map[string]string{"#p": attrPages}
		in.ExpressionAttributeValues = Item{":p": count(prevPages)}
	}
	_, err := b.db.PutItem(ctx, in)
	if conditionFailed(err) {
		return fmt.Errorf("checkpoint %s moved since page %d: another invocation is scanning this segment", b.cfg.segmentID(cp.segment), prevPages)
	}
	if err != nil {
		return fmt.Errorf("checkpoint table %s: save checkpoint: %w", b.cfg.CheckpointTable, err)
	}
	return nil
}
