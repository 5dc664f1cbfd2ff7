package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/secret"
	"github.com/stratum-platform/stratum/platform/lambdakit/secret/secrettest"
)

// Signing keys: the secret component's keys are at least 32 bytes.
var (
	k1 = strings.Repeat("1", secret.MinBytes)
	k2 = strings.Repeat("2", secret.MinBytes)
)

const secretArn = "arn:aws:secretsmanager:eu-west-1:000000000000:secret:deliver"

// received is a request as the receiver saw it.
type received struct {
	header http.Header
	body   []byte
}

// receiver is a legacy receiver on loopback TLS: it answers each request with the next
// status of statuses (200 once they run out), or 401 when the signature does not verify
// with its key.
type receiver struct {
	t        *testing.T
	srv      *httptest.Server
	mu       sync.Mutex
	key      string
	statuses []int
	requests []received
}

func newReceiver(t *testing.T, key string, statuses ...int) *receiver {
	r := &receiver{t: t, key: key, statuses: statuses}
	r.srv = httptest.NewTLSServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		r.t.Error(err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, received{header: req.Header.Clone(), body: body})
	if req.Method != http.MethodPost || !verify(r.key, req.Header.Get(headerSignature), body) {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	status := http.StatusOK
	if len(r.statuses) > 0 {
		status, r.statuses = r.statuses[0], r.statuses[1:]
	}
	if status == 302 {
		w.Header().Set("Location", "http://example.com/")
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, `{"status":"noted"}`)
}

func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.requests)
}

// verify checks a signature the way the receiver's documentation says.
func verify(key, header string, body []byte) bool {
	var ts, v1 string
	for part := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			v1 = v
		}
	}
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(ts + "." + string(body)))
	got, err := hex.DecodeString(v1)
	return err == nil && ts == fmt.Sprint(now.Unix()) && hmac.Equal(got, mac.Sum(nil))
}

var now = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

type harness struct {
	h       *handler
	secrets *secrettest.Store
	waits   *[]time.Duration
	clock   *time.Time
}

func newHarness(t *testing.T, r *receiver, key string) harness {
	t.Helper()
	clock := now
	waits := &[]time.Duration{}
	secrets := secrettest.New(secretArn)
	secrets.Put("v1", key, secret.StageCurrent)
	endpoint, err := parseEndpoint(r.srv.URL + "/hooks/stratum")
	if err != nil {
		t.Fatal(err)
	}
	h := &handler{
		endpoint: endpoint,
		client:   newHTTPClient(r.srv.Client().Transport),
		secret:   secret.New(secrets, secretArn, secret.Options{Now: func() time.Time { return clock }}),
		now:      func() time.Time { return now },
		sleep: func(ctx context.Context, d time.Duration) error {
			*waits = append(*waits, d)
			return ctx.Err()
		},
	}
	return harness{h: h, secrets: secrets, waits: waits, clock: &clock}
}

// reads is how many times the handler read the secret.
func (x harness) reads() int { return x.secrets.Calls("GetSecretValue") }

const eventBody = `{"id":"e-1","type":"InventoryChanged","version":1,"source":"stratum.inventory","time":"2026-03-04T05:06:07.089Z","correlationId":"c-1","data":{"accountId":"aws-111122223333","added":1,"removed":0,"total":1,"scannedAt":"2026-03-04T05:06:07Z"}}`

func messageOf(id, body string) events.SQSMessage {
	return events.SQSMessage{MessageId: id, Body: body}
}

func run(t *testing.T, h *handler, ctx context.Context, msgs ...events.SQSMessage) []string {
	t.Helper()
	// In Lambda the context carries the function's logger (lambdakit.Main); here it discards.
	ctx = lambdakit.WithLogger(ctx, slog.New(slog.DiscardHandler))
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

func TestDeliverSignsTheEvent(t *testing.T) {
	r := newReceiver(t, k1)
	x := newHarness(t, r, k1)
	if failed := run(t, x.h, context.Background(), messageOf("m-1", eventBody)); len(failed) != 0 {
		t.Fatalf("failed = %v", failed)
	}
	if r.count() != 1 {
		t.Fatalf("%d requests, want 1", r.count())
	}
	got := r.requests[0]
	for name, want := range map[string]string{
		"Content-Type":         "application/json",
		"X-Stratum-Event-Id":   "e-1",
		"Idempotency-Key":      "e-1",
		"X-Stratum-Event-Type": "InventoryChanged",
	} {
		if got.header.Get(name) != want {
			t.Errorf("%s = %q, want %q", name, got.header.Get(name), want)
		}
	}
	var sent, want map[string]any
	if err := json.Unmarshal(got.body, &sent); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(eventBody), &want); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(sent) != fmt.Sprint(want) {
		t.Fatalf("body = %s, want the envelope", got.body)
	}
	if sig := got.header.Get(headerSignature); !strings.HasPrefix(sig, "t=1772600767,v1=") {
		t.Fatalf("signature = %q", sig)
	}
}

func TestDeliverUnwrapsSNSNotifications(t *testing.T) {
	r := newReceiver(t, k1)
	x := newHarness(t, r, k1)
	wrapped, _ := json.Marshal(map[string]string{"Type": "Notification", "MessageId": "n-1", "Message": eventBody})
	if failed := run(t, x.h, context.Background(), messageOf("m-1", string(wrapped))); len(failed) != 0 || r.count() != 1 {
		t.Fatalf("failed = %v after %d requests", failed, r.count())
	}
	if strings.Contains(string(r.requests[0].body), "Notification") {
		t.Fatal("the SNS wrapper was forwarded")
	}
}

func TestDeliverRetriesThenSucceeds(t *testing.T) {
	r := newReceiver(t, k1, 503, 429)
	x := newHarness(t, r, k1)
	if failed := run(t, x.h, context.Background(), messageOf("m-1", eventBody)); len(failed) != 0 {
		t.Fatalf("failed = %v", failed)
	}
	if r.count() != 3 {
		t.Fatalf("%d requests, want 3", r.count())
	}
	w := *x.waits
	if len(w) != 2 || w[0] < baseDelay/2 || w[0] > baseDelay || w[1] < baseDelay || w[1] > 2*baseDelay {
		t.Fatalf("waits = %v, want one in [%v, %v] then one in [%v, %v]", w, baseDelay/2, baseDelay, baseDelay, 2*baseDelay)
	}
}

func TestDeliverGivesUpAfterThreeAttempts(t *testing.T) {
	r := newReceiver(t, k1, 500, 502, 504, 500)
	x := newHarness(t, r, k1)
	if failed := run(t, x.h, context.Background(), messageOf("m-1", eventBody)); !slices.Equal(failed, []string{"m-1"}) {
		t.Fatalf("failed = %v", failed)
	}
	if r.count() != maxAttempts {
		t.Fatalf("%d requests, want %d", r.count(), maxAttempts)
	}
}

func TestDeliverRetriesNetworkErrors(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if calls.Add(1) == 1 {
			// Drop the connection without an answer.
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	x := newHarness(t, &receiver{srv: srv}, k1)
	if failed := run(t, x.h, context.Background(), messageOf("m-1", eventBody)); len(failed) != 0 || calls.Load() != 2 {
		t.Fatalf("failed = %v after %d requests, want success on the second", failed, calls.Load())
	}
}

func TestDeliverDoesNotRetryPermanentRefusals(t *testing.T) {
	for _, status := range []int{400, 403, 404, 410, 422, 302} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			r := newReceiver(t, k1, status)
			x := newHarness(t, r, k1)
			failed := run(t, x.h, context.Background(), messageOf("m-1", eventBody))
			if !slices.Equal(failed, []string{"m-1"}) || r.count() != 1 || len(*x.waits) != 0 {
				t.Fatalf("failed = %v after %d requests and %d waits, want one request and a failure", failed, r.count(), len(*x.waits))
			}
		})
	}
}

func TestDeliverRefetchesTheSecretOn401(t *testing.T) {
	r := newReceiver(t, k2) // the receiver already uses the rotated key
	x := newHarness(t, r, k1)
	if failed := run(t, x.h, context.Background(), messageOf("m-1", eventBody)); !slices.Equal(failed, []string{"m-1"}) {
		t.Fatalf("failed = %v, want a failure while the secret is unchanged", failed)
	}
	if r.count() != 1 || x.reads() != 2 {
		t.Fatalf("%d requests, %d secret reads; want no second request with the same secret", r.count(), x.reads())
	}

	// The secret rotates to the receiver's key; a refresh is allowed again after the interval.
	x.secrets.Put("v2", k2, secret.StageCurrent)
	*x.clock = x.clock.Add(secret.MinRefreshInterval)
	r.mu.Lock()
	r.requests = nil
	r.mu.Unlock()
	if failed := run(t, x.h, context.Background(), messageOf("m-2", eventBody)); len(failed) != 0 {
		t.Fatalf("failed = %v, want success with the rotated secret", failed)
	}
	if r.count() != 2 || x.reads() != 3 {
		t.Fatalf("%d requests, %d secret reads; want a retry after one read", r.count(), x.reads())
	}
}

func TestDeliverFailsWhenTheSecretCannotBeRead(t *testing.T) {
	r := newReceiver(t, k1)
	x := newHarness(t, r, k1)
	x.secrets.Fail(errors.New("AccessDeniedException"))
	if failed := run(t, x.h, context.Background(), messageOf("m-1", eventBody)); !slices.Equal(failed, []string{"m-1"}) || r.count() != 0 {
		t.Fatalf("failed = %v after %d requests", failed, r.count())
	}
	x.secrets.Fail(nil)
	x.secrets.Put("v2", "too-short", secret.StageCurrent)
	if failed := run(t, x.h, context.Background(), messageOf("m-1", eventBody)); !slices.Equal(failed, []string{"m-1"}) || r.count() != 0 {
		t.Fatalf("empty secret: failed = %v after %d requests", failed, r.count())
	}
}

func TestDeliverCachesTheSecret(t *testing.T) {
	r := newReceiver(t, k1)
	x := newHarness(t, r, k1)
	run(t, x.h, context.Background(), messageOf("m-1", eventBody), messageOf("m-2", eventBody))
	*x.clock = x.clock.Add(secret.DefaultTTL - time.Second)
	run(t, x.h, context.Background(), messageOf("m-3", eventBody))
	if x.reads() != 1 {
		t.Fatalf("%d secret reads within the TTL, want 1", x.reads())
	}
	*x.clock = x.clock.Add(time.Second)
	run(t, x.h, context.Background(), messageOf("m-4", eventBody))
	if x.reads() != 2 || r.count() != 4 {
		t.Fatalf("%d secret reads, %d requests; want a read after the TTL", x.reads(), r.count())
	}
}

func TestDeliverTwiceSendsTheSameEventID(t *testing.T) {
	r := newReceiver(t, k1)
	x := newHarness(t, r, k1)
	// SQS may deliver a message twice; the receiver de-duplicates on the event id.
	run(t, x.h, context.Background(), messageOf("m-1", eventBody))
	run(t, x.h, context.Background(), messageOf("m-1", eventBody))
	for _, req := range r.requests {
		if req.header.Get(headerEventID) != "e-1" || req.header.Get(headerIdempotencyKey) != "e-1" {
			t.Fatalf("headers = %v, want X-Stratum-Event-Id and Idempotency-Key e-1", req.header)
		}
	}
	if r.count() != 2 {
		t.Fatalf("requests = %d, want two", r.count())
	}
}

func TestDeliverStopsRetryingNearTheDeadline(t *testing.T) {
	r := newReceiver(t, k1, 503)
	x := newHarness(t, r, k1)
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout/2)
	defer cancel()
	if failed := run(t, x.h, ctx, messageOf("m-1", eventBody)); !slices.Equal(failed, []string{"m-1"}) {
		t.Fatalf("failed = %v", failed)
	}
	if r.count() != 1 || len(*x.waits) != 0 {
		t.Fatalf("%d requests, %d waits; want no retry that cannot finish in time", r.count(), len(*x.waits))
	}
}

func TestDeliverRejectsBadMessages(t *testing.T) {
	r := newReceiver(t, k1)
	x := newHarness(t, r, k1)
	failed := run(t, x.h, context.Background(), messageOf("m-1", "not json"), messageOf("m-2", `{"id":"e-2"}`))
	if !slices.Equal(failed, []string{"m-1", "m-2"}) || r.count() != 0 {
		t.Fatalf("failed = %v after %d requests", failed, r.count())
	}
}

func TestDeliverRefusesEventsOfAnotherProducer(t *testing.T) {
	r := newReceiver(t, k1)
	x := newHarness(t, r, k1)
	forged := strings.Replace(eventBody, `"source":"stratum.inventory"`, `"source":"stratum.accounts"`, 1)
	unknown := strings.Replace(eventBody, `"type":"InventoryChanged"`, `"type":"PaymentMade"`, 1)
	accountEvent := `{"id":"e-2","type":"AccountDisconnected","version":1,"source":"stratum.inventory","time":"2026-03-04T05:06:07.089Z","correlationId":"c-2","data":{"accountId":"aws-111122223333","tenantId":"t-1"}}`
	failed := run(t, x.h, context.Background(), messageOf("m-1", forged), messageOf("m-2", unknown), messageOf("m-3", accountEvent))
	if !slices.Equal(failed, []string{"m-1", "m-2", "m-3"}) || r.count() != 0 {
		t.Fatalf("failed = %v after %d requests, want every event refused before delivery", failed, r.count())
	}
	ok := strings.Replace(accountEvent, `"source":"stratum.inventory"`, `"source":"stratum.accounts"`, 1)
	if failed := run(t, x.h, context.Background(), messageOf("m-4", ok)); len(failed) != 0 || r.count() != 1 {
		t.Fatalf("failed = %v after %d requests, want the accounts context's event delivered", failed, r.count())
	}
}

func TestParseEndpoint(t *testing.T) {
	if got, err := parseEndpoint("https://hooks.example.com/stratum?v=1"); err != nil || got != "https://hooks.example.com/stratum?v=1" {
		t.Fatalf("parseEndpoint = %q, %v", got, err)
	}
	for _, raw := range []string{"", "http://hooks.example.com/", "HTTP://x", "ftp://x", "https://", "https:///path", "hooks.example.com", "https://user:pw@hooks.example.com/", "://x"} {
		if _, err := parseEndpoint(raw); err == nil {
			t.Errorf("parseEndpoint(%q) accepted", raw)
		}
	}
}

func TestNewHandlerRefusesAnInsecureEndpoint(t *testing.T) {
	_, err := newHandler(lambdakit.Setup{Env: map[string]string{"ENDPOINT_URL": "http://x", "SECRET_ARN": "arn"}})
	if err == nil || !strings.HasPrefix(err.Error(), "ENDPOINT_URL: ") {
		t.Fatalf("err = %v, want the endpoint refused", err)
	}
	h, err := newHandler(lambdakit.Setup{Env: map[string]string{"ENDPOINT_URL": "https://hooks.example.com/", "SECRET_ARN": "arn"}})
	if err != nil || h.endpoint != "https://hooks.example.com/" || h.secret.SecretID() != "arn" {
		t.Fatalf("newHandler = %+v, %v", h, err)
	}
}
