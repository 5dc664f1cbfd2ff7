// Command deliver forwards the platform's events to the legacy receiver: it consumes an
// SQS queue subscribed to the accounts and inventory topics and POSTs each event, signed
// with HMAC-SHA256, to an HTTPS endpoint.
//
// Environment: ENDPOINT_URL (https only) and SECRET_ARN, the Secrets Manager secret whose
// SecretString is the signing key.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/stratum-platform/stratum/platform/runtime"
)

func main() {
	logger := runtime.NewLogger(os.Stdout)
	h, err := newHandler(os.Getenv)
	if err != nil {
		logger.Error("deliver cannot start", runtime.LogKeyError, err)
		os.Exit(1)
	}
	h.log = logger
	lambda.Start(h.Handle)
}

// newHandler returns the handler configured by the environment read with getenv, with
// the real clients.
func newHandler(getenv func(string) string) (*handler, error) {
	vars, err := runtime.RequireEnv(getenv, "ENDPOINT_URL", "SECRET_ARN")
	if err != nil {
		return nil, err
	}
	endpoint, err := parseEndpoint(vars["ENDPOINT_URL"])
	if err != nil {
		return nil, fmt.Errorf("ENDPOINT_URL: %w", err)
	}
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		return nil, fmt.Errorf("load aws config: %w", err)
	}
	return &handler{
		endpoint: endpoint,
		client:   newHTTPClient(nil),
		secret: &secretCache{
			client: secretsmanager.NewFromConfig(cfg),
			arn:    vars["SECRET_ARN"],
			now:    time.Now,
		},
		now: time.Now,
	}, nil
}
