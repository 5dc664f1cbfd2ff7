package migration

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// DB is what the replicator and the backfill call on DynamoDB; *dynamodb.Client implements
// it.
type DB interface {
	Scan(ctx context.Context, in *dynamodb.ScanInput, optFns ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error)
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
}

// The checkpoint table's attributes.
const (
	// CheckpointKey is the checkpoint table's hash key, a string.
	CheckpointKey = "pk"
	// ExpiresAttribute holds when a tombstone may go, in epoch seconds, for the table's time
	// to live.
	ExpiresAttribute = "expiresAt"
)

// TombstoneTTL is how long a tombstone is kept: a stream keeps records 24 hours, so no
// record older than a day-old delete can still arrive.
const TombstoneTTL = 7 * 24 * time.Hour

// tombstoneID is the checkpoint item of the tombstone of k.
func (c Config) tombstoneID(k key) string {
	return c.CheckpointPrefix + "#tombstone#" + k.id
}

// segmentID is the checkpoint item of one backfill segment; the total is part of it because
// segments of another total are other slices of the table.
func (c Config) segmentID(segment int) string {
	return fmt.Sprintf("%s#backfill#%d#%d", c.CheckpointPrefix, c.Segments, segment)
}

// conditionFailed reports whether err is DynamoDB refusing a write on its condition, which
// the migration's writes expect when something newer is already there.
func conditionFailed(err error) bool {
	_, ok := errors.AsType[*types.ConditionalCheckFailedException](err)
	return ok
}

// writeTombstone records that k was deleted at version, unless a later delete is recorded.
// It reports whether it wrote: false means this delete is stale.
func (c Config) writeTombstone(ctx context.Context, db DB, k key, version string, now time.Time) (bool, error) {
	_, err := db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(c.CheckpointTable),
		Item: Item{
			CheckpointKey:    &types.AttributeValueMemberS{Value: c.tombstoneID(k)},
			VersionAttribute: &types.AttributeValueMemberS{Value: version},
			ExpiresAttribute: &types.AttributeValueMemberN{Value: strconv.FormatInt(now.Add(TombstoneTTL).Unix(), 10)},
		},
		// Equal passes: a replay of this delete must still reach the table, in case the
		// first attempt stopped between the tombstone and the delete.
		ConditionExpression:       aws.String("attribute_not_exists(#v) OR #v <= :v"),
		ExpressionAttributeNames:  map[string]string{"#v": VersionAttribute},
		ExpressionAttributeValues: Item{":v": &types.AttributeValueMemberS{Value: version}},
	})
	if conditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("checkpoint table %s: write tombstone of %s: %w", c.CheckpointTable, k.id, err)
	}
	return true, nil
}

// tombstone returns the version at which k was last deleted, or "".
func (c Config) tombstone(ctx context.Context, db DB, k key) (string, error) {
	out, err := db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(c.CheckpointTable),
		Key:            Item{CheckpointKey: &types.AttributeValueMemberS{Value: c.tombstoneID(k)}},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return "", fmt.Errorf("checkpoint table %s: read tombstone of %s: %w", c.CheckpointTable, k.id, err)
	}
	v, _ := out.Item[VersionAttribute].(*types.AttributeValueMemberS)
	if v == nil {
		return "", nil
	}
	return v.Value, nil
}

// maxBatchGet is the most keys one BatchGetItem may ask for.
const maxBatchGet = 100

// tombstoned returns the ids of the keys among keys that have a tombstone.
func (c Config) tombstoned(ctx context.Context, db DB, keys []key) (map[string]bool, error) {
	byID := map[string]string{} // checkpoint item id -> key id
	var requests []Item
	for _, k := range keys {
		id := c.tombstoneID(k)
		if _, dup := byID[id]; !dup {
			byID[id] = k.id
			requests = append(requests, Item{CheckpointKey: &types.AttributeValueMemberS{Value: id}})
		}
	}
	found := map[string]bool{}
	for len(requests) > 0 {
		n := min(len(requests), maxBatchGet)
		pending := requests[:n]
		requests = requests[n:]
		for attempt := 0; len(pending) > 0; attempt++ {
			if attempt == maxBatchAttempts {
				return nil, fmt.Errorf("checkpoint table %s: read tombstones: %d keys still unprocessed after %d attempts", c.CheckpointTable, len(pending), attempt)
			}
			out, err := db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
				c.CheckpointTable: {Keys: pending, ConsistentRead: aws.Bool(true)},
			}})
			if err != nil {
				return nil, fmt.Errorf("checkpoint table %s: read tombstones: %w", c.CheckpointTable, err)
			}
			for _, item := range out.Responses[c.CheckpointTable] {
				if id, ok := item[CheckpointKey].(*types.AttributeValueMemberS); ok {
					found[byID[id.Value]] = true
				}
			}
			pending = out.UnprocessedKeys[c.CheckpointTable].Keys
		}
	}
	return found, nil
}

// maxBatchAttempts bounds the retries of unprocessed keys; the SDK already backs off each
// call, so keys still unprocessed after that many calls mean the table is overwhelmed.
const maxBatchAttempts = 8
