package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	accounts "github.com/stratum-platform/stratum/stacks/accounts/contract"
	"github.com/stratum-platform/stratum/stacks/inventory/handlers/internal/store"
)

// The parts of the AWS clients that the handler uses.
type (
	database interface {
		store.Querier
		store.Transactor
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

// handler scans one registration per message of the scan queue.
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
	claimFunction      string
	topicArn           string
	// env is the environment, and readerRole the name of the role the scan may assume in
	// a customer's account (accounts' contract.ReaderRoleName(env)).
	env        string
	readerRole string
	now        func() time.Time
}

// errSkip is wrapped when a job has nothing to scan, and a retry would not change that:
// the registration is gone, changed, another tenant's account, or not proven yet.
var errSkip = errors.New("nothing to scan")

// Handle scans the registration of each message (the scan queue's consumer receives one at
// a time, so each account has the whole invocation as its time budget), and reports the
// messages that failed, so that SQS delivers only those again and, after its retries, moves
// them to the dead-letter queue.
func (h *handler) Handle(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	return lambdakit.ProcessSQS(ctx, ev, h.handleMessage), nil
}

func (h *handler) handleMessage(ctx context.Context, msg events.SQSMessage) error {
	job, err := store.ParseJob(msg.Body)
	if err != nil {
		return err
	}
	log := lambdakit.Logger(ctx).With("tenant_id", job.TenantID, "account_id", job.AccountID, "generation", job.Generation)
	result, err := h.scan(ctx, log, job)
	if errors.Is(err, errSkip) {
		log.Info("account skipped", lambdakit.LogKeyError, err)
		return nil
	}
	if err != nil {
		return fmt.Errorf("tenant %q, account %q: %w", job.TenantID, job.AccountID, err)
	}
	log.Info("account scanned", "added", result.added, "removed", result.removed, "updated", result.updated, "total", result.total)
	return nil
}

// scan refreshes the inventory of one registration. It writes only for the registration the
// job names, and only while it is current: the connection details must be of that tenant,
// account and generation, the registration must hold the account (or claim it now), and
// every write is conditional on the inventory's item of that registration.
func (h *handler) scan(ctx context.Context, log *slog.Logger, job store.Job) (diff, error) {
	conn, err := h.connection(ctx, job)
	if err != nil {
		return diff{}, err
	}
	if conn.TenantID != job.TenantID || conn.AccountID != job.AccountID {
		log.Error("connection details of another registration", "connection_tenant_id", conn.TenantID, "connection_account_id", conn.AccountID)
		return diff{}, fmt.Errorf("connection is of tenant %q, account %q: %w", conn.TenantID, conn.AccountID, errSkip)
	}
	if conn.Generation != job.Generation {
		return diff{}, fmt.Errorf("registration is of generation %d now: %w", conn.Generation, errSkip)
	}
	creds, err := h.assume(ctx, job, conn)
	if err != nil {
		return diff{}, err
	}
	if conn.Status != accounts.StatusActive {
		if err := h.claim(ctx, job); err != nil {
			return diff{}, err
		}
		log.Info("account claimed")
	}
	live, err := h.listResources(ctx, creds)
	if err != nil {
		return diff{}, err
	}
	stored, err := store.Resources(ctx, h.db, h.resourcesTable, job.TenantID, job.AccountID)
	if err != nil {
		return diff{}, err
	}
	scannedAt := h.now().UTC()
	d, err := compare(job.TenantID, job.AccountID, stored, live, scannedAt)
	if err != nil {
		return diff{}, err
	}
	registration := store.Registration{AccountsTable: h.accountsTable, TenantID: job.TenantID, AccountID: job.AccountID, Generation: job.Generation}
	if err := store.WriteIfCurrent(ctx, h.db, h.resourcesTable, registration, d.writes); err != nil {
		if errors.Is(err, store.ErrStale) {
			return diff{}, fmt.Errorf("%w: %w", errSkip, err)
		}
		return diff{}, err
	}
	if d.added+d.removed == 0 {
		return d, nil
	}
	// Published after the writes, so that a consumer that reads the API on this event
	// sees the change. If Publish fails, the message is retried; the retry finds nothing to
	// change and publishes nothing, so the event is lost.
	if err := h.publish(ctx, job, d, scannedAt); err != nil {
		return diff{}, err
	}
	return d, nil
}
