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
	accountID  = "aws-123456789012"
)

var errBroken = errors.New("broken")

func registration(tenant, status string) account.Account {
	return account.Account{
		TenantID:          tenant,
		AccountID:         accountID,
		Name:              "Production",
		Provider:          "aws",
		ExternalAccountID: "123456789012",
		RoleArn:           "arn:aws:iam::123456789012:role/stratum-dev-inventory-reader",
		ExternalID:        strings.Repeat("ab", 16),
		CreatedAt:         time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Status:            status,
		Generation:        1767323045000,
	}
}

// newHandler returns a handler over t-1's active registration of the account.
func newHandler(t *testing.T) (*handler, *fake.Table) {
	db := fake.NewTable(tableName, claimsName)
	db.Seed(t, registration("t-1", "active"))
	db.SeedClaim(t, account.Claim{AccountID: accountID, TenantID: "t-1", Generation: 1767323045000})
	return &handler{db: db, tables: account.Tables{Accounts: tableName, Claims: claimsName}}, db
}

func remove(scope, tenant, id string) events.APIGatewayV2HTTPRequest {
	req := fake.Request("DELETE /accounts/{accountId}", scope, tenant)
	req.PathParameters = map[string]string{"accountId": id}
	return req
}

// handle serves req behind the API's contract, as main does, and fails the test when the
// response does not match the contract.
func handle(t *testing.T, h *handler, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, string) {
	t.Helper()
	return fake.Serve(t, h.Handle, req)
}

func TestRemove(t *testing.T) {
	h, db := newHandler(t)
	resp, _ := handle(t, h, remove("accounts:write", "t-1", accountID))
	if resp.StatusCode != http.StatusNoContent || resp.Body != "" {
		t.Fatalf("response = %d %q, want 204 without a body", resp.StatusCode, resp.Body)
	}
	if db.Item("t-1", accountID) != nil || db.Claim(accountID) != nil {
		t.Error("the registration or its claim is still stored")
	}
}

func TestRemoveTwice(t *testing.T) {
	h, _ := newHandler(t)
	handle(t, h, remove("accounts:write", "t-1", accountID))
	resp, _ := handle(t, h, remove("accounts:write", "t-1", accountID))
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("second response = %d %s, want 404", resp.StatusCode, resp.Body)
	}
}

// TestRemoveLeavesOtherTenants removes t-2's pending registration of an account that t-1
// holds: t-1's registration and claim must stay.
func TestRemoveLeavesOtherTenants(t *testing.T) {
	h, db := newHandler(t)
	db.Seed(t, registration("t-2", "pending"))
	if resp, _ := handle(t, h, remove("accounts:write", "t-2", accountID)); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("response = %d %s, want 204", resp.StatusCode, resp.Body)
	}
	if db.Item("t-2", accountID) != nil {
		t.Error("t-2's registration is still stored")
	}
	if db.Item("t-1", accountID) == nil || db.Claim(accountID) == nil {
		t.Error("a removal by t-2 deleted t-1's registration or claim")
	}
}

func TestRemoveNotFound(t *testing.T) {
	h, db := newHandler(t)
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
	if db.Item("t-1", accountID) == nil || db.Claim(accountID) == nil {
		t.Error("another tenant's request deleted the account")
	}
}

func TestRemoveInvalid(t *testing.T) {
	h, db := newHandler(t)
	resp, _ := handle(t, h, remove("accounts:write", "t-1", "aws-12"))
	var p api.Problem
	_ = json.Unmarshal([]byte(resp.Body), &p)
	want := map[string]string{"accountId": `must match the pattern ^aws-[0-9]{12}$, got "aws-12"`}
	if resp.StatusCode != http.StatusBadRequest || !maps.Equal(p.Errors, want) {
		t.Errorf("response = %d %s, want 400 %v", resp.StatusCode, resp.Body, want)
	}
	if db.Calls(fake.DeleteItem) != 0 {
		t.Error("an invalid id reached the table")
	}
}

func TestRemoveForbidden(t *testing.T) {
	h, db := newHandler(t)
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
	for _, op := range []string{fake.GetItem, fake.TransactWriteItems} {
		h, db := newHandler(t)
		db.Fail(op, errBroken)
		resp, logs := handle(t, h, remove("accounts:write", "t-1", accountID))
		assertInternalError(t, resp, logs)
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
