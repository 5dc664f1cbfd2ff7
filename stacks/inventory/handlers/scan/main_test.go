package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/envelope"
	accounts "github.com/stratum-platform/stratum/stacks/accounts/contract"
	"github.com/stratum-platform/stratum/stacks/inventory/contract"
	"github.com/stratum-platform/stratum/stacks/inventory/handlers/internal/store"
)

var (
	t0 = time.Date(2026, 3, 4, 5, 0, 0, 0, time.UTC)
	t1 = t0.Add(time.Hour)
)

const (
	bucketA = "arn:aws:s3:::a"
	bucketB = "arn:aws:s3:::b"
	queueC  = "arn:aws:sqs:eu-west-1:111122223333:c"
)

type fakes struct {
	db      *fakeDB
	lambda  *fakeLambda
	sts     *fakeSTS
	tagging *fakeTagging
	sns     *fakeSNS
}

// setup returns a handler over two accounts: 111122223333 with bucket a (tag env=prod)
// and bucket b stored, and bucket a (now env=dev) and queue c live; and 444455556666,
// with nothing stored and nothing live.
func setup() (*handler, fakes) {
	f := fakes{
		db: &fakeDB{
			accountIDs: []string{"aws-111122223333", "aws-444455556666"},
			resources: map[string]map[string]store.Resource{"aws-111122223333": {
				bucketA: {AccountID: "aws-111122223333", ResourceArn: bucketA, ResourceType: "s3:bucket", Tags: map[string]string{"env": "prod"}, DiscoveredAt: "2026-01-01T00:00:00Z"},
				bucketB: {AccountID: "aws-111122223333", ResourceArn: bucketB, ResourceType: "s3:bucket", Tags: map[string]string{}, DiscoveredAt: "2026-01-01T00:00:00Z"},
			}},
		},
		lambda: &fakeLambda{answers: map[string]*awslambda.InvokeOutput{
			"aws-111122223333": connectionOf("111122223333"),
			"aws-444455556666": connectionOf("444455556666"),
		}},
		sts: &fakeSTS{},
		tagging: &fakeTagging{resources: map[string]map[string]map[string]string{
			"111122223333": {bucketA: {"env": "dev"}, queueC: {}},
		}},
		sns: &fakeSNS{},
	}
	h := &handler{
		db: f.db, functions: f.lambda, sts: f.sts, tagging: f.tagging, topic: f.sns,
		accountsTable: "accounts", resourcesTable: "resources",
		connectionFunction: "arn:aws:lambda:eu-west-1:000000000000:function:accounts-connection:live",
		topicArn:           "arn:aws:sns:eu-west-1:000000000000:inventory-events",
		now:                func() time.Time { return t1 },
		sleep:              func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
	}
	return h, f
}

// quiet returns the context of an invocation, whose logger (lambdakit.Main stores the
// function's in Lambda) discards.
func quiet() context.Context {
	return lambdakit.WithLogger(context.Background(), slog.New(slog.DiscardHandler))
}

func TestScanStoresAdditionsAndRemovals(t *testing.T) {
	h, f := setup()
	f.tagging.resources["111122223333"]["not an arn"] = map[string]string{}
	if err := h.Handle(quiet(), json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	got := f.db.resources["aws-111122223333"]
	if want := []string{bucketA, queueC}; !slices.Equal(slices.Sorted(maps.Keys(got)), want) {
		t.Fatalf("stored %v, want %v", slices.Sorted(maps.Keys(got)), want)
	}
	if a := got[bucketA]; a.Tags["env"] != "dev" || a.DiscoveredAt != "2026-01-01T00:00:00Z" {
		t.Fatalf("bucket a = %+v, want new tags and the first discovery time", a)
	}
	if c := got[queueC]; c.ResourceType != "sqs:queue" || c.DiscoveredAt != "2026-03-04T06:00:00Z" || c.Tags == nil {
		t.Fatalf("queue c = %+v", c)
	}

	// The connection function, STS and the scan of the accounts table were called as the
	// grants allow.
	in := f.lambda.calls[0]
	if *in.FunctionName != h.connectionFunction || in.InvocationType != "RequestResponse" || string(in.Payload) != `{"accountId":"aws-111122223333"}` {
		t.Fatalf("invoke input = %+v", in)
	}
	as := f.sts.calls[0]
	if *as.RoleArn != "arn:aws:iam::111122223333:role/stratum-inventory-reader" || *as.ExternalId != "x-111122223333" ||
		*as.RoleSessionName != "stratum-inventory-scan" || *as.DurationSeconds != 900 {
		t.Fatalf("assume role input = %+v", as)
	}
	if s := f.db.scans[0]; *s.TableName != "accounts" || *s.FilterExpression != "attribute_not_exists(disconnectedAt)" {
		t.Fatalf("scan input = %+v, want tombstones filtered out", s)
	}

	// One event, for the account that changed only.
	if len(f.sns.published) != 1 {
		t.Fatalf("%d events published, want 1", len(f.sns.published))
	}
	p := f.sns.published[0]
	if *p.TopicArn != h.topicArn || *p.MessageAttributes["type"].StringValue != "InventoryChanged" || *p.MessageAttributes["type"].DataType != "String" {
		t.Fatalf("publish input = %+v", p)
	}
	e, err := envelope.Parse(*p.Message)
	if err != nil {
		t.Fatal(err)
	}
	data, err := envelope.Decode[contract.InventoryChanged](e, contract.InventoryChangedType, contract.InventoryChangedVersion)
	if err != nil {
		t.Fatal(err)
	}
	want := contract.InventoryChanged{Version: 1, AccountID: "aws-111122223333", Added: 1, Removed: 1, Total: 2, ScannedAt: t1}
	if e.Source != contract.Source || data != want {
		t.Fatalf("event from %s = %+v, want %+v", e.Source, data, want)
	}
}

func TestScanWithoutChangePublishesNothing(t *testing.T) {
	h, f := setup()
	if err := h.Handle(quiet(), json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	// The next hour finds what the first scan stored: nothing to write or announce.
	f.sns.published = nil
	if err := h.Handle(quiet(), json.RawMessage(`{"any":["json"]}`)); err != nil {
		t.Fatal(err)
	}
	if len(f.sns.published) != 0 {
		t.Fatalf("%d events published for an unchanged inventory", len(f.sns.published))
	}
}

func TestScanContinuesAfterAFailedAccount(t *testing.T) {
	h, f := setup()
	f.db.accountIDs = []string{"aws-444455556666", "aws-111122223333"}
	f.sts.fail = map[string]error{"arn:aws:iam::444455556666:role/stratum-inventory-reader": errors.New("AccessDenied")}
	err := h.Handle(quiet(), json.RawMessage(`{}`))
	if err == nil || !strings.Contains(err.Error(), `1 of 2 accounts failed`) || !strings.Contains(err.Error(), `"aws-444455556666"`) {
		t.Fatalf("err = %v, want the failed account named", err)
	}
	if len(f.sns.published) != 1 || len(f.db.resources["aws-111122223333"]) != 2 {
		t.Fatal("the account after the failed one was not scanned")
	}
}

func TestScanSkipsAccountUnknownToAccounts(t *testing.T) {
	h, f := setup()
	payload, _ := json.Marshal(accounts.ConnectionResponse{Error: "account aws-444455556666 not found"})
	f.lambda.answers["aws-444455556666"] = &awslambda.InvokeOutput{StatusCode: 200, Payload: payload}
	if err := h.Handle(quiet(), json.RawMessage(`{}`)); err != nil {
		t.Fatalf("err = %v, want the unknown account skipped", err)
	}
	if len(f.sts.calls) != 1 {
		t.Fatalf("%d AssumeRole calls, want only the known account's", len(f.sts.calls))
	}
}

func TestScanFailsOnBadConnection(t *testing.T) {
	for name, out := range map[string]*awslambda.InvokeOutput{
		"function error": {StatusCode: 200, FunctionError: aws.String("Unhandled"), Payload: []byte(`{"errorMessage":"dynamodb throttled"}`)},
		"not json":       {StatusCode: 200, Payload: []byte(`nope`)},
		"other role":     {StatusCode: 200, Payload: []byte(`{"roleArn":"arn:aws:iam::444455556666:role/admin","externalId":"x"}`)},
		"no external id": {StatusCode: 200, Payload: []byte(`{"roleArn":"arn:aws:iam::444455556666:role/stratum-inventory-reader"}`)},
	} {
		t.Run(name, func(t *testing.T) {
			h, f := setup()
			f.lambda.answers["aws-444455556666"] = out
			err := h.Handle(quiet(), json.RawMessage(`{}`))
			if err == nil || !strings.Contains(err.Error(), `"aws-444455556666"`) {
				t.Fatalf("err = %v", err)
			}
			if len(f.sts.calls) != 1 {
				t.Fatalf("%d AssumeRole calls, want only the good account's", len(f.sts.calls))
			}
		})
	}
}

func TestScanFailsWhenADependencyFails(t *testing.T) {
	boom := errors.New("boom")
	for name, breakIt := range map[string]func(fakes){
		"accounts table": func(f fakes) { f.db.scanErr = boom },
		"resources":      func(f fakes) { f.db.queryErr = boom },
		"lambda":         func(f fakes) { f.lambda.err = boom },
		"publish":        func(f fakes) { f.sns.err = boom },
	} {
		t.Run(name, func(t *testing.T) {
			h, f := setup()
			breakIt(f)
			if err := h.Handle(quiet(), json.RawMessage(`{}`)); !errors.Is(err, boom) {
				t.Fatalf("err = %v, want it to wrap boom", err)
			}
		})
	}
}

func TestScanNoAccounts(t *testing.T) {
	h, f := setup()
	f.db.accountIDs = nil
	if err := h.Handle(quiet(), json.RawMessage(`{}`)); err != nil || len(f.lambda.calls) != 0 {
		t.Fatalf("err = %v, %d invocations", err, len(f.lambda.calls))
	}
}

func TestResourceType(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc":                   "ec2:instance",
		"arn:aws:lambda:eu-west-1:111122223333:function:f":                     "lambda:function",
		"arn:aws:dynamodb:eu-west-1:111122223333:table/t":                      "dynamodb:table",
		"arn:aws:apigateway:eu-west-1::/restapis/abc":                          "apigateway:restapis",
		"arn:aws:s3:::bucket":                                                  "s3:bucket",
		"arn:aws:sns:eu-west-1:111122223333:topic":                             "sns:topic",
		"arn:aws:sqs:eu-west-1:111122223333:queue":                             "sqs:queue",
		"arn:aws:kinesisvideo:eu-west-1:111122223333:stream/s/1":               "kinesisvideo:stream",
		"arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/x/y": "elasticloadbalancing:loadbalancer",
		"arn:aws:codecommit:eu-west-1:111122223333:repo":                       "codecommit",
	} {
		if got, ok := resourceType(arn); !ok || got != want {
			t.Errorf("resourceType(%q) = %q, %v, want %q", arn, got, ok, want)
		}
	}
	for _, arn := range []string{"", "arn:aws:s3", "urn:aws:s3:::b", "arn:aws::r:a:x", "arn:aws:s3:r:a:"} {
		if got, ok := resourceType(arn); ok {
			t.Errorf("resourceType(%q) = %q, want not an ARN", arn, got)
		}
	}
}
