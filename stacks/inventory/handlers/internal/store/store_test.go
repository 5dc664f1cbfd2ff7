package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

type pagedQuery struct {
	pages [][]map[string]types.AttributeValue
	err   error
	calls []*dynamodb.QueryInput
}

func (q *pagedQuery) Query(_ context.Context, in *dynamodb.QueryInput, _ ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	q.calls = append(q.calls, in)
	if q.err != nil {
		return nil, q.err
	}
	i := len(q.calls) - 1
	out := &dynamodb.QueryOutput{Items: q.pages[i]}
	if i < len(q.pages)-1 {
		out.LastEvaluatedKey = ResourceKey("t-1", "aws-111122223333", "page")
	}
	return out, nil
}

func item(t *testing.T, r Resource) map[string]types.AttributeValue {
	t.Helper()
	av, err := attributevalue.MarshalMap(r)
	if err != nil {
		t.Fatal(err)
	}
	return av
}

func TestResourcesReadsEveryPage(t *testing.T) {
	r1 := Resource{AccountKey: "t-1#aws-111122223333", TenantID: "t-1", AccountID: "aws-111122223333", ResourceArn: "arn:1", ResourceType: "s3:bucket", Tags: map[string]string{"k": "v"}, DiscoveredAt: "2026-01-01T00:00:00Z"}
	r2 := Resource{AccountKey: "t-1#aws-111122223333", TenantID: "t-1", AccountID: "aws-111122223333", ResourceArn: "arn:2", ResourceType: "sqs:queue", Tags: map[string]string{}, DiscoveredAt: "2026-01-01T00:00:00Z"}
	q := &pagedQuery{pages: [][]map[string]types.AttributeValue{{item(t, r1)}, {item(t, r2)}}}
	got, err := Resources(context.Background(), q, "resources", "t-1", "aws-111122223333")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ResourceArn != "arn:1" || got[1].ResourceArn != "arn:2" || got[0].Tags["k"] != "v" {
		t.Fatalf("Resources = %+v", got)
	}
	if len(q.calls) != 2 || q.calls[1].ExclusiveStartKey == nil {
		t.Fatalf("second query did not start after the first page: %+v", q.calls)
	}
	in := q.calls[0]
	if *in.TableName != "resources" || *in.KeyConditionExpression != "accountKey = :k" || !*in.ConsistentRead ||
		in.ExpressionAttributeValues[":k"].(*types.AttributeValueMemberS).Value != "t-1#aws-111122223333" {
		t.Fatalf("query input = %+v, want a consistent query of the tenant's partition", in)
	}
}

func TestResourcesFails(t *testing.T) {
	boom := errors.New("boom")
	_, err := Resources(context.Background(), &pagedQuery{err: boom}, "resources", "t-1", "aws-111122223333")
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want it to wrap boom", err)
	}
}

// batchTable records the batches and leaves the first `unprocessed` requests of each call
// unprocessed, for `times` calls.
type batchTable struct {
	batches     [][]types.WriteRequest
	unprocessed int
	times       int
	err         error
}

func (b *batchTable) BatchWriteItem(_ context.Context, in *dynamodb.BatchWriteItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	if b.err != nil {
		return nil, b.err
	}
	reqs := in.RequestItems["resources"]
	b.batches = append(b.batches, reqs)
	out := &dynamodb.BatchWriteItemOutput{}
	if b.times > 0 {
		b.times--
		out.UnprocessedItems = map[string][]types.WriteRequest{"resources": reqs[:min(b.unprocessed, len(reqs))]}
	}
	return out, nil
}

func deletes(n int) []types.WriteRequest {
	reqs := make([]types.WriteRequest, n)
	for i := range reqs {
		reqs[i] = DeleteRequest(ResourceKey("t-1", "aws-111122223333", string(rune('a'+i%26))))
	}
	return reqs
}

func noSleep(waits *[]time.Duration) func(context.Context, time.Duration) error {
	return func(ctx context.Context, d time.Duration) error {
		*waits = append(*waits, d)
		return ctx.Err()
	}
}

func TestBatchWriteSplitsAndRetries(t *testing.T) {
	db := &batchTable{unprocessed: 2, times: 2}
	var waits []time.Duration
	b := Batch{DB: db, Table: "resources", Sleep: noSleep(&waits)}
	if err := b.Write(context.Background(), deletes(30)); err != nil {
		t.Fatal(err)
	}
	// 25, then the 2 unprocessed twice, then the last 5.
	var sizes []int
	for _, batch := range db.batches {
		sizes = append(sizes, len(batch))
	}
	if want := []int{25, 2, 2, 5}; !slices.Equal(sizes, want) {
		t.Fatalf("batch sizes = %v, want %v", sizes, want)
	}
	if len(waits) != 2 || waits[0] < 50*time.Millisecond || waits[0] > 100*time.Millisecond || waits[1] < 100*time.Millisecond || waits[1] > 200*time.Millisecond {
		t.Fatalf("waits = %v, want about 100ms then 200ms", waits)
	}
}

func TestBatchWriteGivesUp(t *testing.T) {
	db := &batchTable{unprocessed: 1, times: 100}
	var waits []time.Duration
	err := Batch{DB: db, Table: "resources", Sleep: noSleep(&waits)}.Write(context.Background(), deletes(3))
	if !errors.Is(err, ErrUnprocessed) {
		t.Fatalf("err = %v, want ErrUnprocessed", err)
	}
	if len(db.batches) != batchAttempts || len(waits) != batchAttempts-1 {
		t.Fatalf("%d calls and %d waits, want %d and %d", len(db.batches), len(waits), batchAttempts, batchAttempts-1)
	}
	for _, w := range waits {
		if w > batchMaxDelay {
			t.Fatalf("wait %v above the bound %v", w, batchMaxDelay)
		}
	}
}

func TestBatchWriteStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Batch{DB: &batchTable{unprocessed: 1, times: 100}, Table: "resources"}.Write(ctx, deletes(1))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestBatchWriteFails(t *testing.T) {
	boom := errors.New("boom")
	err := Batch{DB: &batchTable{err: boom}, Table: "resources"}.Write(context.Background(), deletes(1))
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want it to wrap boom", err)
	}
	if err := (Batch{DB: &batchTable{err: boom}, Table: "resources"}).Write(context.Background(), nil); err != nil {
		t.Fatalf("Write(nil) = %v, want no call and no error", err)
	}
}

func TestPutRequest(t *testing.T) {
	req, err := PutRequest(Account{AccountID: "aws-111122223333", TenantID: "t-1", Generation: 5})
	if err != nil {
		t.Fatal(err)
	}
	item := req.PutRequest.Item
	if _, ok := item["name"]; ok {
		t.Fatal("empty name stored; want it omitted")
	}
	if n, ok := item[AttrGeneration].(*types.AttributeValueMemberN); !ok || n.Value != "5" {
		t.Fatalf("generation = %#v, want the number 5", item[AttrGeneration])
	}
	if (Account{DisconnectedAt: "x"}).Disconnected() != true || (Account{}).Disconnected() {
		t.Fatal("Disconnected is wrong")
	}
}
