package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// secretTTL is how long the signing secret is used before it is read again: short enough
// that a rotation reaches every warm function within minutes, long enough that Secrets
// Manager is called a few times an hour rather than once per event.
const secretTTL = 5 * time.Minute

// secrets is the part of the Secrets Manager client that secretCache uses.
type secrets interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// secretCache holds the signing secret for secretTTL.
type secretCache struct {
	client secrets
	arn    string
	now    func() time.Time

	mu        sync.Mutex
	value     []byte
	fetchedAt time.Time
}

// get returns the secret, reading it when it is not cached or older than secretTTL.
func (c *secretCache) get(ctx context.Context) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.value != nil && c.now().Sub(c.fetchedAt) < secretTTL {
		return c.value, nil
	}
	return c.fetch(ctx)
}

// refresh reads the secret again whatever its age, as after the endpoint refused a
// signature: the secret may have been rotated since it was cached.
func (c *secretCache) refresh(ctx context.Context) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fetch(ctx)
}

func (c *secretCache) fetch(ctx context.Context) ([]byte, error) {
	out, err := c.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(c.arn)})
	if err != nil {
		return nil, fmt.Errorf("get secret value: %w", err)
	}
	if aws.ToString(out.SecretString) == "" {
		return nil, errors.New("get secret value: the secret has no SecretString")
	}
	c.value = []byte(*out.SecretString)
	c.fetchedAt = c.now()
	return c.value, nil
}
