package main

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

	"github.com/stratum-platform/stratum/stacks/accounts/contract"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/account"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/fake"
)

const (
	tableName  = "accounts-dev"
	claimsName = "claims-dev"
	accountID  = "aws-123456789012"
	generation = 1767323045000
)

var now = time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)

func pending(tenant string) account.Account {
	return account.Account{
		TenantID: tenant, AccountID: accountID, Name: "Production", Provider: "aws",
		ExternalAccountID: "123456789012", RoleArn: "arn:aws:iam::123456789012:role/stratum-dev-inventory-reader",
		ExternalID: strings.Repeat("ab", 16), CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Status: "pending", Generation: generation,
	}
}

func newHandler(t *testing.T) (*handler, *fake.Table) {
	db := fake.NewTable(tableName, claimsName)
	db.Seed(t, pending("t-1"), pending("t-2"))
	return &handler{db: db, tables: account.Tables{Accounts: tableName, Claims: claimsName}, now: func() time.Time { return now }}, db
}

func call(t *testing.T, h *handler, req contract.ClaimRequest) contract.ClaimResponse {
	t.Helper()
	ctx, _ := fake.Context()
	got, err := h.Handle(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestClaim(t *testing.T) {
	h, db := newHandler(t)
	if got := call(t, h, contract.ClaimRequest{TenantID: "t-2", AccountID: accountID, Generation: generation}); !got.Claimed {
		t.Fatalf("first claim = %+v, want claimed", got)
	}
	// The other tenant stays pending and is told only that its claim did not happen.
	if got := call(t, h, contract.ClaimRequest{TenantID: "t-1", AccountID: accountID, Generation: generation}); got != (contract.ClaimResponse{}) {
		t.Errorf("second claim = %+v, want not claimed", got)
	}
	var c account.Claim
	if err := attributevalue.UnmarshalMap(db.Claim(accountID), &c); err != nil || c.TenantID != "t-2" || !c.ClaimedAt.Equal(now) {
		t.Errorf("claim = %+v (%v), want t-2's at %v", c, err, now)
	}
}

func TestClaimInvalid(t *testing.T) {
	h, db := newHandler(t)
	got := call(t, h, contract.ClaimRequest{AccountID: "aws-1"})
	want := `invalid request: accountId: must be "aws-" followed by 12 digits, got "aws-1"; generation: must be a registration's generation, above 0, got 0; tenantId: is required`
	if got.Claimed || got.Error != want {
		t.Errorf("Handle() = %+v, want the error %q", got, want)
	}
	if db.Calls(fake.TransactWriteItems) != 0 {
		t.Error("an invalid request reached the tables")
	}
}

func TestClaimFails(t *testing.T) {
	h, db := newHandler(t)
	broken := errors.New("broken")
	db.Fail(fake.TransactWriteItems, broken)
	ctx, _ := fake.Context()
	if _, err := h.Handle(ctx, contract.ClaimRequest{TenantID: "t-1", AccountID: accountID, Generation: generation}); !errors.Is(err, broken) {
		t.Errorf("Handle() = %v, want a Lambda error wrapping %v", err, broken)
	}
}
