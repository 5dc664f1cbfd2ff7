package openapi_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/api"
	"github.com/stratum-platform/stratum/platform/lambdakit/openapi"
)

// specV1 stands for a context's embedded spec (stacks/<context>/api.V1).
const specV1 = `openapi: 3.0.3
info: {title: Accounts, version: 1.0.0}
paths:
  /accounts:
    post:
      operationId: register
      security: [{oauth2: [accounts:write]}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [name, externalAccountId]
              properties:
                name: {type: string, minLength: 1}
                externalAccountId: {type: string, pattern: '^[0-9]{12}$'}
      responses:
        '201': {description: Registered.}
components:
  securitySchemes:
    oauth2:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://identity.example.com/token
          scopes: {accounts:write: Register accounts.}
`

// A handler's main loads its context's spec once and wraps its Handle: the handler then only
// sees requests that match the spec, and an invalid one is answered with every problem.
func Example() {
	spec, err := openapi.Load([]byte(specV1))
	if err != nil {
		fmt.Println(err)
		return
	}
	register := func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return api.JSON(http.StatusCreated, nil), nil
	}
	handle := spec.Wrap(register) // in main: lambdakit.Main(..., func(s lambdakit.Setup) (any, error) { return handle, nil })

	req := events.APIGatewayV2HTTPRequest{
		RouteKey: "POST /accounts",
		Headers:  map[string]string{"content-type": "application/json"},
		Body:     `{"name":"","externalAccountId":"12","region":"eu"}`,
	}
	req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{
			Claims: map[string]string{"sub": "user-1", "scope": "accounts:write"},
		},
	}
	ctx := lambdakit.WithLogger(context.Background(), slog.New(slog.DiscardHandler))
	resp, _ := handle(ctx, req)
	fmt.Println(resp.StatusCode, resp.Headers["Content-Type"])
	fmt.Println(resp.Body)
	// Output:
	// 400 application/problem+json
	// {"type":"about:blank","title":"Bad Request","status":400,"detail":"The request is invalid; see errors for each field.","errors":{"externalAccountId":"must match the pattern ^[0-9]{12}$, got \"12\"","name":"must have at least 1 character, got \"\"","region":"is not a known field"}}
}
