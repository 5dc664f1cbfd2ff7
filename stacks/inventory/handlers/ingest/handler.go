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

// Conditions of the writes to the accounts table. The events of one registration are
// ordered by its generation, then pending < active < disconnected, so that each write is
// idempotent (a duplicate is refused, or rewrites the same item) and order-safe (an older
// event is refused, as SQS may deliver a retried event after a newer one).
const (
	// pendingCondition refuses a registration's AccountConnected (pending) once anything
	// of its generation, or a later one, is applied.
	pendingCondition = "attribute_not_exists(accountId) OR generation < :g"
	// activeCondition also lets AccountConnected (active) through over its own pending
	// item, and over itself, so that a delivery that failed while deleting other tenants'
	// resources finishes the deletion on retry; never over its tombstone.
	activeCondition = "attribute_not_exists(accountId) OR generation < :g OR (generation = :g AND attribute_not_exists(disconnectedAt))"
	// disconnectCondition lets a duplicate of the AccountDisconnected that wrote the
	// tombstone through, rewriting the same item, for the same reason.
	disconnectCondition = "attribute_not_exists(accountId) OR generation <= :g"
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

// handleMessage applies one event. An event that cannot be read, or that does not come
// from the accounts context, fails, so that it ends in the dead-letter queue where an
// operator sees it: retrying will not fix it, but dropping it would hide a producer's bug,
// or a forgery.
func (h *handler) handleMessage(ctx context.Context, msg events.SQSMessage) error {
	e, err := envelope.FromSQS(msg)
	if err != nil {
		return err
	}
	ctx = e.Context(ctx)
	log := lambdakit.Logger(ctx).With("event_id", e.ID, "event_type", e.Type, "event_version", e.Version)
	if e.Source != contract.Source {
		return fmt.Errorf("event %s: source %q is not the accounts context (%q): refused", e.ID, e.Source, contract.Source)
	}
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

// registrationProblems returns what is wrong with the registration an event names.
func registrationProblems(tenant, accountID string, generation int64) map[string]string {
	fields := map[string]string{}
	if !store.ValidAccountID(accountID) {
		fields["accountId"] = fmt.Sprintf("must be \"aws-\" followed by 12 digits, got %q", accountID)
	}
	if tenant == "" {
		fields["tenantId"] = "is required"
	}
	if generation <= 0 {
		fields["generation"] = fmt.Sprintf("must be above 0, got %d", generation)
	}
	return fields
}

func (h *handler) connect(ctx context.Context, log *slog.Logger, e envelope.Envelope, data contract.AccountConnected) error {
	fields := registrationProblems(data.TenantID, data.AccountID, data.Generation)
	condition := pendingCondition
	switch data.Status {
	case contract.StatusPending:
	case contract.StatusActive:
		condition = activeCondition
	default:
		fields["status"] = fmt.Sprintf("must be %q or %q, got %q", contract.StatusPending, contract.StatusActive, data.Status)
	}
	if len(fields) > 0 {
		return fmt.Errorf("event %s: %w", e.ID, &lambdakit.ValidationError{Fields: fields})
	}
	connectedAt := data.ConnectedAt
	if connectedAt.IsZero() {
		connectedAt = e.Time
	}
	account := store.Account{
		TenantID:    data.TenantID,
		AccountID:   data.AccountID,
		Name:        data.Name,
		ConnectedAt: connectedAt.UTC().Format(time.RFC3339),
		Generation:  data.Generation,
		Status:      data.Status,
	}
	applied, err := h.putAccount(ctx, account, condition)
	if err != nil {
		return fmt.Errorf("account %q of tenant %q connected: %w", data.AccountID, data.TenantID, err)
	}
	log = log.With("tenant_id", data.TenantID, "account_id", data.AccountID, "status", data.Status, "applied", applied)
	if !applied || data.Status != contract.StatusActive {
		log.Info("account connected")
		return nil
	}
	// The registration is the account's active one: any other tenant's data of the account
	// is from a registration the accounts context has removed (its AccountDisconnected may
	// be late, or in a dead-letter queue), so it goes now. Their items stay: a tenant's
	// pending registration of the account is still a registration.
	removed, err := h.deleteOtherTenants(ctx, data.TenantID, data.AccountID)
	if err != nil {
		return fmt.Errorf("account %q of tenant %q connected: %w", data.AccountID, data.TenantID, err)
	}
	log.Info("account connected", "other_tenants_resources_deleted", removed)
	return nil
}

func (h *handler) disconnect(ctx context.Context, log *slog.Logger, e envelope.Envelope, data contract.AccountDisconnected) error {
	if fields := registrationProblems(data.TenantID, data.AccountID, data.Generation); len(fields) > 0 {
		return fmt.Errorf("event %s: %w", e.ID, &lambdakit.ValidationError{Fields: fields})
	}
	disconnectedAt := data.DisconnectedAt
	if disconnectedAt.IsZero() {
		disconnectedAt = e.Time
	}
	tombstone := store.Account{
		TenantID:       data.TenantID,
		AccountID:      data.AccountID,
		Generation:     data.Generation,
		DisconnectedAt: disconnectedAt.UTC().Format(time.RFC3339),
		ExpiresAt:      e.Time.Add(tombstoneTTL).Unix(),
	}
	log = log.With("tenant_id", data.TenantID, "account_id", data.AccountID)
	applied, err := h.putAccount(ctx, tombstone, disconnectCondition)
	if err != nil {
		return fmt.Errorf("account %q of tenant %q disconnected: %w", data.AccountID, data.TenantID, err)
	}
	if !applied {
		// A later registration by the same tenant is already applied: its resources are
		// current. Another tenant's registration is another item, untouched.
		log.Info("account disconnected", "applied", false)
		return nil
	}
	removed, err := h.deleteResources(ctx, data.TenantID, data.AccountID)
	if err != nil {
		return fmt.Errorf("account %q of tenant %q disconnected: %w", data.AccountID, data.TenantID, err)
	}
	log.Info("account disconnected", "applied", true, "resources_deleted", removed)
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
			":g": &types.AttributeValueMemberN{Value: strconv.FormatInt(account.Generation, 10)},
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
