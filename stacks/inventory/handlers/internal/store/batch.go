package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// MaxBatchSize is the most write requests that one BatchWriteItem call may hold.
const MaxBatchSize = 25

// Bounds of the retry of unprocessed items. DynamoDB returns unprocessed items when the
// table is throttled, so retrying at once would be throttled again; five attempts over
// about two seconds ride out a burst without holding the function for long, and the
// caller's own retry (SQS or the schedule) covers a longer outage.
const (
	batchAttempts  = 5
	batchBaseDelay = 100 * time.Millisecond
	batchMaxDelay  = time.Second
)

// ErrUnprocessed is wrapped by Batch.Write when DynamoDB still returns unprocessed items
// after every attempt.
var ErrUnprocessed = errors.New("unprocessed items remain")

// BatchWriter is the part of the DynamoDB client that Batch uses.
type BatchWriter interface {
	BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
}

// Batch writes requests to one table with BatchWriteItem.
type Batch struct {
	DB    BatchWriter
	Table string
	// Sleep waits for d or until ctx is done, whichever comes first; nil means a timer.
	// Tests replace it so that they do not wait.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Write sends reqs in batches of MaxBatchSize and sends the unprocessed items of each
// batch again, with exponential backoff and jitter, up to five attempts. Every request
// is a put or a delete, which DynamoDB applies idempotently, so a retry of the whole
// Write after a partial failure is safe.
func (b Batch) Write(ctx context.Context, reqs []types.WriteRequest) error {
	for start := 0; start < len(reqs); start += MaxBatchSize {
		end := min(start+MaxBatchSize, len(reqs))
		if err := b.write(ctx, reqs[start:end]); err != nil {
			return fmt.Errorf("batch write to %s: %w", b.Table, err)
		}
	}
	return nil
}

func (b Batch) write(ctx context.Context, reqs []types.WriteRequest) error {
	pending := reqs
	for attempt := 1; ; attempt++ {
		out, err := b.DB.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{
			RequestItems: map[string][]types.WriteRequest{b.Table: pending},
		})
		if err != nil {
			return err
		}
		pending = out.UnprocessedItems[b.Table]
		if len(pending) == 0 {
			return nil
		}
		if attempt == batchAttempts {
			return fmt.Errorf("%w: %d after %d attempts", ErrUnprocessed, len(pending), attempt)
		}
		if err := b.sleep(ctx, backoff(attempt)); err != nil {
			return fmt.Errorf("%d unprocessed items: %w", len(pending), err)
		}
	}
}

func (b Batch) sleep(ctx context.Context, d time.Duration) error {
	if b.Sleep != nil {
		return b.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// backoff returns the wait before attempt+1: between half and all of a bound that doubles
// with each attempt, random so that throttled writers do not retry in step.
func backoff(attempt int) time.Duration {
	bound := min(batchBaseDelay<<(attempt-1), batchMaxDelay)
	return bound/2 + rand.N(bound/2+1)
}

// PutRequest returns the write request that puts item, encoded with its dynamodbav tags.
func PutRequest(item any) (types.WriteRequest, error) {
	av, err := attributevalue.MarshalMap(item)
	if err != nil {
		return types.WriteRequest{}, fmt.Errorf("encode item: %w", err)
	}
	return types.WriteRequest{PutRequest: &types.PutRequest{Item: av}}, nil
}

// DeleteRequest returns the write request that deletes the item with key.
func DeleteRequest(key map[string]types.AttributeValue) types.WriteRequest {
	return types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: key}}
}
