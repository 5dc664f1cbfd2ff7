package secret

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// Cache timings: see the package's default settings.
const (
	DefaultTTL         = 5 * time.Minute
	MinRefreshInterval = 10 * time.Second
)

// API is the part of the Secrets Manager client that a Cache uses: reading a version by
// staging label, which is all the secret component's AllowRead grants.
type API interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// Options configures a Cache; the zero value gives the defaults.
type Options struct {
	// TTL is how long a version read is used before it is read again. Default: DefaultTTL.
	TTL time.Duration
	// Now is the clock. Default: time.Now.
	Now func() time.Time
}

// Cache reads one secret's versions and keeps them for a TTL. It is safe for concurrent
// use; a handler makes one at start-up and keeps it for the life of the execution
// environment.
type Cache struct {
	client API
	id     string
	ttl    time.Duration
	now    func() time.Time

	mu sync.Mutex
	// current and previous are the versions read at currentAt and previousAt; previous is
	// nil when the secret has no valid AWSPREVIOUS.
	current, previous     *Version
	currentAt, previousAt time.Time
	// forcedAt is when a read last bypassed the TTL (Refresh, Verify's second chance).
	forcedAt time.Time
}

// New returns a Cache of the secret secretID (its ARN, as the function's environment names
// it) read with client.
func New(client API, secretID string, opts Options) *Cache {
	c := &Cache{client: client, id: secretID, ttl: opts.TTL, now: opts.Now}
	if c.ttl <= 0 {
		c.ttl = DefaultTTL
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

// SecretID returns the secret the cache reads.
func (c *Cache) SecretID() string { return c.id }

// Current returns the AWSCURRENT version, the key to sign with, read again when the cached
// one is older than the TTL. Callers must not modify Value.
func (c *Cache) Current(ctx context.Context) (Version, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.current != nil && c.fresh(c.currentAt) {
		return *c.current, nil
	}
	return c.readCurrent(ctx)
}

// Refresh reads the AWSCURRENT version again whatever its age, as after a receiver refused a
// signature: the secret may have been rotated since it was cached. Within MinRefreshInterval
// of the last such read it returns the cached version instead; the caller sees the same ID and
// knows nothing changed.
func (c *Cache) Refresh(ctx context.Context) (Version, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.current != nil && !c.mayForce() {
		return *c.current, nil
	}
	c.forcedAt = c.now()
	// The previous version changes with the current one.
	c.previous, c.previousAt = nil, time.Time{}
	return c.readCurrent(ctx)
}

// Verify reports whether valid accepts one of the keys a signer may be using: AWSCURRENT or,
// during the overlap after a rotation, AWSPREVIOUS. When neither cached key is accepted it
// reads both again (at most once per MinRefreshInterval) and asks again: the signer may hold
// a key rotated after this cache read its own. valid must compare in constant time
// (hmac.Equal).
func (c *Cache) Verify(ctx context.Context, valid func(key []byte) bool) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys, err := c.keys(ctx, false)
	if err != nil {
		return false, err
	}
	if accepts(keys, valid) {
		return true, nil
	}
	if !c.mayForce() {
		return false, nil
	}
	c.forcedAt = c.now()
	if keys, err = c.keys(ctx, true); err != nil {
		return false, err
	}
	return accepts(keys, valid), nil
}

func accepts(keys []Version, valid func([]byte) bool) bool {
	for _, k := range keys {
		if valid(k.Value) {
			return true
		}
	}
	return false
}

// keys returns AWSCURRENT and, when the secret has a valid one, AWSPREVIOUS, read again
// when older than the TTL or when force is set.
func (c *Cache) keys(ctx context.Context, force bool) ([]Version, error) {
	if force || c.current == nil || !c.fresh(c.currentAt) {
		if _, err := c.readCurrent(ctx); err != nil {
			return nil, err
		}
	}
	if force || !c.fresh(c.previousAt) {
		if err := c.readPrevious(ctx); err != nil {
			return nil, err
		}
	}
	keys := []Version{*c.current}
	if c.previous != nil {
		keys = append(keys, *c.previous)
	}
	return keys, nil
}

func (c *Cache) fresh(at time.Time) bool { return !at.IsZero() && c.now().Sub(at) < c.ttl }

func (c *Cache) mayForce() bool {
	return c.forcedAt.IsZero() || c.now().Sub(c.forcedAt) >= MinRefreshInterval
}

// readCurrent reads AWSCURRENT into the cache; a value too short to be a key is an error.
func (c *Cache) readCurrent(ctx context.Context) (Version, error) {
	v, err := c.read(ctx, StageCurrent)
	if err != nil {
		return Version{}, err
	}
	if err := Check(v.Value); err != nil {
		return Version{}, fmt.Errorf("secret %s: %s version %s: %w", c.id, StageCurrent, v.ID, err)
	}
	c.current, c.currentAt = &v, c.now()
	return v, nil
}

// readPrevious reads AWSPREVIOUS into the cache: none before the first rotation, and none
// when its value is too short to be a key, which must not verify anything.
func (c *Cache) readPrevious(ctx context.Context) error {
	v, err := c.read(ctx, StagePrevious)
	var missing *types.ResourceNotFoundException
	switch {
	case errors.As(err, &missing):
		c.previous = nil
	case err != nil:
		return err
	case Check(v.Value) != nil:
		c.previous = nil
	default:
		c.previous = &v
	}
	c.previousAt = c.now()
	return nil
}

// read returns the version of the secret that holds stage.
func (c *Cache) read(ctx context.Context, stage string) (Version, error) {
	out, err := c.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{
		SecretId: aws.String(c.id), VersionStage: aws.String(stage),
	})
	if err != nil {
		return Version{}, fmt.Errorf("secret %s: %s: get secret value: %w", c.id, stage, err)
	}
	if out.SecretString == nil {
		return Version{}, fmt.Errorf("secret %s: %s version %s has no SecretString", c.id, stage, aws.ToString(out.VersionId))
	}
	return Version{ID: aws.ToString(out.VersionId), Value: []byte(*out.SecretString)}, nil
}
