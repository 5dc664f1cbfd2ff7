package secret_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/secret"
	"github.com/stratum-platform/stratum/platform/lambdakit/secret/secrettest"
)

// counter is a deterministic source of "random" bytes: 0, 1, 2, ...
type counter struct{ n byte }

func (c *counter) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = c.n
		c.n++
	}
	return len(p), nil
}

func quiet() context.Context {
	return lambdakit.WithLogger(context.Background(), slog.New(slog.DiscardHandler))
}

// rotate runs the four steps of a rotation to version token, as Secrets Manager does.
func rotate(t *testing.T, r *secret.Rotator, store *secrettest.Store, token string) {
	t.Helper()
	store.StartRotation(token)
	for _, step := range []string{secret.StepCreate, secret.StepSet, secret.StepTest, secret.StepFinish} {
		require.NoError(t, r.Handle(quiet(), event(step, token)), step)
	}
}

func event(step, token string) events.SecretsManagerSecretRotationEvent {
	return events.SecretsManagerSecretRotationEvent{Step: step, SecretID: arn, ClientRequestToken: token}
}

func TestRotationKeepsTheOldKeyAsPrevious(t *testing.T) {
	store := secrettest.New(arn)
	r := &secret.Rotator{Client: store, SecretArn: arn, Random: &counter{}}

	// The secret is created without a value; the first rotation gives it one.
	rotate(t, r, store, "t1")
	id, first := store.Stage(secret.StageCurrent)
	assert.Equal(t, "t1", id)
	raw, err := base64.RawURLEncoding.DecodeString(first)
	require.NoError(t, err)
	assert.Len(t, raw, secret.KeyBytes, "32 random bytes")
	assert.Len(t, first, 43)
	prev, _ := store.Stage(secret.StagePrevious)
	assert.Empty(t, prev)

	// A signer caches the first key; the secret rotates under it.
	signer := secret.New(store, arn, secret.Options{})
	held, err := signer.Current(context.Background())
	require.NoError(t, err)
	rotate(t, r, store, "t2")
	id, second := store.Stage(secret.StageCurrent)
	assert.Equal(t, "t2", id)
	assert.NotEqual(t, first, second)
	prev, old := store.Stage(secret.StagePrevious)
	assert.Equal(t, "t1", prev)
	assert.Equal(t, first, old)

	// The receiver accepts the stale signer's key (AWSPREVIOUS) and the new one.
	receiver := secret.New(store, arn, secret.Options{})
	for _, key := range []string{string(held.Value), second} {
		ok, err := receiver.Verify(context.Background(), verifier(sign(key, "body"), "body"))
		require.NoError(t, err)
		assert.True(t, ok)
	}
	// After the next rotation the first key is gone for good.
	rotate(t, r, store, "t3")
	ok, err := secret.New(store, arn, secret.Options{}).Verify(context.Background(), verifier(sign(first, "body"), "body"))
	require.NoError(t, err)
	assert.False(t, ok)
}

func TestRotationStepsAreIdempotent(t *testing.T) {
	store := secrettest.New(arn)
	r := &secret.Rotator{Client: store, SecretArn: arn, Random: &counter{}}
	store.StartRotation("t1")
	require.NoError(t, r.Handle(quiet(), event(secret.StepCreate, "t1")))
	_, pending := store.Stage(secret.StagePending)
	require.NoError(t, r.Handle(quiet(), event(secret.StepCreate, "t1")), "a retried createSecret")
	_, again := store.Stage(secret.StagePending)
	assert.Equal(t, pending, again, "keeps the key it wrote")
	assert.Equal(t, 1, store.Calls("PutSecretValue"))
	for range 2 {
		require.NoError(t, r.Handle(quiet(), event(secret.StepFinish, "t1")))
	}
	id, current := store.Stage(secret.StageCurrent)
	assert.Equal(t, "t1", id)
	assert.Equal(t, pending, current)
	assert.Equal(t, 1, store.Calls("UpdateSecretVersionStage"), "a retried finishSecret finds the version current")
}

func TestRotationRefuses(t *testing.T) {
	other := "arn:aws:secretsmanager:eu-west-1:111111111111:secret:acme-dev-orders-other-XyZ123"
	for _, tc := range []struct {
		name  string
		setup func(*secrettest.Store, *secret.Rotator)
		event events.SecretsManagerSecretRotationEvent
		want  string
	}{
		{"another secret", nil, events.SecretsManagerSecretRotationEvent{Step: secret.StepCreate, SecretID: other, ClientRequestToken: "t1"},
			`rotation of "` + other + `" refused: this function rotates ` + arn + ` only`},
		{"no token", nil, event(secret.StepCreate, ""), "secret " + arn + ": createSecret: the event has no ClientRequestToken"},
		{"rotation off", func(s *secrettest.Store, _ *secret.Rotator) { s.DisableRotation() }, event(secret.StepCreate, "t1"),
			"secret " + arn + ": createSecret: rotation is not enabled on the secret"},
		{"unknown version", nil, event(secret.StepCreate, "t9"), "secret " + arn + ": createSecret: the secret has no version t9"},
		{"not pending", func(s *secrettest.Store, _ *secret.Rotator) { s.Put("t0", strings.Repeat("k", 40), "LEGACY") },
			event(secret.StepCreate, "t0"), "secret " + arn + ": createSecret: version t0 is not AWSPENDING"},
		{"unknown step", nil, event("deleteSecret", "t1"),
			`secret ` + arn + `: unknown step "deleteSecret"; want createSecret, setSecret, testSecret or finishSecret`},
		{"weak pending key", func(s *secrettest.Store, _ *secret.Rotator) { s.Put("t1", "short", secret.StagePending) },
			event(secret.StepTest, "t1"), "secret " + arn + ": testSecret: version t1: the value is 5 bytes; a key has at least 32"},
		{"no randomness", func(_ *secrettest.Store, r *secret.Rotator) { r.Random = bytes.NewReader(nil) },
			event(secret.StepCreate, "t1"), "secret " + arn + ": createSecret: generate a key: EOF"},
		{"no randomness at all", func(_ *secrettest.Store, r *secret.Rotator) { r.Random = nil },
			event(secret.StepCreate, "t1"), "secret " + arn + ": createSecret: generate a key: no source of randomness"},
		{"test before create", nil, event(secret.StepTest, "t1"), "secret " + arn + ": testSecret: get secret value of version t1: ResourceNotFoundException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := secrettest.New(arn)
			store.StartRotation("t1")
			r := &secret.Rotator{Client: store, SecretArn: arn, Random: &counter{}}
			if tc.setup != nil {
				tc.setup(store, r)
			}
			err := r.Handle(quiet(), tc.event)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), tc.want), "got %v\nwant %s", err, tc.want)
			assert.Zero(t, store.Calls("PutSecretValue")+store.Calls("UpdateSecretVersionStage"), "nothing changed")
		})
	}
}

func TestRotationFailsWhenSecretsManagerDoes(t *testing.T) {
	store := secrettest.New(arn)
	store.StartRotation("t1")
	store.Fail(errors.New("AccessDeniedException"))
	r := &secret.Rotator{Client: store, SecretArn: arn, Random: &counter{}}
	assert.EqualError(t, r.Handle(quiet(), event(secret.StepCreate, "t1")),
		"secret "+arn+": createSecret: describe secret: AccessDeniedException")
}

func TestGenerate(t *testing.T) {
	k, err := secret.Generate(&counter{})
	require.NoError(t, err)
	assert.Equal(t, base64.RawURLEncoding.EncodeToString([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
		17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31}), k)
	_, err = secret.Generate(io.LimitReader(&counter{}, 31))
	assert.EqualError(t, err, "generate a key: unexpected EOF")
	assert.NoError(t, secret.Check([]byte(k)))
}
