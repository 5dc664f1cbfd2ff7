package main

import (
	"errors"
	"strings"
	"testing"
	"time"

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

func stored(tenant, status string) account.Account {
	return account.Account{
		TenantID:          tenant,
		AccountID:         accountID,
		Name:              "Production",
		Provider:          "aws",
		ExternalAccountID: "123456789012",
		RoleArn:           "arn:aws:iam::123456789012:role/stratum-dev-inventory-reader",
		ExternalID:        strings.Repeat("ab", 16) + tenant,
		CreatedAt:         time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Status:            status,
		Generation:        generation,
	}
}

func newHandler() (*handler, *fake.Table) {
	db := fake.NewTable(tableName, claimsName)
	return &handler{db: db, tables: account.Tables{Accounts: tableName, Claims: claimsName}}, db
}

func want(tenant, status string) contract.ConnectionResponse {
	return contract.ConnectionResponse{
		TenantID:          tenant,
		AccountID:         accountID,
		Generation:        generation,
		Status:            status,
		Provider:          "aws",
		ExternalAccountID: "123456789012",
		RoleArn:           "arn:aws:iam::123456789012:role/stratum-dev-inventory-reader",
		ExternalID:        strings.Repeat("ab", 16) + tenant,
	}
}

func TestConnection(t *testing.T) {
	for name, tc := range map[string]struct {
		seed   func(*testing.T, *fake.Table)
		tenant string
		want   contract.ConnectionResponse
	}{
		"active registration": {
			seed: func(t *testing.T, db *fake.Table) {
				db.Seed(t, stored("t-1", "active"), stored("t-2", "pending"))
				db.SeedClaim(t, account.Claim{AccountID: accountID, TenantID: "t-1", Generation: generation})
			},
			tenant: "t-1", want: want("t-1", "active"),
		},
		// Every tenant's pending registration of an unclaimed account may try to prove it.
		"pending registration of an unclaimed account": {
			seed:   func(t *testing.T, db *fake.Table) { db.Seed(t, stored("t-1", "pending"), stored("t-2", "pending")) },
			tenant: "t-2", want: want("t-2", "pending"),
		},
	} {
		t.Run(name, func(t *testing.T) {
			h, db := newHandler()
			tc.seed(t, db)
			ctx, _ := fake.Context()
			// A caller may retry an invocation: the answer must be the same.
			for range 2 {
				got, err := h.Handle(ctx, contract.ConnectionRequest{TenantID: tc.tenant, AccountID: accountID})
				if err != nil || got != tc.want {
					t.Fatalf("Handle() = %+v, %v; want %+v", got, err, tc.want)
				}
			}
		})
	}
}

// TestConnectionRefused covers the answers without details: a tenant without a
// registration and a pending registration of an account another tenant holds are answered
// alike, so that the caller learns nothing about the other tenant.
func TestConnectionRefused(t *testing.T) {
	unavailable := "account aws-123456789012 has no usable registration of this tenant"
	tests := map[string]struct {
		req  contract.ConnectionRequest
		want string
	}{
		"no registration":         {req: contract.ConnectionRequest{TenantID: "t-3", AccountID: accountID}, want: unavailable},
		"another tenant holds it": {req: contract.ConnectionRequest{TenantID: "t-2", AccountID: accountID}, want: unavailable},
		"unknown account":         {req: contract.ConnectionRequest{TenantID: "t-1", AccountID: "aws-210987654321"}, want: "account aws-210987654321 has no usable registration of this tenant"},
		"empty request":           {want: `invalid request: accountId: must be "aws-" followed by 12 digits, got ""; tenantId: is required`},
		"invalid id":              {req: contract.ConnectionRequest{TenantID: "t-1", AccountID: "123456789012"}, want: `invalid request: accountId: must be "aws-" followed by 12 digits, got "123456789012"`},
		"no tenant":               {req: contract.ConnectionRequest{AccountID: accountID}, want: "invalid request: tenantId: is required"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			h, db := newHandler()
			db.Seed(t, stored("t-1", "active"), stored("t-2", "pending"))
			db.SeedClaim(t, account.Claim{AccountID: accountID, TenantID: "t-1", Generation: generation})
			ctx, _ := fake.Context()
			got, err := h.Handle(ctx, tt.req)
			if err != nil || got != (contract.ConnectionResponse{Error: tt.want}) {
				t.Errorf("Handle() = %+v, %v; want only the error %q", got, err, tt.want)
			}
		})
	}
}

func TestConnectionTableFails(t *testing.T) {
	h, db := newHandler()
	db.Seed(t, stored("t-1", "pending"))
	broken := errors.New("broken")
	db.Fail(fake.GetItem, broken)
	ctx, _ := fake.Context()
	got, err := h.Handle(ctx, contract.ConnectionRequest{TenantID: "t-1", AccountID: accountID})
	if !errors.Is(err, broken) || got != (contract.ConnectionResponse{}) {
		t.Errorf("Handle() = %+v, %v; want a Lambda error wrapping %v", got, err, broken)
	}
}
