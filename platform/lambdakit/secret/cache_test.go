package secret_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/lambdakit/secret"
	"github.com/stratum-platform/stratum/platform/lambdakit/secret/secrettest"
)

const arn = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:acme-dev-orders-signing-AbCdEf"

// Keys of at least secret.MinBytes bytes, and one too short.
var (
	key1  = strings.Repeat("1", secret.MinBytes)
	key2  = strings.Repeat("2", secret.MinBytes+11)
	key3  = strings.Repeat("3", secret.MinBytes)
	short = strings.Repeat("s", secret.MinBytes-1)
)

// clock is a settable time.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock               { return &clock{t: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)} }

// sign is the signer's HMAC-SHA256 of msg with key.
func sign(key, msg string) []byte {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// verifier is what a receiver passes to Verify: does key make sig of msg?
func verifier(sig []byte, msg string) func([]byte) bool {
	return func(key []byte) bool { return hmac.Equal(sig, sign(string(key), msg)) }
}

func TestCurrentIsCachedForTheTTL(t *testing.T) {
	store, c := secrettest.New(arn), newClock()
	store.Put("v1", key1, secret.StageCurrent)
	cache := secret.New(store, arn, secret.Options{Now: c.now})

	v, err := cache.Current(context.Background())
	require.NoError(t, err)
	assert.Equal(t, secret.Version{ID: "v1", Value: []byte(key1)}, v)
	store.Put("v2", key2, secret.StageCurrent)
	c.add(secret.DefaultTTL - time.Second)
	v, err = cache.Current(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "v1", v.ID, "within the TTL")
	assert.Equal(t, 1, store.Calls("GetSecretValue"))

	c.add(time.Second)
	v, err = cache.Current(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "v2", v.ID, "after the TTL")
	assert.Equal(t, 2, store.Calls("GetSecretValue"))
}

func TestCurrentRefusesAShortKey(t *testing.T) {
	store := secrettest.New(arn)
	store.Put("v1", short, secret.StageCurrent)
	_, err := secret.New(store, arn, secret.Options{}).Current(context.Background())
	assert.EqualError(t, err, "secret "+arn+": AWSCURRENT version v1: the value is 31 bytes; a key has at least 32")
	assert.NotContains(t, err.Error(), short, "an error never shows the value")
}

func TestCurrentFailures(t *testing.T) {
	store := secrettest.New(arn)
	_, err := secret.New(store, arn, secret.Options{}).Current(context.Background())
	assert.ErrorContains(t, err, "secret "+arn+": AWSCURRENT: get secret value: ResourceNotFoundException")
	store.Fail(errors.New("AccessDeniedException"))
	_, err = secret.New(store, arn, secret.Options{}).Current(context.Background())
	assert.EqualError(t, err, "secret "+arn+": AWSCURRENT: get secret value: AccessDeniedException")
}

func TestRefreshReadsAgainAtMostOncePerInterval(t *testing.T) {
	store, c := secrettest.New(arn), newClock()
	store.Put("v1", key1, secret.StageCurrent)
	cache := secret.New(store, arn, secret.Options{Now: c.now})
	ctx := context.Background()
	_, err := cache.Current(ctx)
	require.NoError(t, err)

	store.Put("v2", key2, secret.StageCurrent)
	v, err := cache.Refresh(ctx)
	require.NoError(t, err)
	assert.Equal(t, "v2", v.ID, "a refresh ignores the TTL")

	store.Put("v3", key3, secret.StageCurrent)
	c.add(secret.MinRefreshInterval - time.Second)
	v, err = cache.Refresh(ctx)
	require.NoError(t, err)
	assert.Equal(t, "v2", v.ID, "a second refresh within the interval answers from the cache")
	assert.Equal(t, 2, store.Calls("GetSecretValue"))

	c.add(time.Second)
	v, err = cache.Refresh(ctx)
	require.NoError(t, err)
	assert.Equal(t, "v3", v.ID)
}

func TestVerifyAcceptsCurrentAndPrevious(t *testing.T) {
	store, c := secrettest.New(arn), newClock()
	store.Put("v1", key1, secret.StageCurrent)
	store.Put("v2", key2, secret.StageCurrent) // v1 becomes AWSPREVIOUS
	cache := secret.New(store, arn, secret.Options{Now: c.now})
	ctx := context.Background()

	for _, key := range []string{key1, key2} {
		ok, err := cache.Verify(ctx, verifier(sign(key, "body"), "body"))
		require.NoError(t, err)
		assert.True(t, ok)
	}
	assert.Equal(t, 2, store.Calls("GetSecretValue"), "both keys read once")

	ok, err := cache.Verify(ctx, verifier(sign(key3, "body"), "body"))
	require.NoError(t, err)
	assert.False(t, ok, "a key the secret never held")
	assert.Equal(t, 4, store.Calls("GetSecretValue"), "one second chance: both keys read again")
	for range 100 {
		ok, err = cache.Verify(ctx, verifier(sign(key3, "body"), "body"))
		require.NoError(t, err)
		assert.False(t, ok)
	}
	assert.Equal(t, 4, store.Calls("GetSecretValue"), "bad signatures do not turn into reads")
}

func TestVerifyFollowsARotationTheCacheMissed(t *testing.T) {
	store, c := secrettest.New(arn), newClock()
	store.Put("v1", key1, secret.StageCurrent)
	cache := secret.New(store, arn, secret.Options{Now: c.now})
	ctx := context.Background()
	ok, err := cache.Verify(ctx, verifier(sign(key1, "m"), "m"))
	require.NoError(t, err)
	require.True(t, ok)

	store.Put("v2", key2, secret.StageCurrent)
	ok, err = cache.Verify(ctx, verifier(sign(key2, "m"), "m"))
	require.NoError(t, err)
	assert.True(t, ok, "a signer that already has the rotated key is accepted after one read")
	ok, err = cache.Verify(ctx, verifier(sign(key1, "m"), "m"))
	require.NoError(t, err)
	assert.True(t, ok, "and one that still has the old key too")
}

func TestVerifyIgnoresAShortPreviousKey(t *testing.T) {
	store := secrettest.New(arn)
	store.Put("legacy", short, secret.StageCurrent)
	store.Put("v1", key1, secret.StageCurrent)
	cache := secret.New(store, arn, secret.Options{})
	ok, err := cache.Verify(context.Background(), verifier(sign(short, "m"), "m"))
	require.NoError(t, err)
	assert.False(t, ok, "a weak key from before the first rotation never verifies")
}

func TestVerifyFailsWhenTheSecretCannotBeRead(t *testing.T) {
	store := secrettest.New(arn)
	store.Put("v1", key1, secret.StageCurrent)
	store.Fail(errors.New("ThrottlingException"))
	_, err := secret.New(store, arn, secret.Options{}).Verify(context.Background(), func([]byte) bool { return true })
	assert.EqualError(t, err, "secret "+arn+": AWSCURRENT: get secret value: ThrottlingException")
}
