package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/smithy-go"

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
	connectionFunction = "arn:aws:lambda:eu-west-1:000000000000:function:accounts-connection:live"
	claimFunction      = "arn:aws:lambda:eu-west-1:000000000000:function:accounts-claim:live"
	accountX           = "aws-111122223333"
	g1                 = int64(1772600000000)
	bucketA            = "arn:aws:s3:::a"
	bucketB            = "arn:aws:s3:::b"
	queueC             = "arn:aws:sqs:eu-west-1:111122223333:c"
)

type fakes struct {
	db      *fakeDB
	lambda  *fakeLambda
	sts     *fakeSTS
	tagging *fakeTagging
	sns     *fakeSNS
}

// setup returns a handler for tenant t-1's active registration of account X (generation
// g1), with bucket a (tag env=prod) and bucket b stored, and bucket a (now env=dev) and
// queue c live.
func setup() (*handler, fakes) {
	partition := store.PartitionKey("t-1", accountX)
	f := fakes{
		db: &fakeDB{
			accounts: map[[2]string]store.Account{{"t-1", accountX}: {TenantID: "t-1", AccountID: accountX, Generation: g1, Status: "active"}},
			resources: map[string]map[string]store.Resource{partition: {
				bucketA: {AccountKey: partition, TenantID: "t-1", AccountID: accountX, ResourceArn: bucketA, ResourceType: "s3:bucket", Tags: map[string]string{"env": "prod"}, DiscoveredAt: "2026-01-01T00:00:00Z"},
				bucketB: {AccountKey: partition, TenantID: "t-1", AccountID: accountX, ResourceArn: bucketB, ResourceType: "s3:bucket", Tags: map[string]string{}, DiscoveredAt: "2026-01-01T00:00:00Z"},
			}},
		},
		lambda: &fakeLambda{connections: map[[2]string]*awslambda.InvokeOutput{
			{"t-1", accountX}: connectionOf("t-1", "111122223333", g1, "active"),
		}, claimable: map[string]bool{}},
		sts: &fakeSTS{},
		tagging: &fakeTagging{resources: map[string]map[string]map[string]string{
			"111122223333": {bucketA: {"env": "dev"}, queueC: {}},
		}},
		sns: &fakeSNS{},
	}
	h := &handler{
		db: f.db, functions: f.lambda, sts: f.sts, tagging: f.tagging, topic: f.sns,
		accountsTable: "accounts", resourcesTable: "resources",
		connectionFunction: connectionFunction, claimFunction: claimFunction,
		topicArn: "arn:aws:sns:eu-west-1:000000000000:inventory-events",
		env:      "dev", readerRole: accounts.ReaderRoleName("dev"),
		now: func() time.Time { return t1 },
	}
	return h, f
}

func job(tenant string, g int64) events.SQSMessage {
	body, _ := json.Marshal(store.Job{TenantID: tenant, AccountID: accountX, Generation: g})
	return events.SQSMessage{MessageId: "m-" + tenant, Body: string(body)}
}

// run handles msgs and returns the ids of the messages that failed.
func run(t *testing.T, h *handler, msgs ...events.SQSMessage) []string {
	t.Helper()
	// In Lambda the context carries the function's logger (lambdakit.Main); here it discards.
	ctx := lambdakit.WithLogger(context.Background(), slog.New(slog.DiscardHandler))
	resp, err := h.Handle(ctx, events.SQSEvent{Records: msgs})
	if err != nil {
		t.Fatal(err)
	}
	failed := []string{}
	for _, f := range resp.BatchItemFailures {
		failed = append(failed, f.ItemIdentifier)
	}
	return failed
}

func stored(f fakes, tenant string) []string {
	return slices.Sorted(maps.Keys(f.db.resources[store.PartitionKey(tenant, accountX)]))
}

func TestScanStoresAdditionsAndRemovals(t *testing.T) {
	h, f := setup()
	f.tagging.resources["111122223333"]["not an arn"] = map[string]string{}
	if failed := run(t, h, job("t-1", g1)); len(failed) != 0 {
		t.Fatalf("failed = %v", failed)
	}
	got := f.db.resources[store.PartitionKey("t-1", accountX)]
	if want := []string{bucketA, queueC}; !slices.Equal(stored(f, "t-1"), want) {
		t.Fatalf("stored %v, want %v", stored(f, "t-1"), want)
	}
	if a := got[bucketA]; a.Tags["env"] != "dev" || a.DiscoveredAt != "2026-01-01T00:00:00Z" {
		t.Fatalf("bucket a = %+v, want new tags and the first discovery time", a)
	}
	if c := got[queueC]; c.ResourceType != "sqs:queue" || c.DiscoveredAt != "2026-03-04T06:00:00Z" || c.Tags == nil || c.TenantID != "t-1" {
		t.Fatalf("queue c = %+v", c)
	}

	// The connection function is asked for the job's tenant, and the claim function is not
	// called for an active registration.
	if len(f.lambda.calls) != 1 || *f.lambda.calls[0].FunctionName != connectionFunction ||
		f.lambda.calls[0].InvocationType != "RequestResponse" || string(f.lambda.calls[0].Payload) != `{"tenantId":"t-1","accountId":"aws-111122223333"}` {
		t.Fatalf("invocations = %+v", f.lambda.calls)
	}
	// The session: the environment's reader role, the registration's external id, a session
	// that may only list resources, named after the tenant and environment.
	as := f.sts.calls[0]
	if *as.RoleArn != "arn:aws:iam::111122223333:role/stratum-dev-inventory-reader" || *as.ExternalId != "x-t-1-111122223333" ||
		*as.RoleSessionName != "stratum-dev-t-1" || *as.SourceIdentity != "stratum-dev-t-1" || *as.DurationSeconds != 900 ||
		*as.Policy != `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["tag:GetResources"],"Resource":"*"}]}` {
		t.Fatalf("assume role input = %+v", as)
	}
	// Every write was guarded by the registration's item.
	if len(f.db.transactions) != 1 || len(f.db.transactions[0].TransactItems) != 4 {
		t.Fatalf("transactions = %+v, want one with the check and three writes", f.db.transactions)
	}

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
	want := contract.InventoryChanged{Version: 1, TenantID: "t-1", AccountID: accountX, Added: 1, Removed: 1, Total: 2, ScannedAt: t1}
	if err != nil || e.Source != contract.Source || data != want {
		t.Fatalf("event from %s = %+v (%v), want %+v", e.Source, data, err, want)
	}
}

func TestScanWithoutChangePublishesNothing(t *testing.T) {
	h, f := setup()
	run(t, h, job("t-1", g1))
	// The next hour finds what the first scan stored: nothing to write or announce.
	f.sns.published = nil
	if failed := run(t, h, job("t-1", g1)); len(failed) != 0 || len(f.sns.published) != 0 || len(f.db.transactions) != 1 {
		t.Fatalf("failed = %v, %d events, %d transactions; want nothing more", failed, len(f.sns.published), len(f.db.transactions))
	}
}

func TestScanClaimsAPendingRegistration(t *testing.T) {
	h, f := setup()
	f.lambda.connections[[2]string{"t-1", accountX}] = connectionOf("t-1", "111122223333", g1, "pending")
	f.lambda.claimable["t-1"] = true
	if failed := run(t, h, job("t-1", g1)); len(failed) != 0 {
		t.Fatalf("failed = %v", failed)
	}
	if len(f.lambda.calls) != 2 || *f.lambda.calls[1].FunctionName != claimFunction ||
		string(f.lambda.calls[1].Payload) != `{"tenantId":"t-1","accountId":"aws-111122223333","generation":1772600000000}` {
		t.Fatalf("invocations = %+v, want the claim after the connection", f.lambda.calls)
	}
	if len(f.sts.calls) != 1 || !slices.Equal(stored(f, "t-1"), []string{bucketA, queueC}) {
		t.Fatal("the claimed registration was not scanned")
	}
}

// TestScanWritesNothingForAnUnprovenRegistration covers the registrations that must not see
// the account: one whose role refuses it, one that loses the claim, one the accounts
// context does not know, and connection details of another registration.
func TestScanWritesNothingForAnUnprovenRegistration(t *testing.T) {
	denied := &smithy.GenericAPIError{Code: "AccessDenied", Message: "not authorized to perform sts:AssumeRole"}
	for name, tc := range map[string]struct {
		edit       func(fakes)
		wantAssume int
	}{
		"role refuses the pending registration": {func(f fakes) {
			f.lambda.connections[[2]string{"t-1", accountX}] = connectionOf("t-1", "111122223333", g1, "pending")
			f.sts.fail = map[string]error{"arn:aws:iam::111122223333:role/stratum-dev-inventory-reader": denied}
		}, 1},
		"claim refused": {func(f fakes) {
			f.lambda.connections[[2]string{"t-1", accountX}] = connectionOf("t-1", "111122223333", g1, "pending")
		}, 1},
		"no registration": {func(f fakes) { delete(f.lambda.connections, [2]string{"t-1", accountX}) }, 0},
		"another tenant's details": {func(f fakes) {
			f.lambda.connections[[2]string{"t-1", accountX}] = connectionOf("t-2", "111122223333", g1, "active")
		}, 0},
		"another generation": {func(f fakes) {
			f.lambda.connections[[2]string{"t-1", accountX}] = connectionOf("t-1", "111122223333", g1+1, "active")
		}, 0},
	} {
		t.Run(name, func(t *testing.T) {
			h, f := setup()
			tc.edit(f)
			if failed := run(t, h, job("t-1", g1)); len(failed) != 0 {
				t.Fatalf("failed = %v, want the job skipped: a retry changes nothing", failed)
			}
			if len(f.sts.calls) != tc.wantAssume || f.tagging.calls != 0 || len(f.db.transactions) != 0 || len(f.sns.published) != 0 {
				t.Fatalf("%d AssumeRole, %d listings, %d transactions, %d events; want %d AssumeRole and nothing else",
					len(f.sts.calls), f.tagging.calls, len(f.db.transactions), len(f.sns.published), tc.wantAssume)
			}
		})
	}
}

// TestScanAlreadyRunningWritesNothingBack is the third interleaving of issue 10: a scan of
// tenant A's registration is running when A removes the account (the tombstone reaches the
// inventory) and tenant B registers it. The scan's writes are refused, and B's partition
// never holds A's resources.
func TestScanAlreadyRunningWritesNothingBack(t *testing.T) {
	h, f := setup()
	f.db.resources = map[string]map[string]store.Resource{}
	f.db.beforeWrite = func() {
		f.db.accounts[[2]string{"t-1", accountX}] = store.Account{TenantID: "t-1", AccountID: accountX, Generation: g1, DisconnectedAt: "2026-03-04T06:00:00Z"}
		f.db.accounts[[2]string{"t-2", accountX}] = store.Account{TenantID: "t-2", AccountID: accountX, Generation: g1 + 1, Status: "pending"}
	}
	if failed := run(t, h, job("t-1", g1)); len(failed) != 0 {
		t.Fatalf("failed = %v, want the stale scan dropped", failed)
	}
	if len(stored(f, "t-1")) != 0 || len(stored(f, "t-2")) != 0 || len(f.sns.published) != 0 {
		t.Fatalf("a stale scan wrote %v for A and %v for B, and published %d events", stored(f, "t-1"), stored(f, "t-2"), len(f.sns.published))
	}
}

func TestScanFailsOnBadConnection(t *testing.T) {
	for name, out := range map[string]*awslambda.InvokeOutput{
		"function error": {StatusCode: 200, FunctionError: aws.String("Unhandled"), Payload: []byte(`{"errorMessage":"dynamodb throttled"}`)},
		"not json":       {StatusCode: 200, Payload: []byte(`nope`)},
		"other role":     answer(accounts.ConnectionResponse{TenantID: "t-1", AccountID: accountX, Generation: g1, RoleArn: "arn:aws:iam::111122223333:role/admin", ExternalID: "x"}),
		"prod's role":    answer(accounts.ConnectionResponse{TenantID: "t-1", AccountID: accountX, Generation: g1, RoleArn: "arn:aws:iam::111122223333:role/stratum-prod-inventory-reader", ExternalID: "x"}),
		"no external id": answer(accounts.ConnectionResponse{TenantID: "t-1", AccountID: accountX, Generation: g1, RoleArn: "arn:aws:iam::111122223333:role/stratum-dev-inventory-reader"}),
	} {
		t.Run(name, func(t *testing.T) {
			h, f := setup()
			f.lambda.connections[[2]string{"t-1", accountX}] = out
			if failed := run(t, h, job("t-1", g1)); !slices.Equal(failed, []string{"m-t-1"}) {
				t.Fatalf("failed = %v, want the job retried", failed)
			}
			if len(f.sts.calls) != 0 {
				t.Fatalf("%d AssumeRole calls, want none", len(f.sts.calls))
			}
		})
	}
}

func TestScanFailsWhenADependencyFails(t *testing.T) {
	boom := errors.New("boom")
	for name, breakIt := range map[string]func(fakes){
		"resources": func(f fakes) { f.db.queryErr = boom },
		"writes":    func(f fakes) { f.db.writeErr = boom },
		"lambda":    func(f fakes) { f.lambda.err = boom },
		"publish":   func(f fakes) { f.sns.err = boom },
		"active denied": func(f fakes) {
			f.sts.fail = map[string]error{"arn:aws:iam::111122223333:role/stratum-dev-inventory-reader": &smithy.GenericAPIError{Code: "AccessDenied"}}
		},
	} {
		t.Run(name, func(t *testing.T) {
			h, f := setup()
			breakIt(f)
			if failed := run(t, h, job("t-1", g1)); !slices.Equal(failed, []string{"m-t-1"}) {
				t.Fatalf("failed = %v, want the job retried", failed)
			}
		})
	}
}

func TestScanRefusesABadJob(t *testing.T) {
	h, f := setup()
	for _, body := range []string{"not json", `{"tenantId":"t-1","accountId":"aws-111122223333"}`, `{"tenantId":"","accountId":"x","generation":1}`} {
		if failed := run(t, h, events.SQSMessage{MessageId: "m", Body: body}); len(failed) != 1 {
			t.Errorf("%s: failed = %v, want the job to the dead-letter queue", body, failed)
		}
	}
	if len(f.lambda.calls) != 0 {
		t.Fatal("a bad job reached the accounts context")
	}
}

func TestSessionIdentity(t *testing.T) {
	for tenant, want := range map[string]string{
		"t-1":         "stratum-dev-t-1",
		"acme@corp.1": "stratum-dev-acme@corp.1",
		"a b/c":       "stratum-dev-a-b-c-",
		"é":           "stratum-dev---",
	} {
		got := sessionIdentity("dev", tenant)
		if len(want) > 0 && want[len(want)-1] == '-' {
			if len(got) != len(want)+8 || got[:len(want)] != want {
				t.Errorf("sessionIdentity(%q) = %q, want %q and a hash", tenant, got, want)
			}
			continue
		}
		if got != want {
			t.Errorf("sessionIdentity(%q) = %q, want %q", tenant, got, want)
		}
	}
	long := sessionIdentity("prod", string(make([]byte, 100)))
	other := sessionIdentity("prod", string(make([]byte, 101)))
	if len(long) != maxSessionIdentity || long == other {
		t.Errorf("long tenant ids: %q and %q, want 64 characters each, different", long, other)
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
