package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/stacks/inventory/handlers/internal/store"
)

// fakeDB returns the registrations, one page per call.
type fakeDB struct {
	pages [][]store.Account
	scans []*dynamodb.ScanInput
	err   error
}

func (f *fakeDB) Scan(_ context.Context, in *dynamodb.ScanInput, _ ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	f.scans = append(f.scans, in)
	if f.err != nil {
		return nil, f.err
	}
	i := len(f.scans) - 1
	out := &dynamodb.ScanOutput{}
	for _, a := range f.pages[i] {
		item, err := attributevalue.MarshalMap(a)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, item)
	}
	if i < len(f.pages)-1 {
		out.LastEvaluatedKey = map[string]types.AttributeValue{"tenantId": &types.AttributeValueMemberS{Value: "page"}}
	}
	return out, nil
}

// fakeQueue records the jobs sent and fails the entries whose job's tenant is in fail.
type fakeQueue struct {
	jobs  []store.Job
	calls int
	fail  map[string]bool
	err   error
}

func (f *fakeQueue) SendMessageBatch(_ context.Context, in *sqs.SendMessageBatchInput, _ ...func(*sqs.Options)) (*sqs.SendMessageBatchOutput, error) {
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	if *in.QueueUrl != "https://sqs/jobs" || len(in.Entries) > 10 {
		return nil, fmt.Errorf("fake: %d entries to %s", len(in.Entries), *in.QueueUrl)
	}
	out := &sqs.SendMessageBatchOutput{}
	for _, e := range in.Entries {
		j, err := store.ParseJob(*e.MessageBody)
		if err != nil {
			return nil, err
		}
		if f.fail[j.TenantID] {
			out.Failed = append(out.Failed, sqstypes.BatchResultErrorEntry{Id: e.Id, Code: aws.String("InternalError"), Message: aws.String("try again")})
			continue
		}
		f.jobs = append(f.jobs, j)
	}
	return out, nil
}

func registrations(n int, tenant string) []store.Account {
	var out []store.Account
	for i := range n {
		out = append(out, store.Account{TenantID: tenant, AccountID: fmt.Sprintf("aws-1111222233%02d", i), Generation: int64(i + 1)})
	}
	return out
}

func run(h *handler) error {
	return h.Handle(lambdakit.WithLogger(context.Background(), slog.New(slog.DiscardHandler)), json.RawMessage(`{}`))
}

func TestDispatchSendsOneJobPerRegistration(t *testing.T) {
	db := &fakeDB{pages: [][]store.Account{registrations(12, "t-1"), registrations(3, "t-2")}}
	q := &fakeQueue{}
	h := &handler{db: db, queue: q, accountsTable: "accounts", queueURL: "https://sqs/jobs"}
	if err := run(h); err != nil {
		t.Fatal(err)
	}
	if len(q.jobs) != 15 || q.calls != 2 {
		t.Fatalf("%d jobs in %d calls, want 15 in 2", len(q.jobs), q.calls)
	}
	if want := (store.Job{TenantID: "t-2", AccountID: "aws-111122223302", Generation: 3}); q.jobs[14] != want {
		t.Errorf("last job = %+v, want %+v", q.jobs[14], want)
	}
	s := db.scans[0]
	if *s.TableName != "accounts" || *s.FilterExpression != "attribute_not_exists(disconnectedAt)" ||
		*s.ProjectionExpression != "tenantId, accountId, generation" || db.scans[1].ExclusiveStartKey == nil {
		t.Errorf("scan input = %+v, want tombstones left out and every page read", s)
	}
}

func TestDispatchReportsFailedJobsAfterSendingTheRest(t *testing.T) {
	all := append(registrations(10, "t-bad"), registrations(5, "t-1")...)
	q := &fakeQueue{fail: map[string]bool{"t-bad": true}}
	h := &handler{db: &fakeDB{pages: [][]store.Account{all}}, queue: q, accountsTable: "accounts", queueURL: "https://sqs/jobs"}
	err := run(h)
	if err == nil || !strings.Contains(err.Error(), "10 of 15 jobs in failed batches") || len(q.jobs) != 5 {
		t.Fatalf("err = %v with %d jobs sent, want the 10 failures reported and the other 5 sent", err, len(q.jobs))
	}
	boom := errors.New("boom")
	for name, h := range map[string]*handler{
		"scan": {db: &fakeDB{err: boom}, queue: &fakeQueue{}, accountsTable: "accounts", queueURL: "https://sqs/jobs"},
		"send": {db: &fakeDB{pages: [][]store.Account{registrations(1, "t-1")}}, queue: &fakeQueue{err: boom}, accountsTable: "accounts", queueURL: "https://sqs/jobs"},
	} {
		if err := run(h); !errors.Is(err, boom) {
			t.Errorf("%s: err = %v, want it to wrap boom", name, err)
		}
	}
}

func TestDispatchNoRegistrations(t *testing.T) {
	q := &fakeQueue{}
	if err := run(&handler{db: &fakeDB{pages: [][]store.Account{nil}}, queue: q, accountsTable: "accounts", queueURL: "https://sqs/jobs"}); err != nil || q.calls != 0 {
		t.Fatalf("err = %v after %d calls, want nothing sent", err, q.calls)
	}
}
