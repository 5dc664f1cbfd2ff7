package secret

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
)

// The staging labels of Secrets Manager that rotation moves.
const (
	StageCurrent  = "AWSCURRENT"
	StagePrevious = "AWSPREVIOUS"
	StagePending  = "AWSPENDING"
)

// Key sizes. MinBytes is the shortest value a handler accepts as a key: HMAC-SHA256's block
// is 64 bytes and its output 32, and a key shorter than the output weakens it. KeyBytes is how
// many random bytes a rotation draws; their base64url text is 43 bytes.
const (
	MinBytes = 32
	KeyBytes = 32
)

// Version is one version of a secret: its id and the key, the bytes of its SecretString.
type Version struct {
	// ID is the version's id (VersionId), which changes with every rotation.
	ID string
	// Value is the key.
	Value []byte
}

// Check returns an error when value cannot be a key: shorter than MinBytes. The error
// names the length, never the value.
func Check(value []byte) error {
	if len(value) < MinBytes {
		return fmt.Errorf("the value is %d bytes; a key has at least %d", len(value), MinBytes)
	}
	return nil
}

// Generate returns a new key: KeyBytes bytes from random, base64url-encoded without padding.
// random is crypto/rand.Reader outside tests.
func Generate(random io.Reader) (string, error) {
	if random == nil {
		return "", errors.New("generate a key: no source of randomness")
	}
	b := make([]byte, KeyBytes)
	if _, err := io.ReadFull(random, b); err != nil {
		return "", fmt.Errorf("generate a key: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
