package fake

import (
	"fmt"
	"maps"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// change is one change of an item of the accounts table, as its stream records it.
type change struct {
	old, new item
}

// record appends the change from old to next (either nil for an insert or a removal) to
// the accounts table's stream. The caller holds t.mu.
func (t *Table) record(old, next item) {
	if old == nil && next == nil {
		return
	}
	t.changes = append(t.changes, change{old: maps.Clone(old), new: maps.Clone(next)})
}

// Records returns the accounts table's stream since the table was made, as Lambda delivers
// it with the view NEW_AND_OLD_IMAGES: an INSERT, MODIFY or REMOVE record per change, with
// the event id "ev-<n>", the sequence number "<n>00" and the approximate creation time at.
// Seeded items have no record.
func (t *Table) Records(tb interface{ Fatalf(string, ...any) }, at time.Time) []events.DynamoDBEventRecord {
	t.mu.Lock()
	defer t.mu.Unlock()
	records := make([]events.DynamoDBEventRecord, 0, len(t.changes))
	for i, c := range t.changes {
		rec := events.DynamoDBEventRecord{
			EventID:     fmt.Sprintf("ev-%d", i+1),
			EventSource: "aws:dynamodb",
			Change: events.DynamoDBStreamRecord{
				SequenceNumber:              fmt.Sprintf("%d00", i+1),
				ApproximateCreationDateTime: events.SecondsEpochTime{Time: at},
				StreamViewType:              "NEW_AND_OLD_IMAGES",
			},
		}
		var err error
		switch {
		case c.old == nil:
			rec.EventName = "INSERT"
			rec.Change.NewImage, err = Image(c.new)
		case c.new == nil:
			rec.EventName = "REMOVE"
			rec.Change.OldImage, err = Image(c.old)
		default:
			rec.EventName = "MODIFY"
			rec.Change.NewImage, err = Image(c.new)
			if err == nil {
				rec.Change.OldImage, err = Image(c.old)
			}
		}
		if err != nil {
			tb.Fatalf("record %d: %v", i+1, err)
		}
		image := rec.Change.NewImage
		if image == nil {
			image = rec.Change.OldImage
		}
		rec.Change.Keys = map[string]events.DynamoDBAttributeValue{"tenantId": image["tenantId"], "accountId": image["accountId"]}
		records = append(records, rec)
	}
	return records
}

// Image returns it as a stream record's image.
func Image(it map[string]types.AttributeValue) (map[string]events.DynamoDBAttributeValue, error) {
	out := make(map[string]events.DynamoDBAttributeValue, len(it))
	for name, v := range it {
		av, err := streamValue(v)
		if err != nil {
			return nil, fmt.Errorf("attribute %q: %w", name, err)
		}
		out[name] = av
	}
	return out, nil
}

func streamValue(v types.AttributeValue) (events.DynamoDBAttributeValue, error) {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return events.NewStringAttribute(v.Value), nil
	case *types.AttributeValueMemberN:
		return events.NewNumberAttribute(v.Value), nil
	case *types.AttributeValueMemberBOOL:
		return events.NewBooleanAttribute(v.Value), nil
	case *types.AttributeValueMemberNULL:
		return events.NewNullAttribute(), nil
	case *types.AttributeValueMemberM:
		m, err := Image(v.Value)
		return events.NewMapAttribute(m), err
	}
	return events.DynamoDBAttributeValue{}, fmt.Errorf("fake: stream value of type %T is not supported", v)
}
