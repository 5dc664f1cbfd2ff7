package fake

import (
	"bytes"
	"context"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

// Context returns a context whose logger writes JSON to the returned buffer, so that a
// test can check what a handler logged.
func Context() (context.Context, *bytes.Buffer) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return lambdakit.WithLogger(context.Background(), logger), &buf
}

// Request returns an API Gateway request that a JWT authorizer accepted, with the scope
// claim scope and, unless it is empty, the tenant claim tenant; its id is "req-1".
func Request(scope, tenant string) events.APIGatewayV2HTTPRequest {
	claims := map[string]string{"sub": "user-1", "scope": scope}
	if tenant != "" {
		claims["tenant"] = tenant
	}
	req := events.APIGatewayV2HTTPRequest{Headers: map[string]string{"content-type": "application/json"}}
	req.RequestContext.RequestID = "req-1"
	req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims},
	}
	return req
}
