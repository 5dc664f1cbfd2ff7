package event_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/envelope"
	"github.com/stratum-platform/stratum/stacks/accounts/contract"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/event"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/fake"
)

const topicArn = "arn:aws:sns:eu-west-1:111122223333:accounts-events"

var at = time.Date(2026, 1, 2, 3, 4, 5, 6_789_000, time.FixedZone("CET", 3600))

func data() contract.AccountDisconnected {
	return contract.AccountDisconnected{
		Version:        contract.AccountDisconnectedVersion,
		AccountID:      "aws-123456789012",
		TenantID:       "t-1",
		DisconnectedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Generation:     1767323045000,
	}
}

func TestNewIsStable(t *testing.T) {
	first, err := event.New("ev-1", at, contract.AccountDisconnectedType, contract.AccountDisconnectedVersion, data())
	if err != nil {
		t.Fatal(err)
	}
	again, err := event.New("ev-1", at, contract.AccountDisconnectedType, contract.AccountDisconnectedVersion, data())
	if err != nil {
		t.Fatal(err)
	}
	if first.ID != "ev-1" || first.CorrelationID != "ev-1" || first.Source != contract.Source ||
		!first.Time.Equal(time.Date(2026, 1, 2, 2, 4, 5, 6_000_000, time.UTC)) || first.Time.Location() != time.UTC {
		t.Errorf("envelope = %+v", first)
	}
	if string(first.Data) != string(again.Data) || first.ID != again.ID || !first.Time.Equal(again.Time) {
		t.Error("the same change gave two different events")
	}
}

func TestNewInvalid(t *testing.T) {
	_, err := event.New("", at, "account.connected", 1, struct{}{})
	verr, ok := errors.AsType[*lambdakit.ValidationError](err)
	if !ok || verr.Fields["id"] == "" || verr.Fields["type"] == "" {
		t.Errorf("New() = %v, want the id and type refused", err)
	}
}

func TestPublish(t *testing.T) {
	topic := fake.NewTopic(topicArn)
	e, err := event.New("ev-1", at, contract.AccountDisconnectedType, contract.AccountDisconnectedVersion, data())
	if err != nil {
		t.Fatal(err)
	}
	if err := event.Publish(context.Background(), topic, topicArn, e); err != nil {
		t.Fatal(err)
	}
	got := topic.Envelopes(t)
	if len(got) != 1 || got[0].ID != "ev-1" {
		t.Fatalf("published %+v, want the envelope ev-1", got)
	}
	decoded, err := envelope.Decode[contract.AccountDisconnected](got[0], contract.AccountDisconnectedType, contract.AccountDisconnectedVersion)
	if err != nil || decoded != data() {
		t.Errorf("Decode() = %+v, %v; want %+v", decoded, err, data())
	}
}

func TestPublishFails(t *testing.T) {
	topic := fake.NewTopic(topicArn)
	broken := errors.New("broken")
	topic.Fail(broken)
	e, err := event.New("ev-1", at, contract.AccountDisconnectedType, contract.AccountDisconnectedVersion, data())
	if err != nil {
		t.Fatal(err)
	}
	if err := event.Publish(context.Background(), topic, topicArn, e); !errors.Is(err, broken) {
		t.Errorf("Publish() = %v, want it to wrap %v", err, broken)
	}
}
