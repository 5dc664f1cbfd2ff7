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
	tableName = "accounts-dev"
	indexName = "byAccountId"
	accountID = "aws-123456789012"
)

func stored(tenant string) account.Account {
	return account.Account{
		TenantID:          tenant,
		AccountID:         accountID,
		Name:              "Production",
		Provider:          "aws",
		ExternalAccountID: "123456789012",
		RoleArn:           account.RoleArn("123456789012"),
		ExternalID:        strings.Repeat("ab", 16),
		CreatedAt:         time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}
}

func newHandler(t *testing.T) (*handler, *fake.Table) {
	db := fake.NewTable(tableName, indexName)
	db.Seed(t, stored("t-1"))
	return &handler{db: db, table: tableName, index: indexName}, db
}

func TestConnection(t *testing.T) {
	h, _ := newHandler(t)
	ctx, _ := fake.Context()
	want := contract.ConnectionResponse{
		AccountID:         accountID,
		Provider:          "aws",
		ExternalAccountID: "123456789012",
		RoleArn:           "arn:aws:iam::123456789012:role/stratum-inventory-reader",
		ExternalID:        strings.Repeat("ab", 16),
	}
	// A caller may retry an invocation: the answer must be the same.
	for range 2 {
		got, err := h.Handle(ctx, contract.ConnectionRequest{AccountID: accountID})
		if err != nil || got != want {
			t.Fatalf("Handle() = %+v, %v; want %+v", got, err, want)
		}
	}
}

func TestConnectionRefused(t *testing.T) {
	tests := map[string]struct {
		id     string
		tenant string // a second tenant holding the account, if any
		want   string
	}{
		"unknown account": {id: "aws-210987654321", want: "account aws-210987654321 not found"},
		"empty id":        {id: "", want: `invalid request: accountId: must be "aws-" followed by 12 digits, got ""`},
		"invalid id":      {id: "123456789012", want: `invalid request: accountId: must be "aws-" followed by 12 digits, got "123456789012"`},
		"two tenants":     {id: accountID, tenant: "t-2", want: "account aws-123456789012 is registered by more than one tenant"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			h, db := newHandler(t)
			if tt.tenant != "" {
				db.Seed(t, stored(tt.tenant))
			}
			ctx, _ := fake.Context()
			got, err := h.Handle(ctx, contract.ConnectionRequest{AccountID: tt.id})
			if err != nil || got != (contract.ConnectionResponse{Error: tt.want}) {
				t.Errorf("Handle() = %+v, %v; want only the error %q", got, err, tt.want)
			}
		})
	}
}

func TestConnectionTableFails(t *testing.T) {
	h, db := newHandler(t)
	broken := errors.New("broken")
	db.Fail(fake.Query, broken)
	ctx, _ := fake.Context()
	got, err := h.Handle(ctx, contract.ConnectionRequest{AccountID: accountID})
	if !errors.Is(err, broken) || got != (contract.ConnectionResponse{}) {
		t.Errorf("Handle() = %+v, %v; want a Lambda error wrapping %v", got, err, broken)
	}
}
