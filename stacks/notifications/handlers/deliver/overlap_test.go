package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stratum-platform/stratum/platform/lambdakit/secret"
)

// TestDeliverDuringTheOverlap: the receiver verifies as the runtime kit does, against the
// secret's AWSCURRENT and AWSPREVIOUS keys. Right after a rotation the handler's cache still
// holds the old key, and its deliveries are accepted without a refresh; once it holds the new
// key, they are accepted too.
func TestDeliverDuringTheOverlap(t *testing.T) {
	var verifier *secret.Cache // set once the harness has the secret
	var accepted, refused atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		ts, sig := parseSignature(req.Header.Get(headerSignature))
		ok, err := verifier.Verify(req.Context(), func(key []byte) bool {
			mac := hmac.New(sha256.New, key)
			mac.Write([]byte(ts + "."))
			mac.Write(body)
			return hmac.Equal(sig, mac.Sum(nil))
		})
		if err != nil || !ok {
			refused.Add(1)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		accepted.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	x := newHarness(t, &receiver{srv: srv}, k1)
	receiverClock := now
	verifier = secret.New(x.secrets, secretArn, secret.Options{Now: func() time.Time { return receiverClock }})

	if failed := run(t, x.h, context.Background(), messageOf("m-1", eventBody)); len(failed) != 0 {
		t.Fatalf("failed = %v before the rotation", failed)
	}
	before := x.reads()
	x.secrets.Put("v2", k2, secret.StageCurrent) // v1 becomes AWSPREVIOUS
	// The receiver's cache expires first: it now holds v2 as current and v1 as previous.
	receiverClock = receiverClock.Add(secret.DefaultTTL)
	if failed := run(t, x.h, context.Background(), messageOf("m-2", eventBody)); len(failed) != 0 {
		t.Fatalf("failed = %v with the previous key", failed)
	}
	if got := x.reads() - before; got != 2 {
		t.Fatalf("%d reads; want the receiver's two (current and previous) and none by the handler, whose "+
			"previous key is accepted", got)
	}
	*x.clock = x.clock.Add(secret.DefaultTTL)
	if failed := run(t, x.h, context.Background(), messageOf("m-3", eventBody)); len(failed) != 0 {
		t.Fatalf("failed = %v with the new key", failed)
	}
	if accepted.Load() != 3 || refused.Load() != 0 {
		t.Fatalf("%d accepted, %d refused; want every delivery accepted", accepted.Load(), refused.Load())
	}
}

// parseSignature splits "t=<t>,v1=<hex>".
func parseSignature(header string) (string, []byte) {
	var ts string
	var sig []byte
	for part := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig, _ = hex.DecodeString(v)
		}
	}
	return ts, sig
}
