package main

import (
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit/api"
	"github.com/stratum-platform/stratum/platform/lambdakit/envelope"
	"github.com/stratum-platform/stratum/stacks/accounts/contract"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/account"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/fake"
)

const (
	tableName = "accounts-dev"
	indexName = "byAccountId"
	topicArn  = "arn:aws:sns:eu-west-1:111122223333:accounts-events"
	body      = `{"name":"Production","provider":"aws","externalAccountId":"123456789012"}`
)

var errBroken = errors.New("broken")

// repeatReader reads as an endless run of one byte, so external ids are predictable.
type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

func newHandler() (*handler, *fake.Table, *fake.Topic) {
	db := fake.NewTable(tableName, indexName)
	topic := fake.NewTopic(topicArn)
	return &handler{
		db:     db,
		events: topic,
		table:  tableName,
		index:  indexName,
		topic:  topicArn,
		now:    func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 600, time.UTC) },
		random: repeatReader(0xab),
	}, db, topic
}

func post(tenant, body string) events.APIGatewayV2HTTPRequest {
	req := fake.Request("accounts:write", tenant)
	req.Body = body
	return req
}

func wantAccount() account.Account {
	return account.Account{
		TenantID:          "t-1",
		AccountID:         "aws-123456789012",
		Name:              "Production",
		Provider:          "aws",
		ExternalAccountID: "123456789012",
		RoleArn:           "arn:aws:iam::123456789012:role/stratum-inventory-reader",
		ExternalID:        strings.Repeat("ab", 16),
		CreatedAt:         time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}
}

func handle(t *testing.T, h *handler, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, string) {
	t.Helper()
	ctx, logs := fake.Context()
	resp, err := h.Handle(ctx, req)
	if err != nil {
		t.Fatalf("Handle() error = %v; an API handler answers errors with a response", err)
	}
	return resp, logs.String()
}

func decode[T any](t *testing.T, resp events.APIGatewayV2HTTPResponse) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(resp.Body), &v); err != nil {
		t.Fatalf("response body %q: %v", resp.Body, err)
	}
	return v
}

func TestRegister(t *testing.T) {
	h, db, topic := newHandler()

	resp, _ := handle(t, h, post("t-1", body))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("status = %d, want 201; body %s", resp.StatusCode, resp.Body)
	}
	if got := resp.Headers["Location"]; got != "/accounts/aws-123456789012" {
		t.Errorf("Location = %q, want /accounts/aws-123456789012", got)
	}
	if got := decode[account.Account](t, resp); got != wantAccount() {
		t.Errorf("body = %+v, want %+v", got, wantAccount())
	}
	for _, field := range []string{`"accountId"`, `"externalAccountId"`, `"roleArn"`, `"externalId"`, `"createdAt":"2026-01-02T03:04:05Z"`} {
		if !strings.Contains(resp.Body, field) {
			t.Errorf("body %s has no %s", resp.Body, field)
		}
	}
	if db.Item("t-1", "aws-123456789012") == nil {
		t.Error("account not stored")
	}

	sent := topic.Envelopes(t)
	if len(sent) != 1 {
		t.Fatalf("%d events published, want 1", len(sent))
	}
	if sent[0].CorrelationID != "req-1" {
		t.Errorf("correlation id = %q, want req-1", sent[0].CorrelationID)
	}
	got, err := envelope.Decode[contract.AccountConnected](sent[0], contract.AccountConnectedType, contract.AccountConnectedVersion)
	if err != nil {
		t.Fatal(err)
	}
	want := contract.AccountConnected{
		Version:           1,
		AccountID:         "aws-123456789012",
		TenantID:          "t-1",
		Name:              "Production",
		Provider:          "aws",
		ExternalAccountID: "123456789012",
		ConnectedAt:       time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}
	if got != want {
		t.Errorf("event data = %+v, want %+v", got, want)
	}
}

func TestRegisterTwice(t *testing.T) {
	h, db, topic := newHandler()
	first, _ := handle(t, h, post("t-1", body))

	// The retry draws another external id; the stored one must win.
	h.random = repeatReader(0xcd)
	second, _ := handle(t, h, post("t-1", body))
	if second.StatusCode != http.StatusOK || second.Body != first.Body {
		t.Errorf("retry = %d %s, want 200 %s", second.StatusCode, second.Body, first.Body)
	}
	if _, ok := second.Headers["Location"]; ok {
		t.Error("retry has a Location header, want none: nothing was created")
	}
	if n := len(topic.Envelopes(t)); n != 1 {
		t.Errorf("%d events published, want 1", n)
	}
	if db.Len() != 1 {
		t.Errorf("table has %d items, want 1", db.Len())
	}
}

func TestRegisterHeldByAnotherTenant(t *testing.T) {
	h, db, topic := newHandler()
	other := wantAccount()
	other.TenantID = "t-2"
	db.Seed(t, other)

	resp, _ := handle(t, h, post("t-1", body))
	p := decode[api.Problem](t, resp)
	if resp.StatusCode != http.StatusConflict || p.Detail != `account "aws-123456789012" is registered by another tenant: conflict` {
		t.Errorf("response = %d %s, want 409", resp.StatusCode, resp.Body)
	}
	if db.Calls(fake.PutItem) != 0 || len(topic.Envelopes(t)) != 0 {
		t.Error("a conflicting registration was written or announced")
	}
}

func TestRegisterInvalid(t *testing.T) {
	tests := map[string]struct {
		body string
		want map[string]string
	}{
		"empty body":      {"", map[string]string{"body": "is required"}},
		"not json":        {"{", map[string]string{"body": "is not valid JSON (it ends early)"}},
		"role given":      {`{"name":"P","provider":"aws","externalAccountId":"123456789012","roleArn":"arn:aws:iam::1:role/x"}`, map[string]string{"body": `has unknown field "roleArn"`}},
		"wrong type":      {`{"name":1}`, map[string]string{"name": "must be a string"}},
		"invalid fields":  {`{"name":"","provider":"gcp","externalAccountId":"1234"}`, map[string]string{"name": "must have 1 to 100 characters, not only spaces", "provider": `must be "aws", got "gcp"`, "externalAccountId": `must be the 12 digits of an AWS account id, got "1234"`}},
		"missing account": {`{"name":"P","provider":"aws"}`, map[string]string{"externalAccountId": `must be the 12 digits of an AWS account id, got ""`}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			h, db, topic := newHandler()
			resp, _ := handle(t, h, post("t-1", tt.body))
			p := decode[api.Problem](t, resp)
			if resp.StatusCode != http.StatusBadRequest || !maps.Equal(p.Errors, tt.want) {
				t.Errorf("response = %d %v, want 400 %v", resp.StatusCode, p.Errors, tt.want)
			}
			if db.Calls(fake.Query)+db.Calls(fake.PutItem) != 0 || len(topic.Envelopes(t)) != 0 {
				t.Error("an invalid request reached the table or the topic")
			}
		})
	}
}

func TestRegisterForbidden(t *testing.T) {
	h, db, _ := newHandler()
	read := fake.Request("accounts:read", "t-1")
	read.Body = body
	for name, req := range map[string]events.APIGatewayV2HTTPRequest{
		"read scope only": read,
		"no tenant":       post("", body),
	} {
		resp, _ := handle(t, h, req)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: status = %d, want 403", name, resp.StatusCode)
		}
	}
	if db.Len() != 0 {
		t.Error("a forbidden request was written")
	}
}

func TestRegisterTableFails(t *testing.T) {
	for _, op := range []string{fake.Query, fake.PutItem} {
		t.Run(op, func(t *testing.T) {
			h, db, topic := newHandler()
			db.Fail(op, errBroken)
			resp, logs := handle(t, h, post("t-1", body))
			assertInternalError(t, resp, logs)
			if len(topic.Envelopes(t)) != 0 {
				t.Error("an unstored account was announced")
			}
		})
	}
}

func TestRegisterPublishFails(t *testing.T) {
	h, db, topic := newHandler()
	topic.Fail(errBroken)
	resp, logs := handle(t, h, post("t-1", body))
	assertInternalError(t, resp, logs)
	if !strings.Contains(logs, `registered but not announced`) {
		t.Errorf("logs %s do not say the account was not announced", logs)
	}
	if db.Len() != 1 {
		t.Fatal("the account is not stored")
	}

	// The known gap: the retry finds the account and does not announce it.
	topic.Fail(nil)
	resp, _ = handle(t, h, post("t-1", body))
	if resp.StatusCode != http.StatusOK || len(topic.Envelopes(t)) != 0 {
		t.Errorf("retry = %d with %d events, want 200 with none", resp.StatusCode, len(topic.Envelopes(t)))
	}
}

// assertInternalError checks that resp is a 500 that hides the error, and that the error
// was logged.
func assertInternalError(t *testing.T, resp events.APIGatewayV2HTTPResponse, logs string) {
	t.Helper()
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500; body %s", resp.StatusCode, resp.Body)
	}
	if strings.Contains(resp.Body, "broken") || strings.Contains(resp.Body, tableName) {
		t.Errorf("body %s leaks the internal error", resp.Body)
	}
	if !strings.Contains(logs, "broken") {
		t.Errorf("logs %s do not have the error", logs)
	}
}
