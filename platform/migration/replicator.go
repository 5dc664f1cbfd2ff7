package migration

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/streamimage"
)

// Replicator applies the old generation's stream to the new generation.
type Replicator struct {
	db        DB
	cfg       Config
	transform Transform
	now       func() time.Time
}

// NewReplicator returns a replicator writing through db, with the transform cfg names.
func NewReplicator(db DB, cfg Config, ts Transforms) (*Replicator, error) {
	t, err := ts.Lookup(cfg.Transform)
	if err != nil {
		return nil, err
	}
	return &Replicator{db: db, cfg: cfg, transform: t, now: time.Now}, nil
}

// Handle applies a batch of stream records in order. At the first record that fails it
// stops and reports that record as the batch's failure: Lambda then retries from it, in
// order, and the records before it are not applied twice. A record that is older than what
// the new generation holds is skipped, which is success.
func (r *Replicator) Handle(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	// Not nil, so that the response encodes as [] rather than null.
	resp := events.DynamoDBEventResponse{BatchItemFailures: []events.DynamoDBBatchItemFailure{}}
	log := lambdakit.Logger(ctx)
	applied, stale := 0, 0
	for _, rec := range ev.Records {
		seq := rec.Change.SequenceNumber
		err := ctx.Err()
		var wrote bool
		if err == nil {
			wrote, err = r.Apply(ctx, rec)
		}
		if err != nil {
			log.Error("stream record failed", "sequence_number", seq, "event", rec.EventName, lambdakit.LogKeyError, err)
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: seq})
			break
		}
		if wrote {
			applied++
		} else {
			stale++
		}
	}
	log.Info("stream batch replicated", "records", len(ev.Records), "applied", applied, "stale", stale, "failed", len(resp.BatchItemFailures))
	return resp, nil
}

// Apply applies one stream record to the new generation and reports whether it changed
// anything: false when the new generation already holds something newer.
func (r *Replicator) Apply(ctx context.Context, rec events.DynamoDBEventRecord) (bool, error) {
	version, err := streamVersion(rec.Change.SequenceNumber)
	if err != nil {
		return false, fmt.Errorf("record %s: %w", rec.EventID, err)
	}
	at := fmt.Sprintf("record %s (%s, sequence number %s)", rec.EventID, rec.EventName, rec.Change.SequenceNumber)
	oldKey, oldOK, err := r.image(rec.Change.OldImage)
	if err != nil {
		return false, fmt.Errorf("%s: old image: %w", at, err)
	}
	switch rec.EventName {
	case "INSERT", "MODIFY":
		item, newKey, ok, err := r.transformed(rec.Change.NewImage)
		if err != nil {
			return false, fmt.Errorf("%s: new image: %w", at, err)
		}
		if !ok {
			return false, fmt.Errorf("%s: no new image: the stream must have NEW_AND_OLD_IMAGES", at)
		}
		wrote := false
		if oldOK && oldKey.id != newKey.id {
			// The transform moved the item to another key: what was at the old one goes.
			if wrote, err = r.remove(ctx, oldKey, version); err != nil {
				return false, fmt.Errorf("%s: %w", at, err)
			}
		}
		put, err := r.put(ctx, item, newKey, version)
		if err != nil {
			return false, fmt.Errorf("%s: %w", at, err)
		}
		return wrote || put, nil
	case "REMOVE":
		if !oldOK {
			return false, fmt.Errorf("%s: no old image: the stream must have NEW_AND_OLD_IMAGES", at)
		}
		wrote, err := r.remove(ctx, oldKey, version)
		if err != nil {
			return false, fmt.Errorf("%s: %w", at, err)
		}
		return wrote, nil
	}
	return false, fmt.Errorf("%s: unknown event name", at)
}

// image transforms a stream image and returns its key in the new generation; ok is false
// when the record has no such image.
func (r *Replicator) image(image map[string]events.DynamoDBAttributeValue) (key, bool, error) {
	_, k, ok, err := r.transformed(image)
	return k, ok, err
}

func (r *Replicator) transformed(image map[string]events.DynamoDBAttributeValue) (Item, key, bool, error) {
	if len(image) == 0 {
		return nil, key{}, false, nil
	}
	old, err := streamimage.Item(image)
	if err != nil {
		return nil, key{}, false, err
	}
	item, k, err := transformItem(r.transform, old, r.cfg.TargetKey)
	return item, k, err == nil, err
}

// transformItem applies t to old and extracts the new key, which the transform must give.
func transformItem(t Transform, old Item, keyNames []string) (Item, key, error) {
	item, err := t(old)
	if err != nil {
		return nil, key{}, fmt.Errorf("transform: %w", err)
	}
	if item == nil {
		return nil, key{}, errors.New("transform: returned no item")
	}
	k, err := keyOf(item, keyNames)
	if err != nil {
		return nil, key{}, fmt.Errorf("transform: %w", err)
	}
	return item, k, nil
}

// put writes item at version unless the new generation holds a newer version of it, or a
// delete of its key at or after version is recorded.
func (r *Replicator) put(ctx context.Context, item Item, k key, version string) (bool, error) {
	deleted, err := r.cfg.tombstone(ctx, r.db, k)
	if err != nil {
		return false, err
	}
	if deleted >= version {
		return false, nil
	}
	item = maps.Clone(item)
	item[VersionAttribute] = &types.AttributeValueMemberS{Value: version}
	_, err = r.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 aws.String(r.cfg.TargetTable),
		Item:                      item,
		ConditionExpression:       aws.String("attribute_not_exists(#v) OR #v < :v"),
		ExpressionAttributeNames:  map[string]string{"#v": VersionAttribute},
		ExpressionAttributeValues: Item{":v": &types.AttributeValueMemberS{Value: version}},
	})
	if conditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("table %s: put %s: %w", r.cfg.TargetTable, k.id, err)
	}
	return true, nil
}

// remove records a tombstone of k at version, then deletes k unless the new generation holds
// a newer version of it. The tombstone comes first: a backfill write that lands between the
// two then finds it, or is deleted by the delete.
func (r *Replicator) remove(ctx context.Context, k key, version string) (bool, error) {
	current, err := r.cfg.writeTombstone(ctx, r.db, k, version, r.now())
	if err != nil || !current {
		return false, err
	}
	_, err = r.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                 aws.String(r.cfg.TargetTable),
		Key:                       k.attrs,
		ConditionExpression:       aws.String("attribute_not_exists(#v) OR #v < :v"),
		ExpressionAttributeNames:  map[string]string{"#v": VersionAttribute},
		ExpressionAttributeValues: Item{":v": &types.AttributeValueMemberS{Value: version}},
	})
	if conditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("table %s: delete %s: %w", r.cfg.TargetTable, k.id, err)
	}
	return true, nil
}
