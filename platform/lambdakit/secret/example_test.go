package secret_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"

	"github.com/stratum-platform/stratum/platform/lambdakit/secret"
	"github.com/stratum-platform/stratum/platform/lambdakit/secret/secrettest"
)

// A signer signs with AWSCURRENT; a receiver accepts AWSCURRENT and AWSPREVIOUS, so a
// signer that still holds the key a rotation replaced is not refused. In a handler the
// client is secretsmanager.NewFromConfig(setup.AWS) and the ARN comes from the environment.
func Example() {
	const arn = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:acme-dev-orders-signing-AbCdEf"
	sm := secrettest.New(arn) // a fake Secrets Manager
	sm.Put("v1", "an-old-key-of-at-least-32-bytes-0000", secret.StageCurrent)
	ctx := context.Background()

	signer := secret.New(sm, arn, secret.Options{})
	key, err := signer.Current(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	mac := hmac.New(sha256.New, key.Value)
	mac.Write([]byte("body"))
	sig := mac.Sum(nil)

	// The secret rotates; the signer's cache still holds v1.
	sm.Put("v2", "a-new-key-of-at-least-32-bytes-1111", secret.StageCurrent)
	receiver := secret.New(sm, arn, secret.Options{})
	ok, err := receiver.Verify(ctx, func(k []byte) bool {
		m := hmac.New(sha256.New, k)
		m.Write([]byte("body"))
		return hmac.Equal(sig, m.Sum(nil))
	})
	fmt.Println(key.ID, ok, err)

	sm.Put("v3", "short", secret.StageCurrent)
	_, err = secret.New(sm, arn, secret.Options{}).Current(ctx)
	fmt.Println(err)
	// Output:
	// v1 true <nil>
	// secret arn:aws:secretsmanager:eu-west-1:111111111111:secret:acme-dev-orders-signing-AbCdEf: AWSCURRENT version v3: the value is 5 bytes; a key has at least 32
}
