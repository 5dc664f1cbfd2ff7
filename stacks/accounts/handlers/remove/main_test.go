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
	accountID = "aws-123456789012"
)

var errBroken = errors.New("broken")

func newHandler(t *testing.T) (*handler, *fake.Table, *fake.Topic) {
	db := fake.NewTable(tableName, indexName)
	db.Seed(t, account.Account{
		TenantID:          "t-1",
		AccountID:         accountID,
		Name:              "Production",
		Provider:          "aws",
		ExternalAccountID: "123456789012",
		RoleArn:           account.RoleArn("123456789012"),
		ExternalID:        strings.Repeat("ab", 16),
		CreatedAt:         time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	})
	topic := fake.NewTopic(topicArn)
	return &handler{
		db:     db,
		events: topic,
		table:  tableName,
		topic:  topicArn,
		now:    func() time.Time { return time.Date(2026, 2, 3, 4, 5, 6, 7_000_000, time.UTC) },
	}, db, topic
}

func remove(scope, tenant, id string) events.APIGatewayV2HTTPRequest {
	req := fake.Request(scope, tenant)
	req.PathParameters = map[string]string{"accountId": id}
	return req
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

func TestRemove(t *testing.T) {
	h, db, topic := newHandler(t)
	resp, _ := handle(t, h, remove("accounts:write", "t-1", accountID))
	if resp.StatusCode != http.StatusNoContent || resp.Body != "" {
		t.Fatalf("response = %d %q, want 204 without a body", resp.StatusCode, resp.Body)
	}
	if db.Item("t-1", accountID) != nil {
		t.Error("the account is still stored")
	}
	sent := topic.Envelopes(t)
	if len(sent) != 1 {
		t.Fatalf("%d events published, want 1", len(sent))
	}
	got, err := envelope.Decode[contract.AccountDisconnected](sent[0], contract.AccountDisconnectedType, contract.AccountDisconnectedVersion)
	want := contract.AccountDisconnected{
		Version:        1,
		AccountID:      accountID,
		TenantID:       "t-1",
		DisconnectedAt: time.Date(2026, 2, 3, 4, 5, 6, 7_000_000, time.UTC),
	}
	if err != nil || got != want {
		t.Errorf("event data = %+v (%v), want %+v", got, err, want)
	}
	if sent[0].CorrelationID != "req-1" {
		t.Errorf("correlation id = %q, want req-1", sent[0].CorrelationID)
	}
}

func TestRemoveTwice(t *testing.T) {
	h, _, topic := newHandler(t)
	handle(t, h, remove("accounts:write", "t-1", accountID))
	resp, _ := handle(t, h, remove("accounts:write", "t-1", accountID))
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("second response = %d %s, want 404", resp.StatusCode, resp.Body)
	}
	if n := len(topic.Envelopes(t)); n != 1 {
		t.Errorf("%d events published, want 1", n)
	}
}

func TestRemoveNotFound(t *testing.T) {
	h, db, topic := newHandler(t)
	for name, req := range map[string]events.APIGatewayV2HTTPRequest{
		"unknown account":  remove("accounts:write", "t-1", "aws-210987654321"),
		"another tenant's": remove("accounts:write", "t-2", accountID),
	} {
		resp, _ := handle(t, h, req)
		var p api.Problem
		_ = json.Unmarshal([]byte(resp.Body), &p)
		if resp.StatusCode != http.StatusNotFound || !strings.HasSuffix(p.Detail, ": not found") {
			t.Errorf("%s: response = %d %s, want 404", name, resp.StatusCode, resp.Body)
		}
	}
	if db.Item("t-1", accountID) == nil || len(topic.Envelopes(t)) != 0 {
		t.Error("another tenant's request deleted or announced the account")
	}
}

func TestRemoveInvalid(t *testing.T) {
	h, db, _ := newHandler(t)
	resp, _ := handle(t, h, remove("accounts:write", "t-1", "aws-12"))
	var p api.Problem
	_ = json.Unmarshal([]byte(resp.Body), &p)
	want := map[string]string{"accountId": `must be "aws-" followed by 12 digits, got "aws-12"`}
	if resp.StatusCode != http.StatusBadRequest || !maps.Equal(p.Errors, want) {
		t.Errorf("response = %d %s, want 400 %v", resp.StatusCode, resp.Body, want)
	}
	if db.Calls(fake.DeleteItem) != 0 {
		t.Error("an invalid id reached the table")
	}
}

func TestRemoveForbidden(t *testing.T) {
	h, db, _ := newHandler(t)
	for name, req := range map[string]events.APIGatewayV2HTTPRequest{
		"read scope only": remove("accounts:read", "t-1", accountID),
		"no tenant":       remove("accounts:write", "", accountID),
	} {
		if resp, _ := handle(t, h, req); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: status = %d, want 403", name, resp.StatusCode)
		}
	}
	if db.Item("t-1", accountID) == nil {
		t.Error("a forbidden request deleted the account")
	}
}

func TestRemoveTableFails(t *testing.T) {
	h, db, topic := newHandler(t)
	db.Fail(fake.DeleteItem, errBroken)
	resp, logs := handle(t, h, remove("accounts:write", "t-1", accountID))
	assertInternalError(t, resp, logs)
	if len(topic.Envelopes(t)) != 0 {
		t.Error("an account that was not deleted was announced")
	}
}

func TestRemovePublishFails(t *testing.T) {
	h, db, topic := newHandler(t)
	topic.Fail(errBroken)
	resp, logs := handle(t, h, remove("accounts:write", "t-1", accountID))
	assertInternalError(t, resp, logs)
	if !strings.Contains(logs, "removed but not announced") {
		t.Errorf("logs %s do not say the account was not announced", logs)
	}
	if db.Item("t-1", accountID) != nil {
		t.Error("the account is still stored")
	}
}

func assertInternalError(t *testing.T, resp events.APIGatewayV2HTTPResponse, logs string) {
	t.Helper()
	if resp.StatusCode != http.StatusInternalServerError || strings.Contains(resp.Body, "broken") {
		t.Errorf("response = %d %s, want 500 without the error", resp.StatusCode, resp.Body)
	}
	if !strings.Contains(logs, "broken") {
		t.Errorf("logs %s do not have the error", logs)
	}
}
