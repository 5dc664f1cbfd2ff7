package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/envelope"
	"github.com/stratum-platform/stratum/stacks/accounts/contract"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/account"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/event"
)

// handler relays the stream's records to the events topic.
type handler struct {
	events event.Publisher
	topic  string
}

// Handle relays a batch of records, in order, and reports the first that failed.
func (h *handler) Handle(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	return lambdakit.ProcessDynamoDBStream(ctx, ev, h.relay), nil
}

// relay publishes the event of one record, if the change is one that consumers hear of: a
// registration (INSERT), its claim (MODIFY from pending to active) or its removal (REMOVE).
// Other changes publish nothing. A record that cannot be read fails, and stops the stream
// until it is fixed, rather than be skipped: skipping would lose a change for good.
func (h *handler) relay(ctx context.Context, rec events.DynamoDBEventRecord) error {
	e, ok, err := toEvent(rec)
	if err != nil {
		return fmt.Errorf("stream record %s (%s): %w", rec.EventID, rec.EventName, err)
	}
	if !ok {
		lambdakit.Logger(ctx).Debug("change not announced", "stream_event_id", rec.EventID, "event_name", rec.EventName)
		return nil
	}
	return event.Publish(ctx, h.events, h.topic, e)
}

// toEvent returns the event that rec announces, and false when it announces none.
func toEvent(rec events.DynamoDBEventRecord) (envelope.Envelope, bool, error) {
	at := rec.Change.ApproximateCreationDateTime.UTC()
	if at.IsZero() {
		return envelope.Envelope{}, false, errors.New("no ApproximateCreationDateTime")
	}
	switch rec.EventName {
	case "INSERT":
		a, err := decodeImage(rec.Change.NewImage)
		if err != nil {
			return envelope.Envelope{}, false, fmt.Errorf("new image: %w", err)
		}
		return connected(rec.EventID, at, a)
	case "MODIFY":
		before, err := decodeImage(rec.Change.OldImage)
		if err != nil {
			return envelope.Envelope{}, false, fmt.Errorf("old image: %w", err)
		}
		after, err := decodeImage(rec.Change.NewImage)
		if err != nil {
			return envelope.Envelope{}, false, fmt.Errorf("new image: %w", err)
		}
		if before.Status == after.Status || after.Status != contract.StatusActive {
			return envelope.Envelope{}, false, nil
		}
		return connected(rec.EventID, at, after)
	case "REMOVE":
		a, err := decodeImage(rec.Change.OldImage)
		if err != nil {
			return envelope.Envelope{}, false, fmt.Errorf("old image: %w", err)
		}
		e, err := event.New(rec.EventID, at, contract.AccountDisconnectedType, contract.AccountDisconnectedVersion,
			contract.AccountDisconnected{
				Version:        contract.AccountDisconnectedVersion,
				AccountID:      a.AccountID,
				TenantID:       a.TenantID,
				DisconnectedAt: at.Truncate(time.Second),
				Generation:     a.Generation,
			})
		return e, err == nil, err
	}
	return envelope.Envelope{}, false, fmt.Errorf("unknown event name %q", rec.EventName)
}

// connected returns AccountConnected for the registration a, as the change id left it.
func connected(id string, at time.Time, a account.Account) (envelope.Envelope, bool, error) {
	e, err := event.New(id, at, contract.AccountConnectedType, contract.AccountConnectedVersion,
		contract.AccountConnected{
			Version:           contract.AccountConnectedVersion,
			AccountID:         a.AccountID,
			TenantID:          a.TenantID,
			Name:              a.Name,
			Provider:          a.Provider,
			ExternalAccountID: a.ExternalAccountID,
			ConnectedAt:       a.CreatedAt,
			Generation:        a.Generation,
			Status:            a.Status,
		})
	return e, err == nil, err
}
