package account_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/account"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/fake"
)

var claimedAt = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)

// stored returns tenant's registration of account id as the table holds it.
func stored(t *testing.T, db *fake.Table, tenant, id string) account.Account {
	t.Helper()
	var a account.Account
	if err := attributevalue.UnmarshalMap(db.Item(tenant, id), &a); err != nil {
		t.Fatal(err)
	}
	return a
}

func holder(t *testing.T, db *fake.Table, id string) (account.Claim, bool) {
	t.Helper()
	c, found, err := account.Holder(context.Background(), db, claimsName, id)
	if err != nil {
		t.Fatal(err)
	}
	return c, found
}

func claim(t *testing.T, db *fake.Table, a account.Account) bool {
	t.Helper()
	ok, err := account.ClaimAccount(context.Background(), db, tables, a.TenantID, a.AccountID, a.Generation, claimedAt)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestClaimFirstRegistrationWins(t *testing.T) {
	db := fake.NewTable(tableName, claimsName)
	a, b := sample("t-1", "123456789012"), sample("t-2", "123456789012")
	db.Seed(t, a, b)

	if !claim(t, db, b) {
		t.Fatal("the first claim was refused")
	}
	if claim(t, db, a) {
		t.Fatal("a second tenant claimed an account that is claimed")
	}
	if got := stored(t, db, "t-2", b.AccountID).Status; got != "active" {
		t.Errorf("claimer's status = %q, want active", got)
	}
	if got := stored(t, db, "t-1", a.AccountID).Status; got != "pending" {
		t.Errorf("other tenant's status = %q, want pending", got)
	}
	c, found := holder(t, db, a.AccountID)
	if want := (account.Claim{AccountID: a.AccountID, TenantID: "t-2", Generation: b.Generation, ClaimedAt: claimedAt}); !found || c != want {
		t.Errorf("claim = %+v, %t; want %+v", c, found, want)
	}
	// A retried claim that had succeeded says so again, and changes nothing.
	if !claim(t, db, b) {
		t.Error("a repeated claim of the holder was refused")
	}
}

func TestClaimConcurrently(t *testing.T) {
	db := fake.NewTable(tableName, claimsName)
	var regs []account.Account
	for i := range 8 {
		r := sample(fmt.Sprintf("t-%d", i), "123456789012")
		db.Seed(t, r)
		regs = append(regs, r)
	}
	won := make([]bool, len(regs))
	var wg sync.WaitGroup
	for i, r := range regs {
		wg.Go(func() {
			ok, err := account.ClaimAccount(context.Background(), db, tables, r.TenantID, r.AccountID, r.Generation, claimedAt)
			if err != nil {
				t.Error(err)
			}
			won[i] = ok
		})
	}
	wg.Wait()
	winners := 0
	for i, ok := range won {
		if ok {
			winners++
			if c, _ := holder(t, db, regs[i].AccountID); c.TenantID != regs[i].TenantID {
				t.Errorf("winner %s does not hold the claim %+v", regs[i].TenantID, c)
			}
		}
	}
	if winners != 1 {
		t.Errorf("%d claims won, want exactly 1", winners)
	}
}

func TestClaimNeedsTheRegistrationAsRead(t *testing.T) {
	db := fake.NewTable(tableName, claimsName)
	a := sample("t-1", "123456789012")
	db.Seed(t, a)

	stale := a
	stale.Generation--
	if claim(t, db, stale) {
		t.Error("a claim with an old generation won")
	}
	gone := sample("t-2", "123456789012")
	if claim(t, db, gone) {
		t.Error("a claim of a registration that does not exist won")
	}
	if _, found := holder(t, db, a.AccountID); found || stored(t, db, "t-1", a.AccountID).Status != "pending" {
		t.Error("a refused claim wrote something")
	}
}

func TestClaimFails(t *testing.T) {
	db := fake.NewTable(tableName, claimsName)
	a := sample("t-1", "123456789012")
	db.Seed(t, a)
	db.Fail(fake.TransactWriteItems, errBroken)
	if _, err := account.ClaimAccount(context.Background(), db, tables, "t-1", a.AccountID, a.Generation, claimedAt); !errors.Is(err, errBroken) {
		t.Errorf("ClaimAccount() = %v, want it to wrap %v", err, errBroken)
	}
}

func TestRemovePendingLeavesOtherTenants(t *testing.T) {
	ctx := context.Background()
	db := fake.NewTable(tableName, claimsName)
	a, b := sample("t-1", "123456789012"), sample("t-2", "123456789012")
	db.Seed(t, a, b)
	claim(t, db, b)

	got, err := account.Remove(ctx, db, tables, "t-1", a.AccountID)
	if err != nil || got != a {
		t.Fatalf("Remove() = %+v, %v; want %+v", got, err, a)
	}
	if db.Item("t-1", a.AccountID) != nil {
		t.Error("the registration is still stored")
	}
	if c, found := holder(t, db, a.AccountID); !found || c.TenantID != "t-2" || db.Item("t-2", b.AccountID) == nil {
		t.Error("removing one tenant's registration touched another tenant's registration or claim")
	}
	if _, err := account.Remove(ctx, db, tables, "t-1", a.AccountID); !errors.Is(err, lambdakit.ErrNotFound) {
		t.Errorf("second Remove() = %v, want not found", err)
	}
	if _, err := account.Remove(ctx, db, tables, "t-3", a.AccountID); !errors.Is(err, lambdakit.ErrNotFound) {
		t.Errorf("Remove() by a tenant without a registration = %v, want not found", err)
	}
}

func TestRemoveActiveReleasesTheClaim(t *testing.T) {
	db := fake.NewTable(tableName, claimsName)
	a, b := sample("t-1", "123456789012"), sample("t-2", "123456789012")
	db.Seed(t, a, b)
	claim(t, db, a)

	got, err := account.Remove(context.Background(), db, tables, "t-1", a.AccountID)
	if err != nil || got.Status != "active" {
		t.Fatalf("Remove() = %+v, %v; want the active registration", got, err)
	}
	if _, found := holder(t, db, a.AccountID); found {
		t.Fatal("the claim outlived its registration")
	}
	if !claim(t, db, b) {
		t.Error("the account cannot be claimed after its active registration was removed")
	}
}

// TestRemoveRacesAClaim lets the claim land between Remove's read (pending) and its delete:
// the delete must not leave a claim without a registration behind.
func TestRemoveRacesAClaim(t *testing.T) {
	db := fake.NewTable(tableName, claimsName)
	a := sample("t-1", "123456789012")
	db.Seed(t, a)
	db.Before(fake.DeleteItem, func() { claim(t, db, a) })

	got, err := account.Remove(context.Background(), db, tables, "t-1", a.AccountID)
	if err != nil || got.Status != "active" {
		t.Fatalf("Remove() = %+v, %v; want the registration as the claim left it", got, err)
	}
	if _, found := holder(t, db, a.AccountID); found || db.Item("t-1", a.AccountID) != nil {
		t.Error("the registration or its claim survived the removal")
	}
}

func TestRemoveFails(t *testing.T) {
	for _, op := range []string{fake.GetItem, fake.DeleteItem} {
		db := fake.NewTable(tableName, claimsName)
		db.Seed(t, sample("t-1", "123456789012"))
		db.Fail(op, errBroken)
		_, err := account.Remove(context.Background(), db, tables, "t-1", "aws-123456789012")
		if !errors.Is(err, errBroken) || errors.Is(err, lambdakit.ErrNotFound) {
			t.Errorf("%s: Remove() = %v, want it to wrap %v", op, err, errBroken)
		}
	}
}
