package runtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/stratum-platform/stratum/platform/runtime"
)

type openAccount struct {
	Name string `json:"name"`
}

type accountOpened struct {
	AccountID string `json:"accountId"`
}

// A handler of POST /accounts on an HTTP API with a JWT authorizer.
func Example() {
	handle := func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		claims, err := runtime.RequireScope(req, "accounts:write")
		if err != nil {
			return runtime.ErrorResponse(ctx, err), nil
		}
		in, err := runtime.DecodeBody[openAccount](req)
		if err != nil {
			return runtime.ErrorResponse(ctx, err), nil
		}
		return runtime.JSON(http.StatusCreated, map[string]string{"name": in.Name, "owner": claims.Subject}), nil
	}

	// In main: ctx := runtime.WithLogger(ctx, runtime.NewLogger(os.Stdout)).
	ctx := runtime.WithLogger(context.Background(), slog.New(slog.DiscardHandler))
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

func ExampleNewLogger() {
	// In a handler's main, once per cold start; the handler then logs with Logger(ctx).
	logger := runtime.NewLogger(os.Stdout)
	ctx := runtime.WithLogger(context.Background(), logger)
	runtime.Logger(ctx).Info("started")
}

func ExampleLogger() {
	// A logger without times, so that the output is the same on every run.
	logger := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	ctx := runtime.WithLogger(context.Background(), logger)
	ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{AwsRequestID: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"})
	ctx = runtime.WithCorrelationID(ctx, "order-42")

	runtime.Logger(ctx).Info("account opened", "account_id", "a-1")
	// Output:
	// {"level":"INFO","msg":"account opened","request_id":"c6af9ac6-7b61-11e6-9a41-93e8deadbeef","correlation_id":"order-42","account_id":"a-1"}
}

func ExampleNewEnvelope() {
	ctx := runtime.WithCorrelationID(context.Background(), "order-42")
	e, err := runtime.NewEnvelope(ctx, "accounts", "AccountOpened", 1, accountOpened{AccountID: "a-1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Publish json.Marshal(e) to the topic, with e.MessageAttributes() as attributes.
	fmt.Println(e.Type, e.Version, e.Source, e.CorrelationID, string(e.Data))
	fmt.Println(e.MessageAttributes())

	_, err = runtime.NewEnvelope(ctx, "accounts", "account.opened", 0, nil)
	fmt.Println(err)
	// Output:
	// AccountOpened 1 accounts order-42 {"accountId":"a-1"}
	// map[type:AccountOpened]
	// invalid envelope: data: must be a JSON object; type: "account.opened" does not match ^[A-Z][A-Za-z]+$; version: must be at least 1, got 0
}

// A consumer of AccountOpened events from an SQS queue subscribed to the accounts topic.
func ExampleProcessSQS() {
	handle := func(ctx context.Context, msg events.SQSMessage) error {
		e, err := runtime.EnvelopeFromSQS(msg)
		if err != nil {
			return err
		}
		ctx = e.Context(ctx)
		data, err := runtime.Decode[accountOpened](e, "AccountOpened", 1)
		if err != nil {
			return err
		}
		fmt.Println("welcome", data.AccountID, "in flow", runtime.CorrelationID(ctx))
		return nil
	}

	ctx := runtime.WithLogger(context.Background(), slog.New(slog.DiscardHandler))
	ev := events.SQSEvent{Records: []events.SQSMessage{
		{MessageId: "m-1", Body: `{"id":"e-1","type":"AccountOpened","version":1,"source":"accounts","time":"2026-03-04T05:06:07.089Z","correlationId":"order-42","data":{"accountId":"a-1"}}`},
		{MessageId: "m-2", Body: `{"id":"e-2","type":"AccountOpened","version":2,"source":"accounts","time":"2026-03-04T05:06:07.089Z","correlationId":"order-43","data":{"accountId":"a-2"}}`},
		{MessageId: "m-3", Body: `not an event`},
	}}
	resp := batchResponseJSON(ctx, ev, handle)
	fmt.Println(resp)
	// Output:
	// welcome a-1 in flow order-42
	// {"batchItemFailures":[{"itemIdentifier":"m-2"},{"itemIdentifier":"m-3"}]}
}

// batchResponseJSON returns the response of runtime.ProcessSQS as the JSON that Lambda
// sends back to the event source mapping.
func batchResponseJSON(ctx context.Context, ev events.SQSEvent, handle func(context.Context, events.SQSMessage) error) string {
	b, err := json.Marshal(runtime.ProcessSQS(ctx, ev, handle))
	if err != nil {
		return err.Error()
	}
	return string(b)
}

func ExampleErrorResponse() {
	ctx := runtime.WithLogger(context.Background(), slog.New(slog.DiscardHandler))
	for _, err := range []error{
		fmt.Errorf("account %q: %w", "a-9", runtime.ErrNotFound),
		errors.New("dynamodb: GetItem on acme-prod-accounts: throttled"),
	} {
		resp := runtime.ErrorResponse(ctx, err)
		fmt.Println(resp.StatusCode, resp.Body)
	}
	// Output:
	// 404 {"type":"about:blank","title":"Not Found","status":404,"detail":"account \"a-9\": not found"}
	// 500 {"type":"about:blank","title":"Internal Server Error","status":500,"detail":"The server could not complete the request; the error has been logged."}
}

func ExampleProblem_Response() {
	resp := runtime.Problem{
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
