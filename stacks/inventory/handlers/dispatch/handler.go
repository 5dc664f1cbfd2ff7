package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/stacks/inventory/handlers/internal/store"
)

// maxBatch is the most messages one SendMessageBatch call may hold.
const maxBatch = 10

// The parts of the AWS clients that the handler uses.
type (
	scanner interface {
		Scan(ctx context.Context, in *dynamodb.ScanInput, optFns ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error)
	}
	sender interface {
		SendMessageBatch(ctx context.Context, in *sqs.SendMessageBatchInput, optFns ...func(*sqs.Options)) (*sqs.SendMessageBatchOutput, error)
	}
)

// handler sends the scan jobs.
type handler struct {
	db            scanner
	queue         sender
	accountsTable string
	queueURL      string
}

// Handle sends one job per registration. The schedule's input carries nothing the
// dispatch needs, so any JSON is accepted. It sends every job it can before it reports
// what failed, so that the schedule's retry sends again only to a queue that already holds
// most of them: a job sent twice is scanned twice, which changes nothing.
func (h *handler) Handle(ctx context.Context, _ json.RawMessage) error {
	jobs, err := h.jobs(ctx)
	if err != nil {
		return err
	}
	var failures []error
	for start := 0; start < len(jobs); start += maxBatch {
		if err := h.send(ctx, jobs[start:min(start+maxBatch, len(jobs))]); err != nil {
			failures = append(failures, err)
		}
	}
	lambdakit.Logger(ctx).Info("scan jobs sent", "jobs", len(jobs), "failed_batches", len(failures))
	if len(failures) > 0 {
		return fmt.Errorf("dispatch: %d of %d jobs in failed batches: %w", countFailed(failures), len(jobs), errors.Join(failures...))
	}
	return nil
}

// jobs returns the job of every registration of the accounts table but the tombstones of
// removed ones.
func (h *handler) jobs(ctx context.Context) ([]store.Job, error) {
	in := &dynamodb.ScanInput{
		TableName:            aws.String(h.accountsTable),
		FilterExpression:     aws.String("attribute_not_exists(" + store.AttrDisconnectedAt + ")"),
		ProjectionExpression: aws.String(store.AttrTenantID + ", " + store.AttrAccountID + ", " + store.AttrGeneration),
	}
	var jobs []store.Job
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
			jobs = append(jobs, store.Job{TenantID: a.TenantID, AccountID: a.AccountID, Generation: a.Generation})
		}
		if len(out.LastEvaluatedKey) == 0 {
			return jobs, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// batchError is the failure of some messages of one batch.
type batchError struct {
	failed int
	err    error
}

func (e *batchError) Error() string { return e.err.Error() }
func (e *batchError) Unwrap() error { return e.err }

// send sends jobs, at most maxBatch, in one call.
func (h *handler) send(ctx context.Context, jobs []store.Job) error {
	entries := make([]sqstypes.SendMessageBatchRequestEntry, 0, len(jobs))
	for i, j := range jobs {
		body, err := json.Marshal(j)
		if err != nil {
			return &batchError{failed: len(jobs), err: fmt.Errorf("encode job: %w", err)}
		}
		entries = append(entries, sqstypes.SendMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), MessageBody: aws.String(string(body))})
	}
	out, err := h.queue.SendMessageBatch(ctx, &sqs.SendMessageBatchInput{QueueUrl: aws.String(h.queueURL), Entries: entries})
	if err != nil {
		return &batchError{failed: len(jobs), err: fmt.Errorf("send message batch: %w", err)}
	}
	if len(out.Failed) > 0 {
		first := out.Failed[0]
		return &batchError{failed: len(out.Failed), err: fmt.Errorf("send message batch: %d of %d failed, first %s: %s",
			len(out.Failed), len(jobs), aws.ToString(first.Code), aws.ToString(first.Message))}
	}
	return nil
}

func countFailed(errs []error) int {
	n := 0
	for _, err := range errs {
		if b, ok := errors.AsType[*batchError](err); ok {
			n += b.failed
		}
	}
	return n
}
