// Command deliver forwards the platform's events to the legacy receiver: it consumes an
// SQS queue subscribed to the accounts and inventory topics and POSTs each event, signed
// with HMAC-SHA256, to an HTTPS endpoint, with the event's id as its Idempotency-Key (the
// receiver must act on an id once: the same event may come again). An event whose source
// is not its type's producer is refused, not delivered.
//
// Environment: ENDPOINT_URL (https only) and SECRET_ARN, the Secrets Manager secret whose
// SecretString is the signing key (components/secret: at least 32 bytes, rotated every 30
// days), read through platform/lambdakit/secret with a cache and a refresh after a 401.
package main

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/secret"
)

func main() {
	lambdakit.Main([]string{"ENDPOINT_URL", "SECRET_ARN"}, func(s lambdakit.Setup) (any, error) {
		h, err := newHandler(s)
		if err != nil {
			return nil, err
		}
		return h.Handle, nil
	})
}

// newHandler returns the handler configured by s, with the real clients.
func newHandler(s lambdakit.Setup) (*handler, error) {
	endpoint, err := parseEndpoint(s.Env["ENDPOINT_URL"])
	if err != nil {
		return nil, fmt.Errorf("ENDPOINT_URL: %w", err)
	}
	return &handler{
		endpoint: endpoint,
		client:   newHTTPClient(nil),
		secret:   secret.New(secretsmanager.NewFromConfig(s.AWS), s.Env["SECRET_ARN"], secret.Options{}),
		now:      time.Now,
	}, nil
}
