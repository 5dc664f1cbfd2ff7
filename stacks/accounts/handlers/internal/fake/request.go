package fake

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/openapi"
	"github.com/stratum-platform/stratum/platform/lambdakit/openapi/openapitest"
	"github.com/stratum-platform/stratum/stacks/accounts/api"
)

// Context returns a context whose logger writes JSON to the returned buffer, so that a
// test can check what a handler logged.
func Context() (context.Context, *bytes.Buffer) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return lambdakit.WithLogger(context.Background(), logger), &buf
}

// Request returns an API Gateway request of the route routeKey ("GET /accounts") that a JWT
// authorizer accepted, with the scope claim scope and, unless it is empty, the tenant claim
// tenant; its id is "req-1".
func Request(routeKey, scope, tenant string) events.APIGatewayV2HTTPRequest {
	claims := map[string]string{"sub": "user-1", "scope": scope}
	if tenant != "" {
		claims["tenant"] = tenant
	}
	req := events.APIGatewayV2HTTPRequest{RouteKey: routeKey, Headers: map[string]string{"content-type": "application/json"}}
	req.RequestContext.RequestID = "req-1"
	req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims},
	}
	return req
}

// Serve answers req with h behind the accounts API's contract, as the handler's main does in
// Lambda, and fails t when the response, whatever its status, does not match the contract.
// It returns the response and what the handler logged.
func Serve(t testing.TB, h openapi.Handler, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, string) {
	t.Helper()
	ctx, logs := Context()
	resp := openapitest.Serve(ctx, t, openapitest.Load(t, api.V1), h, req)
	return resp, logs.String()
}
