package api_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/api"
)

type openAccount struct {
	Name string `json:"name"`
}

// A handler of POST /accounts on an HTTP API with a JWT authorizer.
func Example() {
	handle := func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		claims, err := api.RequireScope(req, "accounts:write")
		if err != nil {
			return api.ErrorResponse(ctx, err), nil
		}
		in, err := api.DecodeBody[openAccount](req)
		if err != nil {
			return api.ErrorResponse(ctx, err), nil
		}
		return api.JSON(http.StatusCreated, map[string]string{"name": in.Name, "owner": claims.Subject}), nil
	}

	// In Lambda, lambdakit.Main stores the function's logger in every invocation's context.
	ctx := lambdakit.WithLogger(context.Background(), slog.New(slog.DiscardHandler))
	request := func(scope, body string) events.APIGatewayV2HTTPRequest {
		req := events.APIGatewayV2HTTPRequest{
			Headers: map[string]string{"content-type": "application/json"},
			Body:    body,
		}
		req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{
				Claims: map[string]string{"sub": "u-1", "scope": scope},
			},
		}
		return req
	}
	for _, req := range []events.APIGatewayV2HTTPRequest{
		request("accounts:write", `{"name":"Savings"}`),
		request("accounts:write", `{"nme":"Savings"}`),
		request("accounts:read", `{"name":"Savings"}`),
	} {
		resp, _ := handle(ctx, req)
		fmt.Println(resp.StatusCode, resp.Headers["Content-Type"], resp.Body)
	}
	// Output:
	// 201 application/json {"name":"Savings","owner":"u-1"}
	// 400 application/problem+json {"type":"about:blank","title":"Bad Request","status":400,"detail":"The request is invalid; see errors for each field.","errors":{"body":"has unknown field \"nme\""}}
	// 403 application/problem+json {"type":"about:blank","title":"Forbidden","status":403,"detail":"missing scope \"accounts:write\": forbidden"}
}

func ExampleErrorResponse() {
	ctx := lambdakit.WithLogger(context.Background(), slog.New(slog.DiscardHandler))
	for _, err := range []error{
		fmt.Errorf("account %q: %w", "a-9", lambdakit.ErrNotFound),
		errors.New("dynamodb: GetItem on acme-prod-accounts: throttled"),
	} {
		resp := api.ErrorResponse(ctx, err)
		fmt.Println(resp.StatusCode, resp.Body)
	}
	// Output:
	// 404 {"type":"about:blank","title":"Not Found","status":404,"detail":"account \"a-9\": not found"}
	// 500 {"type":"about:blank","title":"Internal Server Error","status":500,"detail":"The server could not complete the request; the error has been logged."}
}

func ExampleProblem_Response() {
	resp := api.Problem{
		Type:   "https://stratum.example/problems/insufficient-funds",
		Title:  "Insufficient funds",
		Status: http.StatusConflict,
		Detail: "The balance is 30, the transfer needs 50.",
	}.Response()
	fmt.Println(resp.StatusCode, resp.Headers["Content-Type"])
	fmt.Println(resp.Body)
	// Output:
	// 409 application/problem+json
	// {"type":"https://stratum.example/problems/insufficient-funds","title":"Insufficient funds","status":409,"detail":"The balance is 30, the transfer needs 50."}
}
