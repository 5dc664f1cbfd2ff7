package account_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/account"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/fake"
)

const (
	tableName  = "accounts-dev"
	claimsName = "claims-dev"
)

var tables = account.Tables{Accounts: tableName, Claims: claimsName}

var errBroken = errors.New("broken")

func sample(tenant, external string) account.Account {
	return account.Account{
		TenantID:          tenant,
		AccountID:         account.ID(external),
		Name:              "Account " + external,
		Provider:          "aws",
		ExternalAccountID: external,
		RoleArn:           "arn:aws:iam::" + external + ":role/stratum-dev-inventory-reader",
		ExternalID:        "0123456789abcdef0123456789abcdef",
		CreatedAt:         time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Status:            "pending",
		Generation:        time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).UnixMilli(),
	}
}

func TestCreate(t *testing.T) {
	ctx := context.Background()
	db := fake.NewTable(tableName, claimsName)
	a := sample("t-1", "123456789012")

	got, created, err := account.Create(ctx, db, tableName, a)
	if err != nil || !created || got != a {
		t.Fatalf("first Create() = %+v, %t, %v; want the account, true, nil", got, created, err)
	}

	// A retry with a new external id must return the stored one, unchanged.
	retry := a
	retry.ExternalID = "ffffffffffffffffffffffffffffffff"
	retry.Name = "Renamed"
	got, created, err = account.Create(ctx, db, tableName, retry)
	if err != nil || created || got != a {
		t.Fatalf("second Create() = %+v, %t, %v; want the stored account, false, nil", got, created, err)
	}
	if db.Len() != 1 {
		t.Errorf("table has %d items, want 1", db.Len())
	}
}

func TestCreateFails(t *testing.T) {
	db := fake.NewTable(tableName, claimsName)
	db.Fail(fake.PutItem, errBroken)
	_, _, err := account.Create(context.Background(), db, tableName, sample("t-1", "123456789012"))
	if !errors.Is(err, errBroken) {
		t.Errorf("Create() = %v, want it to wrap %v", err, errBroken)
	}
}

func TestGet(t *testing.T) {
	ctx := context.Background()
	db := fake.NewTable(tableName, claimsName)
	a := sample("t-1", "123456789012")
	db.Seed(t, a)

	got, err := account.Get(ctx, db, tableName, "t-1", a.AccountID)
	if err != nil || got != a {
		t.Fatalf("Get() = %+v, %v; want %+v", got, err, a)
	}
	_, err = account.Get(ctx, db, tableName, "t-2", a.AccountID)
	if !errors.Is(err, lambdakit.ErrNotFound) || err.Error() != `account "aws-123456789012": not found` {
		t.Errorf("Get() of another tenant = %v, want not found", err)
	}
	db.Fail(fake.GetItem, errBroken)
	_, err = account.Get(ctx, db, tableName, "t-1", a.AccountID)
	if !errors.Is(err, errBroken) || errors.Is(err, lambdakit.ErrNotFound) {
		t.Errorf("Get() = %v, want it to wrap %v", err, errBroken)
	}
}

func TestListPages(t *testing.T) {
	ctx := context.Background()
	db := fake.NewTable(tableName, claimsName)
	var want []string
	for i := range 5 {
		a := sample("t-1", fmt.Sprintf("10000000000%d", i))
		db.Seed(t, a)
		want = append(want, a.AccountID)
	}
	db.Seed(t, sample("t-2", "999999999999"))

	var got []string
	next := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("too many pages")
		}
		page, err := account.List(ctx, db, tableName, "t-1", 2, next)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page.Items {
			got = append(got, a.AccountID)
		}
		if page.Next == "" {
			break
		}
		next = page.Next
	}
	if !slices.Equal(got, want) {
		t.Errorf("listed %v, want %v", got, want)
	}
}

func TestListEmpty(t *testing.T) {
	page, err := account.List(context.Background(), fake.NewTable(tableName, claimsName), tableName, "t-1", 25, "")
	if err != nil || page.Items == nil || len(page.Items) != 0 || page.Next != "" {
		t.Errorf("List() = %+v, %v; want an empty, non-nil page", page, err)
	}
}

func TestListInvalidToken(t *testing.T) {
	ctx := context.Background()
	db := fake.NewTable(tableName, claimsName)
	db.Seed(t, sample("t-1", "100000000000"), sample("t-1", "100000000001"))
	page, err := account.List(ctx, db, tableName, "t-1", 1, "")
	if err != nil || page.Next == "" {
		t.Fatalf("List() = %+v, %v; want a next page", page, err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	tokens := map[string]string{
		"other tenant":    page.Next,
		"not base64":      "!!!",
		"not json":        enc([]byte("nope")),
		"unknown field":   enc([]byte(`{"tenantId":"t-2","accountId":"aws-100000000000","x":1}`)),
		"invalid account": enc([]byte(`{"tenantId":"t-2","accountId":"nope"}`)),
		"trailing data":   enc([]byte(`{"tenantId":"t-2","accountId":"aws-100000000000"} 1`)),
		"padded":          base64.URLEncoding.EncodeToString([]byte(`{"tenantId":"t-2","accountId":"aws-100000000000"}`)),
		"too long":        enc(make([]byte, 1000)),
	}
	want := map[string]string{"next": "is not a page token of this API; use the next of the previous page, or none for the first"}
	for name, token := range tokens {
		_, err := account.List(ctx, db, tableName, "t-2", 1, token)
		verr, ok := errors.AsType[*lambdakit.ValidationError](err)
		if !ok || !maps.Equal(verr.Fields, want) {
			t.Errorf("%s: List() = %v, want %v", name, err, want)
		}
	}
	if n := db.Calls(fake.Query); n != 1 {
		t.Errorf("%d queries, want 1: an invalid token must not reach the table", n)
	}
}

func TestListFails(t *testing.T) {
	db := fake.NewTable(tableName, claimsName)
	db.Fail(fake.Query, errBroken)
	if _, err := account.List(context.Background(), db, tableName, "t-1", 25, ""); !errors.Is(err, errBroken) {
		t.Errorf("List() = %v, want it to wrap %v", err, errBroken)
	}
}
