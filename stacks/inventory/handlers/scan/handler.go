package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/stacks/inventory/handlers/internal/store"
)

// The parts of the AWS clients that the handler uses.
type (
	database interface {
		Scan(ctx context.Context, in *dynamodb.ScanInput, optFns ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error)
		store.Querier
		store.BatchWriter
	}
	invoker interface {
		Invoke(ctx context.Context, in *awslambda.InvokeInput, optFns ...func(*awslambda.Options)) (*awslambda.InvokeOutput, error)
	}
	roleAssumer interface {
		AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleOutput, error)
	}
	resourceLister interface {
		GetResources(ctx context.Context, in *resourcegroupstaggingapi.GetResourcesInput, optFns ...func(*resourcegroupstaggingapi.Options)) (*resourcegroupstaggingapi.GetResourcesOutput, error)
	}
	publisher interface {
		Publish(ctx context.Context, in *sns.PublishInput, optFns ...func(*sns.Options)) (*sns.PublishOutput, error)
	}
)

// handler scans every connected account.
type handler struct {
	db        database
	functions invoker
	sts       roleAssumer
	// tagging is called with the credentials of the assumed role as a per-call option,
	// so one client serves every account.
	tagging            resourceLister
	topic              publisher
	accountsTable      string
	resourcesTable     string
	connectionFunction string
	topicArn           string
	now                func() time.Time
	// sleep is store.Batch.Sleep; nil waits for real.
	sleep func(context.Context, time.Duration) error
}

// errNoConnection is wrapped when the accounts context does not know an account.
var errNoConnection = errors.New("no connection")

// Handle scans every connected account. The schedule's input carries nothing the scan
// needs, so any JSON is accepted. One account failing does not stop the others: each
// failure is logged, and Handle fails at the end when any account failed, so that the
// schedule's retry policy and dead-letter queue see it.
func (h *handler) Handle(ctx context.Context, _ json.RawMessage) error {
	log := lambdakit.Logger(ctx)
	ids, err := h.accountIDs(ctx)
	if err != nil {
		return err
	}
	var failures []error
	var changed, skipped int
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			failures = append(failures, fmt.Errorf("account %q: not scanned: %w", id, err))
			continue
		}
		result, err := h.scanAccount(ctx, id)
		switch {
		case errors.Is(err, errNoConnection):
			// The account was removed from the accounts context and its
			// AccountDisconnected has not reached the ingest function yet (or sits in its
			// dead-letter queue): nothing to scan, and a retry would not change that.
			log.Warn("account skipped", "account_id", id, lambdakit.LogKeyError, err)
			skipped++
		case err != nil:
			log.Error("account scan failed", "account_id", id, lambdakit.LogKeyError, err)
			failures = append(failures, fmt.Errorf("account %q: %w", id, err))
		default:
			log.Info("account scanned", "account_id", id, "added", result.added, "removed", result.removed,
				"updated", result.updated, "total", result.total)
			if result.added+result.removed > 0 {
				changed++
			}
		}
	}
	log.Info("scan finished", "accounts", len(ids), "changed", changed, "skipped", skipped, "failed", len(failures))
	if len(failures) > 0 {
		return fmt.Errorf("scan: %d of %d accounts failed: %w", len(failures), len(ids), errors.Join(failures...))
	}
	return nil
}

// accountIDs returns the id of every connected account: every item of the accounts table
// but the tombstones of disconnected ones.
func (h *handler) accountIDs(ctx context.Context) ([]string, error) {
	in := &dynamodb.ScanInput{
		TableName:            aws.String(h.accountsTable),
		FilterExpression:     aws.String("attribute_not_exists(" + store.AttrDisconnectedAt + ")"),
		ProjectionExpression: aws.String(store.AttrAccountID),
	}
	var ids []string
	for {
		out, err := h.db.Scan(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("scan %s: %w", h.accountsTable, err)
		}
		var page []store.Account
		if err := attributevalue.UnmarshalListOfMaps(out.Items, &page); err != nil {
			return nil, fmt.Errorf("scan %s: decode: %w", h.accountsTable, err)
		}
		for _, a := range page {
			ids = append(ids, a.AccountID)
		}
		if len(out.LastEvaluatedKey) == 0 {
			return ids, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// scanAccount refreshes the inventory of one account.
func (h *handler) scanAccount(ctx context.Context, accountID string) (diff, error) {
	conn, err := h.connection(ctx, accountID)
	if err != nil {
		return diff{}, err
	}
	creds, err := h.assume(ctx, conn)
	if err != nil {
		return diff{}, err
	}
	live, err := h.listResources(ctx, creds)
	if err != nil {
		return diff{}, err
	}
	stored, err := store.Resources(ctx, h.db, h.resourcesTable, accountID)
	if err != nil {
		return diff{}, err
	}
	scannedAt := h.now().UTC()
	d, err := compare(accountID, stored, live, scannedAt)
	if err != nil {
		return diff{}, err
	}
	batch := store.Batch{DB: h.db, Table: h.resourcesTable, Sleep: h.sleep}
	if err := batch.Write(ctx, d.writes); err != nil {
		return diff{}, err
	}
	if d.added+d.removed == 0 {
		return d, nil
	}
	// Published after the writes, so that a consumer that reads the API on this event
	// sees the change. If Publish fails, the next scan finds nothing to change and the
	// event is lost; publishing from a stream of the table (an outbox) would close that
	// gap.
	if err := h.publish(ctx, accountID, d, scannedAt); err != nil {
		return diff{}, err
	}
	return d, nil
}
