package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/envelope"
	"github.com/stratum-platform/stratum/stacks/accounts/contract"
	"github.com/stratum-platform/stratum/stacks/inventory/handlers/internal/store"
)

// Conditions of the writes to the accounts table. Both compare the time of the event with
// that of the last event applied, so that each write is idempotent (a duplicate has the
// same time and is refused) and order-safe (an event older than the item is refused, as
// SQS may deliver a retried event after a newer one).
const (
	// connectCondition also refuses AccountConnected at the time of the tombstone's
	// AccountDisconnected, which cannot be later than it.
	connectCondition = "attribute_not_exists(accountId) OR lastEventAt < :t"
	// disconnectCondition lets a duplicate of the AccountDisconnected that wrote the
	// tombstone through, rewriting the same item, so that a delivery that failed while
	// deleting the account's resources finishes the deletion on retry.
	disconnectCondition = "attribute_not_exists(accountId) OR lastEventAt < :t OR (lastEventAt = :t AND attribute_exists(disconnectedAt))"
)

// tombstoneTTL is how long a tombstone outlives its AccountDisconnected: longer than the
// 14 days that SQS keeps a message at most, so no late AccountConnected can arrive after
// it expires.
const tombstoneTTL = 15 * 24 * time.Hour

// database is the part of the DynamoDB client that the handler uses.
type database interface {
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	store.Querier
	store.BatchWriter
}

// handler applies the accounts context's events to the accounts and resources tables.
type handler struct {
	db             database
	accountsTable  string
	resourcesTable string
	// sleep is store.Batch.Sleep; nil waits for real.
	sleep func(context.Context, time.Duration) error
}

// Handle processes a batch of the queue and reports the messages that failed, so that SQS
// delivers only those again.
func (h *handler) Handle(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	return lambdakit.ProcessSQS(ctx, ev, h.handleMessage), nil
}

// handleMessage applies one event. An event that cannot be read fails, so that it ends in
// the dead-letter queue where an operator sees it: retrying will not fix it, but dropping
// it would hide a producer's bug.
func (h *handler) handleMessage(ctx context.Context, msg events.SQSMessage) error {
	e, err := envelope.FromSQS(msg)
	if err != nil {
		return err
	}
	ctx = e.Context(ctx)
	log := lambdakit.Logger(ctx).With("event_id", e.ID, "event_type", e.Type, "event_version", e.Version)
	switch e.Type {
	case contract.AccountConnectedType:
		data, err := envelope.Decode[contract.AccountConnected](e, contract.AccountConnectedType, contract.AccountConnectedVersion)
		if err != nil {
			return dropOrFail(log, err)
		}
		return h.connect(ctx, log, e, data)
	case contract.AccountDisconnectedType:
		data, err := envelope.Decode[contract.AccountDisconnected](e, contract.AccountDisconnectedType, contract.AccountDisconnectedVersion)
		if err != nil {
			return dropOrFail(log, err)
		}
		return h.disconnect(ctx, log, e, data)
	default:
		// The subscription's filter policy sends only the two types above; another one is
		// a type this handler was never meant to handle, and no retry would change that.
		log.Warn("event dropped: type not handled")
		return nil
	}
}

// dropOrFail drops an event of a version that this handler does not know, because no
// retry would make it known: it returns nil so that SQS deletes the message. Any other
// decoding error fails the message (see handleMessage).
func dropOrFail(log *slog.Logger, err error) error {
	if errors.Is(err, envelope.ErrUnsupportedVersion) {
		log.Warn("event dropped: version not handled", lambdakit.LogKeyError, err)
		return nil
	}
	return err
}

func (h *handler) connect(ctx context.Context, log *slog.Logger, e envelope.Envelope, data contract.AccountConnected) error {
	fields := map[string]string{}
	if data.AccountID == "" {
		fields["accountId"] = "is required"
	}
	if data.TenantID == "" {
		fields["tenantId"] = "is required"
	}
	if len(fields) > 0 {
		return fmt.Errorf("event %s: %w", e.ID, &lambdakit.ValidationError{Fields: fields})
	}
	connectedAt := data.ConnectedAt
	if connectedAt.IsZero() {
		connectedAt = e.Time
	}
	account := store.Account{
		AccountID:   data.AccountID,
		TenantID:    data.TenantID,
		Name:        data.Name,
		ConnectedAt: connectedAt.UTC().Format(time.RFC3339),
		LastEventAt: e.Time.UnixMilli(),
	}
	applied, err := h.putAccount(ctx, account, connectCondition)
	if err != nil {
		return fmt.Errorf("account %q connected: %w", data.AccountID, err)
	}
	log.Info("account connected", "account_id", data.AccountID, "applied", applied)
	return nil
}

func (h *handler) disconnect(ctx context.Context, log *slog.Logger, e envelope.Envelope, data contract.AccountDisconnected) error {
	if data.AccountID == "" {
		return fmt.Errorf("event %s: %w", e.ID, &lambdakit.ValidationError{Fields: map[string]string{"accountId": "is required"}})
	}
	disconnectedAt := data.DisconnectedAt
	if disconnectedAt.IsZero() {
		disconnectedAt = e.Time
	}
	tombstone := store.Account{
		AccountID:      data.AccountID,
		TenantID:       data.TenantID,
		LastEventAt:    e.Time.UnixMilli(),
		DisconnectedAt: disconnectedAt.UTC().Format(time.RFC3339),
		ExpiresAt:      e.Time.Add(tombstoneTTL).Unix(),
	}
	applied, err := h.putAccount(ctx, tombstone, disconnectCondition)
	if err != nil {
		return fmt.Errorf("account %q disconnected: %w", data.AccountID, err)
	}
	if !applied {
		// A later AccountConnected is already applied: the account is connected again
		// and its resources are current.
		log.Info("account disconnected", "account_id", data.AccountID, "applied", false)
		return nil
	}
	removed, err := h.deleteResources(ctx, data.AccountID)
	if err != nil {
		return fmt.Errorf("account %q disconnected: %w", data.AccountID, err)
	}
	log.Info("account disconnected", "account_id", data.AccountID, "applied", true, "resources_deleted", removed)
	return nil
}

// putAccount writes account if condition holds, and reports whether it did. A failed
// condition is not an error: the event is a duplicate or older than the item.
func (h *handler) putAccount(ctx context.Context, account store.Account, condition string) (bool, error) {
	item, err := attributevalue.MarshalMap(account)
	if err != nil {
		return false, fmt.Errorf("encode item: %w", err)
	}
	_, err = h.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           aws.String(h.accountsTable),
		Item:                item,
		ConditionExpression: aws.String(condition),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":t": &types.AttributeValueMemberN{Value: strconv.FormatInt(account.LastEventAt, 10)},
		},
	})
	if _, ok := errors.AsType[*types.ConditionalCheckFailedException](err); ok {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("put item in %s: %w", h.accountsTable, err)
	}
	return true, nil
}

// deleteResources deletes every resource stored for accountID and returns how many.
func (h *handler) deleteResources(ctx context.Context, accountID string) (int, error) {
	resources, err := store.Resources(ctx, h.db, h.resourcesTable, accountID)
	if err != nil {
		return 0, err
	}
	reqs := make([]types.WriteRequest, 0, len(resources))
	for _, r := range resources {
		reqs = append(reqs, store.DeleteRequest(store.ResourceKey(accountID, r.ResourceArn)))
	}
	batch := store.Batch{DB: h.db, Table: h.resourcesTable, Sleep: h.sleep}
	if err := batch.Write(ctx, reqs); err != nil {
		return 0, err
	}
	return len(reqs), nil
}
