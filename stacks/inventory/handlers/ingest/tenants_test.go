package main

import (
	"testing"
)

// The interleavings of issue 10: tenant A removes AWS account X, tenant B registers X. Each
// test checks that A's data never lands in, or stays readable from, B's partition, and that
// one tenant's events never remove another tenant's registration. (The scan that writes A's
// resources back while this happens is in the scan's tests.)

// TestOtherTenantConnectsBeforeTheDisconnect: B's AccountConnected arrives before A's
// AccountDisconnected.
func TestOtherTenantConnectsBeforeTheDisconnect(t *testing.T) {
	db := newFakeDB()
	h := newHandler(db)
	mustHandle(t, h, connected(t, "a1", "A", g1, "pending"), connected(t, "a2", "A", g1, "active"))
	db.addResources("A", accountX, "arn:aws:s3:::a-secret")

	// B's registration is pending: it proves nothing, so it must not touch A's data either
	// (or anyone could wipe an owner's inventory by naming its account id).
	mustHandle(t, h, connected(t, "b1", "B", g2, "pending"))
	if db.count("A", accountX) != 1 || db.count("B", accountX) != 0 {
		t.Fatalf("after B's pending registration: A has %d resources, B %d; want 1 and 0", db.count("A", accountX), db.count("B", accountX))
	}
	// B's registration becomes the account's active one: the previous tenant's resources go.
	mustHandle(t, h, connected(t, "b2", "B", g2, "active"))
	if db.count("A", accountX) != 0 {
		t.Fatal("A's resources survived B's claim of the account")
	}
	if a, _ := db.account("A", accountX); a.Disconnected() {
		t.Error("B's event tombstoned A's registration; only A's own AccountDisconnected may")
	}
	// A's AccountDisconnected, late, removes A's registration and nothing of B's.
	db.addResources("B", accountX, "arn:aws:s3:::b-own")
	mustHandle(t, h, disconnected(t, "a3", "A", g1))
	if a, _ := db.account("A", accountX); !a.Disconnected() {
		t.Error("A's registration is not tombstoned")
	}
	if b, _ := db.account("B", accountX); b.Disconnected() || b.Status != "active" || db.count("B", accountX) != 1 {
		t.Errorf("A's disconnect changed B's registration %+v or its %d resources", b, db.count("B", accountX))
	}
}

// TestDisconnectLostOrDeadLettered: A's AccountDisconnected never arrives (it sits in the
// dead-letter queue). B's claim still removes A's resources, and B's partition never holds
// them.
func TestDisconnectLostOrDeadLettered(t *testing.T) {
	db := newFakeDB()
	h := newHandler(db)
	mustHandle(t, h, connected(t, "a1", "A", g1, "active"))
	db.addResources("A", accountX, "arn:aws:s3:::a-secret", "arn:aws:s3:::a-other")

	mustHandle(t, h, connected(t, "b1", "B", g2, "pending"), connected(t, "b2", "B", g2, "active"))
	if db.count("B", accountX) != 0 || db.count("A", accountX) != 0 {
		t.Fatalf("B has %d resources, A %d; want none of A's anywhere", db.count("B", accountX), db.count("A", accountX))
	}
	// A redelivery of B's claim (say the deletion had failed) deletes again, and is safe.
	db.addResources("A", accountX, "arn:aws:s3:::a-written-back")
	mustHandle(t, h, connected(t, "b2", "B", g2, "active"))
	if db.count("A", accountX) != 0 {
		t.Fatal("a redelivered claim did not finish the deletion")
	}
}

// TestDisconnectOfOneTenantLeavesAnother: A's AccountDisconnected arrives while B holds a
// registration of the same account; B's registration and resources stay.
func TestDisconnectOfOneTenantLeavesAnother(t *testing.T) {
	db := newFakeDB()
	h := newHandler(db)
	mustHandle(t, h, connected(t, "b1", "B", g1, "active"))
	db.addResources("B", accountX, "arn:aws:s3:::b-own")
	// A's registration (pending, never proven) is removed; its disconnect carries a later
	// generation than B's registration, which must not matter.
	mustHandle(t, h, connected(t, "a1", "A", g2, "pending"), disconnected(t, "a2", "A", g2))
	if b, _ := db.account("B", accountX); b.Disconnected() || db.count("B", accountX) != 1 {
		t.Fatalf("A's disconnect removed B's registration %+v or its resources", b)
	}
	// A disconnect that names B's tenant but another generation is not B's either.
	mustHandle(t, h, disconnected(t, "x1", "B", g1-1))
	if b, _ := db.account("B", accountX); b.Disconnected() || db.count("B", accountX) != 1 {
		t.Fatalf("a disconnect of an older registration removed B's current one %+v", b)
	}
}
