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
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/account"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/fake"
)

const (
	tableName  = "accounts-dev"
	claimsName = "claims-dev"
)

func stored(tenant string) account.Account {
	return account.Account{
		TenantID:          tenant,
		AccountID:         "aws-123456789012",
		Name:              "Production",
		Provider:          "aws",
		ExternalAccountID: "123456789012",
		RoleArn:           "arn:aws:iam::123456789012:role/stratum-dev-inventory-reader",
		ExternalID:        strings.Repeat("ab", 16),
		CreatedAt:         time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Status:            "active",
	}
}

func newHandler(t *testing.T) (*handler, *fake.Table) {
	db := fake.NewTable(tableName, claimsName)
	db.Seed(t, stored("t-1"))
	return &handler{db: db, table: tableName}, db
}

func get(scope, tenant, id string) events.APIGatewayV2HTTPRequest {
	req := fake.Request("GET /accounts/{accountId}", scope, tenant)
	req.PathParameters = map[string]string{"accountId": id}
	return req
}

// handle serves req behind the API's contract, as main does, and fails the test when the
// response does not match the contract.
func handle(t *testing.T, h *handler, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, string) {
	t.Helper()
	return fake.Serve(t, h.Handle, req)
}

func problem(t *testing.T, resp events.APIGatewayV2HTTPResponse) api.Problem {
	t.Helper()
	var p api.Problem
	if err := json.Unmarshal([]byte(resp.Body), &p); err != nil {
		t.Fatalf("response body %q: %v", resp.Body, err)
	}
	return p
}

func TestGet(t *testing.T) {
	h, _ := newHandler(t)
	resp, _ := handle(t, h, get("accounts:read", "t-1", "aws-123456789012"))
	if resp.StatusCode != http.StatusOK || resp.Headers["Content-Type"] != api.ContentTypeJSON {
		t.Fatalf("response = %d %v %s, want 200 JSON", resp.StatusCode, resp.Headers, resp.Body)
	}
	var got account.Account
	if err := json.Unmarshal([]byte(resp.Body), &got); err != nil || got != stored("t-1") {
		t.Errorf("body = %+v (%v), want %+v", got, err, stored("t-1"))
	}
}

func TestGetNotFound(t *testing.T) {
	h, _ := newHandler(t)
	for name, req := range map[string]events.APIGatewayV2HTTPRequest{
		"unknown account":        get("accounts:read", "t-1", "aws-210987654321"),
		"another tenant's":       get("accounts:read", "t-2", "aws-123456789012"),
		"asked twice, still not": get("accounts:read", "t-1", "aws-210987654321"),
	} {
		resp, _ := handle(t, h, req)
		if resp.StatusCode != http.StatusNotFound || resp.Headers["Content-Type"] != api.ContentTypeProblem {
			t.Errorf("%s: response = %d %s, want a 404 problem", name, resp.StatusCode, resp.Body)
		}
	}
}

func TestGetInvalid(t *testing.T) {
	h, db := newHandler(t)
	// The contract's validation answers before the handler runs.
	for id, field := range map[string]string{
		"":             "is required",
		"123456789012": `must match the pattern ^aws-[0-9]{12}$, got "123456789012"`,
		"aws-1":        `must match the pattern ^aws-[0-9]{12}$, got "aws-1"`,
	} {
		resp, _ := handle(t, h, get("accounts:read", "t-1", id))
		want := map[string]string{"accountId": field}
		if p := problem(t, resp); resp.StatusCode != http.StatusBadRequest || !maps.Equal(p.Errors, want) {
			t.Errorf("id %q: response = %d %s, want 400 %v", id, resp.StatusCode, resp.Body, want)
		}
	}
	if db.Calls(fake.GetItem) != 0 {
		t.Error("an invalid id reached the table")
	}
}

func TestGetForbidden(t *testing.T) {
	h, _ := newHandler(t)
	for name, req := range map[string]events.APIGatewayV2HTTPRequest{
		"write scope only": get("accounts:write", "t-1", "aws-123456789012"),
		"no tenant":        get("accounts:read", "", "aws-123456789012"),
	} {
		if resp, _ := handle(t, h, req); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: status = %d, want 403", name, resp.StatusCode)
		}
	}
}

func TestGetTableFails(t *testing.T) {
	h, db := newHandler(t)
	db.Fail(fake.GetItem, errors.New("broken"))
	resp, logs := handle(t, h, get("accounts:read", "t-1", "aws-123456789012"))
	if resp.StatusCode != http.StatusInternalServerError || strings.Contains(resp.Body, "broken") {
		t.Errorf("response = %d %s, want 500 without the error", resp.StatusCode, resp.Body)
	}
	if !strings.Contains(logs, "broken") {
		t.Errorf("logs %s do not have the error", logs)
	}
}
