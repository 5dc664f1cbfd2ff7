package main

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/stratum-platform/stratum/platform/lambdakit/envelope"
	"github.com/stratum-platform/stratum/stacks/accounts/contract"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/account"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/fake"
)

const (
	tableName  = "accounts-dev"
	claimsName = "claims-dev"
	topicArn   = "arn:aws:sns:eu-west-1:111122223333:accounts-events"
	accountID  = "aws-123456789012"
	generation = 1767323045000
)

var (
	tables    = account.Tables{Accounts: tableName, Claims: claimsName}
	changedAt = time.Date(2026, 1, 2, 3, 4, 6, 0, time.UTC)
)

func registration(tenant string) account.Account {
	return account.Account{
		TenantID: tenant, AccountID: accountID, Name: "Production", Provider: "aws",
		ExternalAccountID: "123456789012", RoleArn: "arn:aws:iam::123456789012:role/stratum-dev-inventory-reader",
		ExternalID: strings.Repeat("ab", 16), CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Status: "pending", Generation: generation,
	}
}

// history registers the account for t-1 and t-2, claims it for t-1, and removes t-2's and
// then t-1's registration, through the account store on the fake table, and returns the
// table's stream.
func history(t *testing.T) []events.DynamoDBEventRecord {
	t.Helper()
	ctx := context.Background()
	db := fake.NewTable(tableName, claimsName)
	for _, tenant := range []string{"t-1", "t-2"} {
		if _, created, err := account.Create(ctx, db, tableName, registration(tenant)); err != nil || !created {
			t.Fatalf("Create(%s) = %t, %v", tenant, created, err)
		}
	}
	if ok, err := account.ClaimAccount(ctx, db, tables, "t-1", accountID, generation, changedAt); err != nil || !ok {
		t.Fatalf("ClaimAccount() = %t, %v", ok, err)
	}
	for _, tenant := range []string{"t-2", "t-1"} {
		if _, err := account.Remove(ctx, db, tables, tenant, accountID); err != nil {
			t.Fatalf("Remove(%s) = %v", tenant, err)
		}
	}
	return db.Records(t, changedAt)
}

func relayAll(t *testing.T, h *handler, records ...events.DynamoDBEventRecord) []string {
	t.Helper()
	ctx, _ := fake.Context()
	resp, err := h.Handle(ctx, events.DynamoDBEvent{Records: records})
	if err != nil {
		t.Fatal(err)
	}
	failed := []string{}
	for _, f := range resp.BatchItemFailures {
		failed = append(failed, f.ItemIdentifier)
	}
	return failed
}

// TestRelayAnnouncesEveryChange is the outbox end to end: what the store writes reaches
// the stream, and each registration, claim and removal becomes its event, with the stream
// record's id as the event's.
func TestRelayAnnouncesEveryChange(t *testing.T) {
	topic := fake.NewTopic(topicArn)
	h := &handler{events: topic, topic: topicArn}
	records := history(t)
	if failed := relayAll(t, h, records...); len(failed) != 0 {
		t.Fatalf("failed = %v", failed)
	}
	sent := topic.Envelopes(t)
	type summary struct{ id, typ, tenant, status string }
	var got []summary
	for _, e := range sent {
		if e.Source != contract.Source || e.CorrelationID != e.ID || !e.Time.Equal(changedAt) {
			t.Errorf("envelope %+v: want the accounts source, its id as correlation id and the change's time", e)
		}
		switch e.Type {
		case contract.AccountConnectedType:
			d, err := envelope.Decode[contract.AccountConnected](e, e.Type, contract.AccountConnectedVersion)
			if err != nil || d.Generation != generation || d.AccountID != accountID || d.Name != "Production" ||
				d.ExternalAccountID != "123456789012" || !d.ConnectedAt.Equal(registration("").CreatedAt) {
				t.Errorf("AccountConnected %s = %+v, %v", e.ID, d, err)
			}
			got = append(got, summary{e.ID, e.Type, d.TenantID, d.Status})
		case contract.AccountDisconnectedType:
			d, err := envelope.Decode[contract.AccountDisconnected](e, e.Type, contract.AccountDisconnectedVersion)
			if err != nil || d.Generation != generation || !d.DisconnectedAt.Equal(changedAt) {
				t.Errorf("AccountDisconnected %s = %+v, %v", e.ID, d, err)
			}
			got = append(got, summary{e.ID, e.Type, d.TenantID, ""})
		}
	}
	want := []summary{
		{"ev-1", "AccountConnected", "t-1", "pending"},
		{"ev-2", "AccountConnected", "t-2", "pending"},
		{"ev-3", "AccountConnected", "t-1", "active"},
		{"ev-4", "AccountDisconnected", "t-2", ""},
		{"ev-5", "AccountDisconnected", "t-1", ""},
	}
	if !slices.Equal(got, want) {
		t.Errorf("events:\n got %v\nwant %v", got, want)
	}
}

// TestRelayRetryPublishesTheSameEvents closes the publish gap: when publishing fails, the
// change stays in the stream, the batch stops at it, and the retry publishes it with the
// same id, so that consumers see each change once.
func TestRelayRetryPublishesTheSameEvents(t *testing.T) {
	topic := fake.NewTopic(topicArn)
	h := &handler{events: topic, topic: topicArn}
	records := history(t)[:2]

	topic.Fail(errors.New("throttled"))
	if failed := relayAll(t, h, records...); !slices.Equal(failed, []string{"100"}) {
		t.Fatalf("failed = %v, want the first record, where Lambda resumes", failed)
	}
	topic.Fail(nil)
	// Lambda delivers the batch again from the failed record; a duplicate delivery of a
	// record already published gives the same event too.
	if failed := relayAll(t, h, records...); len(failed) != 0 {
		t.Fatalf("failed = %v", failed)
	}
	if failed := relayAll(t, h, records[1]); len(failed) != 0 {
		t.Fatalf("failed = %v", failed)
	}
	var ids []string
	for _, e := range topic.Envelopes(t) {
		ids = append(ids, e.ID)
	}
	if want := []string{"ev-1", "ev-2", "ev-2"}; !slices.Equal(ids, want) {
		t.Errorf("published %v, want %v: the redelivered record keeps its id", ids, want)
	}
}

func TestRelayIgnoresOtherChanges(t *testing.T) {
	topic := fake.NewTopic(topicArn)
	h := &handler{events: topic, topic: topicArn}
	image, err := fake.Image(mustItem(t, registration("t-1")))
	if err != nil {
		t.Fatal(err)
	}
	renamed := events.DynamoDBEventRecord{EventID: "ev-9", EventName: "MODIFY"}
	renamed.Change = events.DynamoDBStreamRecord{SequenceNumber: "900", OldImage: image, NewImage: image,
		ApproximateCreationDateTime: events.SecondsEpochTime{Time: changedAt}}
	if failed := relayAll(t, h, renamed); len(failed) != 0 || len(topic.Envelopes(t)) != 0 {
		t.Errorf("failed = %v, %d events; want a change of nothing consumers hear of skipped", failed, len(topic.Envelopes(t)))
	}
}

func TestRelayStopsOnABadRecord(t *testing.T) {
	topic := fake.NewTopic(topicArn)
	h := &handler{events: topic, topic: topicArn}
	records := history(t)
	broken := slices.Clone(records)
	bad := events.DynamoDBEventRecord{EventID: "ev-x", EventName: "INSERT"}
	bad.Change = events.DynamoDBStreamRecord{SequenceNumber: "150", ApproximateCreationDateTime: events.SecondsEpochTime{Time: changedAt},
		NewImage: map[string]events.DynamoDBAttributeValue{"tenantId": events.NewStringAttribute("t-1")}}
	broken = slices.Insert(broken, 1, bad)
	if failed := relayAll(t, h, broken...); !slices.Equal(failed, []string{"150"}) {
		t.Fatalf("failed = %v, want the bad record", failed)
	}
	if n := len(topic.Envelopes(t)); n != 1 {
		t.Errorf("%d events published, want only the one before the bad record", n)
	}
	for name, rec := range map[string]events.DynamoDBEventRecord{
		"unknown event name": {EventID: "ev-y", EventName: "TRUNCATE", Change: events.DynamoDBStreamRecord{
			SequenceNumber: "1", ApproximateCreationDateTime: events.SecondsEpochTime{Time: changedAt}}},
		"no time": {EventID: "ev-z", EventName: "REMOVE", Change: records[4].Change},
	} {
		if name == "no time" {
			rec.Change.ApproximateCreationDateTime = events.SecondsEpochTime{}
		}
		if failed := relayAll(t, h, rec); len(failed) != 1 {
			t.Errorf("%s: failed = %v, want the record", name, failed)
		}
	}
}

func mustItem(t *testing.T, a account.Account) map[string]types.AttributeValue {
	t.Helper()
	item, err := attributevalue.MarshalMap(a)
	if err != nil {
		t.Fatal(err)
	}
	return item
}
