package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/stacks/accounts/contract"
	"github.com/stratum-platform/stratum/stacks/inventory/handlers/internal/store"
)

const accountX = "aws-111122223333"

func newHandler(db *fakeDB) *handler {
	return &handler{
		db:             db,
		accountsTable:  "accounts",
		resourcesTable: "resources",
		sleep:          func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
	}
}

var t0 = time.Date(2026, 3, 4, 5, 6, 7, 89e6, time.UTC)

// Generations of registrations: g1 before g2.
const (
	g1 int64 = 1772600000000
	g2 int64 = 1772700000000
)

// message returns the SQS message of an event of typ from source, published at at.
func message(t *testing.T, id, source, typ string, version int, at time.Time, data any) events.SQSMessage {
	t.Helper()
	raw, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal(map[string]any{
		"id": id, "type": typ, "version": version, "source": source,
		"time": at, "correlationId": "c-" + id, "data": json.RawMessage(raw),
	})
	if err != nil {
		t.Fatal(err)
	}
	return events.SQSMessage{MessageId: "m-" + id, Body: string(body)}
}

// connected returns tenant's AccountConnected of account X, of generation g, with status.
func connected(t *testing.T, id, tenant string, g int64, status string) events.SQSMessage {
	return message(t, id, contract.Source, contract.AccountConnectedType, 1, t0, contract.AccountConnected{
		Version: 1, AccountID: accountX, TenantID: tenant, Name: "Prod", Provider: "aws",
		ExternalAccountID: "111122223333", ConnectedAt: t0, Generation: g, Status: status,
	})
}

func disconnected(t *testing.T, id, tenant string, g int64) events.SQSMessage {
	return message(t, id, contract.Source, contract.AccountDisconnectedType, 1, t0.Add(time.Minute), contract.AccountDisconnected{
		Version: 1, AccountID: accountX, TenantID: tenant, DisconnectedAt: t0.Add(time.Minute), Generation: g,
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

func mustHandle(t *testing.T, h *handler, msgs ...events.SQSMessage) {
	t.Helper()
	if failed := handle(t, h, msgs...); len(failed) != 0 {
		t.Fatalf("failed = %v", failed)
	}
}

func TestConnectStoresTheRegistration(t *testing.T) {
	db := newFakeDB()
	mustHandle(t, newHandler(db), connected(t, "e1", "t-1", g1, "pending"))
	want := store.Account{TenantID: "t-1", AccountID: accountX, Name: "Prod", ConnectedAt: "2026-03-04T05:06:07Z", Generation: g1, Status: "pending"}
	if got, _ := db.account("t-1", accountX); got != want {
		t.Fatalf("account = %+v, want %+v", got, want)
	}
}

func TestConnectTwiceIsIdempotent(t *testing.T) {
	db := newFakeDB()
	msg := connected(t, "e1", "t-1", g1, "pending")
	mustHandle(t, newHandler(db), msg, msg)
	if db.puts != 2 || len(db.accounts) != 1 {
		t.Fatalf("%d puts, %d accounts; want the second put refused by its condition", db.puts, len(db.accounts))
	}
}

func TestEventsOfARegistrationInAnyOrder(t *testing.T) {
	db := newFakeDB()
	h := newHandler(db)
	// active before pending: the late pending event does not undo the claim.
	mustHandle(t, h, connected(t, "e2", "t-1", g1, "active"), connected(t, "e1", "t-1", g1, "pending"))
	if a, _ := db.account("t-1", accountX); a.Status != "active" {
		t.Fatalf("status = %q after a late pending event, want active", a.Status)
	}
	// The disconnection is applied before a connection that preceded it.
	mustHandle(t, h, disconnected(t, "e3", "t-1", g1), connected(t, "e2", "t-1", g1, "active"))
	if a, _ := db.account("t-1", accountX); !a.Disconnected() {
		t.Fatalf("a late AccountConnected brought the registration back: %+v", a)
	}
	// A later registration wins, and an old disconnection delivered late changes nothing.
	mustHandle(t, h, connected(t, "e4", "t-1", g2, "pending"))
	db.addResources("t-1", accountX, "arn:aws:s3:::a")
	mustHandle(t, h, disconnected(t, "e3", "t-1", g1))
	if a, _ := db.account("t-1", accountX); a.Disconnected() || a.Generation != g2 || db.count("t-1", accountX) != 1 {
		t.Fatalf("a late AccountDisconnected of an old registration was applied: %+v", a)
	}
}

func TestDisconnectDeletesResourcesAndLeavesTombstone(t *testing.T) {
	db := newFakeDB()
	db.addResources("t-1", accountX, "arn:aws:s3:::a", "arn:aws:s3:::b")
	db.addResources("t-1", "aws-999988887777", "arn:aws:s3:::other")
	h := newHandler(db)
	mustHandle(t, h, connected(t, "e1", "t-1", g1, "active"))
	mustHandle(t, h, disconnected(t, "e2", "t-1", g1))
	if n := db.count("t-1", accountX); n != 0 {
		t.Fatalf("%d resources left, want 0", n)
	}
	if db.count("t-1", "aws-999988887777") != 1 {
		t.Fatal("another account's resources were deleted")
	}
	a, _ := db.account("t-1", accountX)
	if !a.Disconnected() || a.Name != "" || a.ExpiresAt != t0.Add(time.Minute+tombstoneTTL).Unix() {
		t.Fatalf("tombstone = %+v", a)
	}
}

func TestDisconnectRetryFinishesDeletion(t *testing.T) {
	db := newFakeDB()
	db.addResources("t-1", accountX, "arn:aws:s3:::a")
	db.batchErr = errors.New("throttled")
	h := newHandler(db)
	msg := disconnected(t, "e2", "t-1", g1)
	if failed := handle(t, h, msg); !slices.Equal(failed, []string{"m-e2"}) {
		t.Fatalf("failed = %v, want the message retried", failed)
	}
	// The tombstone is written; the redelivery must still delete the resources.
	mustHandle(t, h, msg)
	if n := db.count("t-1", accountX); n != 0 {
		t.Fatalf("%d resources left after the redelivery, want 0", n)
	}
}

func TestDisconnectUnknownRegistration(t *testing.T) {
	db := newFakeDB()
	mustHandle(t, newHandler(db), disconnected(t, "e2", "t-1", g1))
	if a, ok := db.account("t-1", accountX); !ok || !a.Disconnected() {
		t.Fatalf("want a tombstone so that a late AccountConnected is refused, got %+v", a)
	}
}

func TestRefusesEventsOfAnotherSource(t *testing.T) {
	db := newFakeDB()
	forged := message(t, "e1", "stratum.inventory", contract.AccountDisconnectedType, 1, t0, contract.AccountDisconnected{
		Version: 1, AccountID: accountX, TenantID: "t-1", Generation: g2,
	})
	db.addResources("t-1", accountX, "arn:aws:s3:::a")
	if failed := handle(t, newHandler(db), forged); !slices.Equal(failed, []string{"m-e1"}) {
		t.Fatalf("failed = %v, want the forged event refused (to the dead-letter queue)", failed)
	}
	if db.puts != 0 || db.count("t-1", accountX) != 1 {
		t.Fatal("a forged event changed the tables")
	}
}

func TestDropsWhatItDoesNotHandle(t *testing.T) {
	db := newFakeDB()
	failed := handle(t, newHandler(db),
		message(t, "e1", contract.Source, "AccountRenamed", 1, t0, map[string]string{"accountId": "a"}),
		message(t, "e2", contract.Source, contract.AccountConnectedType, 2, t0, map[string]string{"accountId": "a"}),
	)
	if len(failed) != 0 || db.puts != 0 {
		t.Fatalf("failed = %v, %d puts; want both dropped without a write", failed, db.puts)
	}
}

func TestFailsOnBadInput(t *testing.T) {
	db := newFakeDB()
	data := func(edit func(*contract.AccountConnected)) contract.AccountConnected {
		d := contract.AccountConnected{AccountID: accountX, TenantID: "t-1", Generation: g1, Status: "pending"}
		edit(&d)
		return d
	}
	msgs := []events.SQSMessage{{MessageId: "m-e1", Body: "not json"}}
	for i, edit := range []func(*contract.AccountConnected){
		func(d *contract.AccountConnected) { d.AccountID = "" },
		func(d *contract.AccountConnected) { d.TenantID = "" },
		func(d *contract.AccountConnected) { d.AccountID = "aws-1111#2223333" },
		func(d *contract.AccountConnected) { d.Generation = 0 },
		func(d *contract.AccountConnected) { d.Status = "claimed" },
	} {
		msgs = append(msgs, message(t, "e"+string(rune('2'+i)), contract.Source, contract.AccountConnectedType, 1, t0, data(edit)))
	}
	msgs = append(msgs, message(t, "e7", contract.Source, contract.AccountDisconnectedType, 1, t0, map[string]int{"accountId": 5}))
	failed := handle(t, newHandler(db), msgs...)
	if want := []string{"m-e1", "m-e2", "m-e3", "m-e4", "m-e5", "m-e6", "m-e7"}; !slices.Equal(failed, want) {
		t.Fatalf("failed = %v, want %v", failed, want)
	}
	if db.puts != 0 {
		t.Fatalf("%d puts, want none", db.puts)
	}
}

func TestFailsWhenTheTableFails(t *testing.T) {
	db := newFakeDB()
	db.putErr = errors.New("throttled")
	if failed := handle(t, newHandler(db), connected(t, "e1", "t-1", g1, "pending")); !slices.Equal(failed, []string{"m-e1"}) {
		t.Fatalf("failed = %v", failed)
	}
	db = newFakeDB()
	db.queryErr = errors.New("throttled")
	if failed := handle(t, newHandler(db), disconnected(t, "e2", "t-1", g1)); !slices.Equal(failed, []string{"m-e2"}) {
		t.Fatalf("failed = %v", failed)
	}
}
