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

func TestPublish(t *testing.T) {
	ctx := lambdakit.WithCorrelationID(context.Background(), "req-1")
	topic := fake.NewTopic(topicArn)
	data := contract.AccountDisconnected{
		Version:        contract.AccountDisconnectedVersion,
		AccountID:      "aws-123456789012",
		TenantID:       "t-1",
		DisconnectedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}

	sent, err := event.Publish(ctx, topic, topicArn, contract.AccountDisconnectedType, contract.AccountDisconnectedVersion, data)
	if err != nil {
		t.Fatal(err)
	}
	got := topic.Envelopes(t)
	if len(got) != 1 || got[0].ID != sent.ID {
		t.Fatalf("published %+v, want the envelope %s", got, sent.ID)
	}
	e := got[0]
	if e.Source != contract.Source || e.CorrelationID != "req-1" {
		t.Errorf("source, correlation id = %q, %q; want %q, req-1", e.Source, e.CorrelationID, contract.Source)
	}
	decoded, err := envelope.Decode[contract.AccountDisconnected](e, contract.AccountDisconnectedType, contract.AccountDisconnectedVersion)
	if err != nil || decoded != data {
		t.Errorf("Decode() = %+v, %v; want %+v", decoded, err, data)
	}
}

func TestPublishFails(t *testing.T) {
	topic := fake.NewTopic(topicArn)
	broken := errors.New("broken")
	topic.Fail(broken)
	_, err := event.Publish(context.Background(), topic, topicArn, contract.AccountConnectedType, contract.AccountConnectedVersion, contract.AccountConnected{})
	if !errors.Is(err, broken) {
		t.Errorf("Publish() = %v, want it to wrap %v", err, broken)
	}
}

func TestPublishInvalidType(t *testing.T) {
	topic := fake.NewTopic(topicArn)
	_, err := event.Publish(context.Background(), topic, topicArn, "account.connected", 1, struct{}{})
	if _, ok := errors.AsType[*lambdakit.ValidationError](err); !ok {
		t.Errorf("Publish() = %v, want an invalid envelope", err)
	}
	if len(topic.Envelopes(t)) != 0 {
		t.Error("an invalid event was published")
	}
}
