package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/stacks/accounts/contract"
	"github.com/stratum-platform/stratum/stacks/inventory/handlers/internal/store"
)

// fakeDB is an in-memory pair of tables. PutItem applies the handler's two conditions the
// way DynamoDB evaluates them, so that tests can replay events twice and out of order.
type fakeDB struct {
	accounts  map[string]store.Account
	resources map[string]map[string]store.Resource // by account id, then ARN
	puts      int
	putErr    error
	queryErr  error
	batchErr  error // returned once, then cleared
}

func newFakeDB() *fakeDB {
	return &fakeDB{accounts: map[string]store.Account{}, resources: map[string]map[string]store.Resource{}}
}

func (f *fakeDB) PutItem(_ context.Context, in *dynamodb.PutItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	f.puts++
	if f.putErr != nil {
		return nil, f.putErr
	}
	if *in.TableName != "accounts" {
		return nil, fmt.Errorf("fake: put to %s", *in.TableName)
	}
	var a store.Account
	if err := attributevalue.UnmarshalMap(in.Item, &a); err != nil {
		return nil, err
	}
	t, err := strconv.ParseInt(in.ExpressionAttributeValues[":t"].(*types.AttributeValueMemberN).Value, 10, 64)
	if err != nil {
		return nil, err
	}
	old, exists := f.accounts[a.AccountID]
	var ok bool
	switch *in.ConditionExpression {
	case connectCondition:
		ok = !exists || old.LastEventAt < t
	case disconnectCondition:
		ok = !exists || old.LastEventAt < t || (old.LastEventAt == t && old.Disconnected())
	default:
		return nil, fmt.Errorf("fake: unknown condition %q", *in.ConditionExpression)
	}
	if !ok {
		return nil, &types.ConditionalCheckFailedException{Message: new("The conditional request failed")}
	}
	f.accounts[a.AccountID] = a
	return &dynamodb.PutItemOutput{}, nil
}

func (f *fakeDB) Query(_ context.Context, in *dynamodb.QueryInput, _ ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	if f.queryErr != nil {
		return nil, f.queryErr
	}
	id := in.ExpressionAttributeValues[":a"].(*types.AttributeValueMemberS).Value
	out := &dynamodb.QueryOutput{}
	for _, arn := range slices.Sorted(maps.Keys(f.resources[id])) {
		item, err := attributevalue.MarshalMap(f.resources[id][arn])
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, item)
	}
	return out, nil
}

func (f *fakeDB) BatchWriteItem(_ context.Context, in *dynamodb.BatchWriteItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	if err := f.batchErr; err != nil {
		f.batchErr = nil
		return nil, err
	}
	for _, req := range in.RequestItems["resources"] {
		key := req.DeleteRequest.Key
		id := key[store.AttrAccountID].(*types.AttributeValueMemberS).Value
		delete(f.resources[id], key[store.AttrResourceArn].(*types.AttributeValueMemberS).Value)
	}
	return &dynamodb.BatchWriteItemOutput{}, nil
}

func (f *fakeDB) addResources(accountID string, arns ...string) {
	if f.resources[accountID] == nil {
		f.resources[accountID] = map[string]store.Resource{}
	}
	for _, arn := range arns {
		f.resources[accountID][arn] = store.Resource{AccountID: accountID, ResourceArn: arn, ResourceType: "s3:bucket", Tags: map[string]string{}}
	}
}

func newHandler(db *fakeDB) *handler {
	return &handler{
		db:             db,
		accountsTable:  "accounts",
		resourcesTable: "resources",
		sleep:          func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
	}
}

var t0 = time.Date(2026, 3, 4, 5, 6, 7, 89e6, time.UTC)

// message returns the SQS message of an event of typ published at at.
func message(t *testing.T, id, typ string, version int, at time.Time, data any) events.SQSMessage {
	t.Helper()
	raw, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal(map[string]any{
		"id": id, "type": typ, "version": version, "source": contract.Source,
		"time": at, "correlationId": "c-" + id, "data": json.RawMessage(raw),
	})
	if err != nil {
		t.Fatal(err)
	}
	return events.SQSMessage{MessageId: "m-" + id, Body: string(body)}
}

func connected(t *testing.T, id string, at time.Time) events.SQSMessage {
	return message(t, id, contract.AccountConnectedType, 1, at, contract.AccountConnected{
		Version: 1, AccountID: "aws-111122223333", TenantID: "t-1", Name: "Prod",
		Provider: "aws", ExternalAccountID: "111122223333", ConnectedAt: at,
	})
}

func disconnected(t *testing.T, id string, at time.Time) events.SQSMessage {
	return message(t, id, contract.AccountDisconnectedType, 1, at, contract.AccountDisconnected{
		Version: 1, AccountID: "aws-111122223333", TenantID: "t-1", DisconnectedAt: at,
	})
}

// handle runs the handler on msgs and returns the ids of the messages that failed.
func handle(t *testing.T, h *handler, msgs ...events.SQSMessage) []string {
	t.Helper()
	// In Lambda the context carries the function's logger (lambdakit.Main); here it discards.
	ctx := lambdakit.WithLogger(context.Background(), slog.New(slog.DiscardHandler))
	resp, err := h.Handle(ctx, events.SQSEvent{Records: msgs})
	if err != nil {
		t.Fatal(err)
	}
	failed := []string{}
	for _, f := range resp.BatchItemFailures {
		failed = append(failed, f.ItemIdentifier)
	}
	return failed
}

func TestConnectStoresAccount(t *testing.T) {
	db := newFakeDB()
	if failed := handle(t, newHandler(db), connected(t, "e1", t0)); len(failed) != 0 {
		t.Fatalf("failed = %v", failed)
	}
	want := store.Account{AccountID: "aws-111122223333", TenantID: "t-1", Name: "Prod", ConnectedAt: "2026-03-04T05:06:07Z", LastEventAt: t0.UnixMilli()}
	if got := db.accounts["aws-111122223333"]; got != want {
		t.Fatalf("account = %+v, want %+v", got, want)
	}
}

func TestConnectTwiceIsIdempotent(t *testing.T) {
	db := newFakeDB()
	h := newHandler(db)
	msg := connected(t, "e1", t0)
	if failed := handle(t, h, msg, msg); len(failed) != 0 {
		t.Fatalf("failed = %v, want the duplicate accepted as done", failed)
	}
	if db.puts != 2 || len(db.accounts) != 1 {
		t.Fatalf("%d puts, %d accounts; want the second put refused by its condition", db.puts, len(db.accounts))
	}
}

func TestDisconnectDeletesResourcesAndLeavesTombstone(t *testing.T) {
	db := newFakeDB()
	db.addResources("aws-111122223333", "arn:aws:s3:::a", "arn:aws:s3:::b")
	db.addResources("aws-999988887777", "arn:aws:s3:::other")
	h := newHandler(db)
	handle(t, h, connected(t, "e1", t0))
	if failed := handle(t, h, disconnected(t, "e2", t0.Add(time.Minute))); len(failed) != 0 {
		t.Fatalf("failed = %v", failed)
	}
	if n := len(db.resources["aws-111122223333"]); n != 0 {
		t.Fatalf("%d resources left, want 0", n)
	}
	if n := len(db.resources["aws-999988887777"]); n != 1 {
		t.Fatalf("another account's resources were deleted")
	}
	a := db.accounts["aws-111122223333"]
	if !a.Disconnected() || a.Name != "" || a.ExpiresAt != t0.Add(time.Minute+tombstoneTTL).Unix() {
		t.Fatalf("tombstone = %+v", a)
	}
}

func TestDisconnectRetryFinishesDeletion(t *testing.T) {
	db := newFakeDB()
	db.addResources("aws-111122223333", "arn:aws:s3:::a")
	db.batchErr = errors.New("throttled")
	h := newHandler(db)
	msg := disconnected(t, "e2", t0)
	if failed := handle(t, h, msg); !slices.Equal(failed, []string{"m-e2"}) {
		t.Fatalf("failed = %v, want the message retried", failed)
	}
	// The tombstone is written; the redelivery must still delete the resources.
	if failed := handle(t, h, msg); len(failed) != 0 {
		t.Fatalf("failed = %v", failed)
	}
	if n := len(db.resources["aws-111122223333"]); n != 0 {
		t.Fatalf("%d resources left after the redelivery, want 0", n)
	}
}

func TestEventsOutOfOrder(t *testing.T) {
	db := newFakeDB()
	h := newHandler(db)
	// The disconnection is applied before the connection that preceded it.
	handle(t, h, disconnected(t, "e2", t0.Add(time.Minute)), connected(t, "e1", t0))
	if a := db.accounts["aws-111122223333"]; !a.Disconnected() {
		t.Fatalf("late AccountConnected brought the account back: %+v", a)
	}
	// A later connection (the account registered again) wins.
	handle(t, h, connected(t, "e3", t0.Add(2*time.Minute)))
	if a := db.accounts["aws-111122223333"]; a.Disconnected() || a.Name != "Prod" {
		t.Fatalf("account = %+v, want connected again", a)
	}
	// An old disconnection delivered late changes nothing, and keeps the resources.
	db.addResources("aws-111122223333", "arn:aws:s3:::a")
	if failed := handle(t, h, disconnected(t, "e2", t0.Add(time.Minute))); len(failed) != 0 {
		t.Fatalf("failed = %v", failed)
	}
	if a := db.accounts["aws-111122223333"]; a.Disconnected() || len(db.resources["aws-111122223333"]) != 1 {
		t.Fatalf("a late AccountDisconnected was applied: %+v", a)
	}
}

func TestDisconnectUnknownAccount(t *testing.T) {
	db := newFakeDB()
	if failed := handle(t, newHandler(db), disconnected(t, "e2", t0)); len(failed) != 0 {
		t.Fatalf("failed = %v", failed)
	}
	if a, ok := db.accounts["aws-111122223333"]; !ok || !a.Disconnected() {
		t.Fatalf("want a tombstone so that a late AccountConnected is refused, got %+v", a)
	}
}

func TestDropsWhatItDoesNotHandle(t *testing.T) {
	db := newFakeDB()
	failed := handle(t, newHandler(db),
		message(t, "e1", "AccountRenamed", 1, t0, map[string]string{"accountId": "a"}),
		message(t, "e2", contract.AccountConnectedType, 2, t0, map[string]string{"accountId": "a"}),
	)
	if len(failed) != 0 || db.puts != 0 {
		t.Fatalf("failed = %v, %d puts; want both dropped without a write", failed, db.puts)
	}
}

func TestFailsOnBadInput(t *testing.T) {
	db := newFakeDB()
	noAccount := message(t, "e2", contract.AccountConnectedType, 1, t0, contract.AccountConnected{TenantID: "t-1"})
	noTenant := message(t, "e3", contract.AccountConnectedType, 1, t0, contract.AccountConnected{AccountID: "a"})
	badData := message(t, "e4", contract.AccountDisconnectedType, 1, t0, map[string]int{"accountId": 5})
	failed := handle(t, newHandler(db), events.SQSMessage{MessageId: "m-e1", Body: "not json"}, noAccount, noTenant, badData)
	if want := []string{"m-e1", "m-e2", "m-e3", "m-e4"}; !slices.Equal(failed, want) {
		t.Fatalf("failed = %v, want %v", failed, want)
	}
	if db.puts != 0 {
		t.Fatalf("%d puts, want none", db.puts)
	}
}

func TestFailsWhenTheTableFails(t *testing.T) {
	db := newFakeDB()
	db.putErr = errors.New("throttled")
	if failed := handle(t, newHandler(db), connected(t, "e1", t0)); !slices.Equal(failed, []string{"m-e1"}) {
		t.Fatalf("failed = %v", failed)
	}
	db = newFakeDB()
	db.queryErr = errors.New("throttled")
	if failed := handle(t, newHandler(db), disconnected(t, "e2", t0)); !slices.Equal(failed, []string{"m-e2"}) {
		t.Fatalf("failed = %v", failed)
	}
}
