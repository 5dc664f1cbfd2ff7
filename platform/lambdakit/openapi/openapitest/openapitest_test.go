package openapitest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/lambdakit/api"
	"github.com/stratum-platform/stratum/platform/lambdakit/openapi"
)

// recorder is a testing.TB that records failures instead of failing, so that a test can check
// that a helper fails when it should.
type recorder struct {
	testing.TB
	failures []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Fatal(args ...any) {
	r.Fatalf("%s", fmt.Sprint(args...))
}

// failures runs check with a recorder, as a test would, and returns what it failed with.
func failures(t *testing.T, check func(testing.TB)) []string {
	r := &recorder{TB: t}
	var wg sync.WaitGroup
	wg.Go(func() { check(r) })
	wg.Wait()
	return r.failures
}

func orders(t *testing.T) *openapi.Spec {
	data, err := os.ReadFile("../testdata/orders.yaml")
	require.NoError(t, err)
	return Load(t, data)
}

func getOrder() events.APIGatewayV2HTTPRequest {
	req := events.APIGatewayV2HTTPRequest{RouteKey: "GET /orders/{orderId}", PathParameters: map[string]string{"orderId": "o-1"}}
	req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: map[string]string{"sub": "u-1", "scope": "orders:read"}},
	}
	return req
}

func TestServe(t *testing.T) {
	spec := orders(t)
	answer := func(body any) openapi.Handler {
		return func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			return api.JSON(http.StatusOK, body), nil
		}
	}
	var resp events.APIGatewayV2HTTPResponse
	assert.Empty(t, failures(t, func(tb testing.TB) {
		resp = Serve(context.Background(), tb, spec, answer(map[string]any{"orderId": "o-1", "item": "tea", "quantity": 2}), getOrder())
	}))
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	drifted := failures(t, func(tb testing.TB) {
		Serve(context.Background(), tb, spec, answer(map[string]any{"id": "o-1", "item": "tea", "quantity": 2}), getOrder())
	})
	require.Len(t, drifted, 1)
	assert.Contains(t, drifted[0], "GET /orders/{orderId} (get): 200 response: body.id: is not a known field; body.orderId: is required")

	failed := failures(t, func(tb testing.TB) {
		Serve(context.Background(), tb, spec, func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			return events.APIGatewayV2HTTPResponse{}, context.Canceled
		}, getOrder())
	})
	assert.Equal(t, []string{"GET /orders/{orderId}: the handler returned an error (context canceled); an API handler answers errors with a response"}, failed)
}

func TestCheckExamples(t *testing.T) {
	assert.Empty(t, failures(t, func(tb testing.TB) { CheckExamples(tb, orders(t)) }))
	data, err := os.ReadFile("../testdata/orders.yaml")
	require.NoError(t, err)
	spec := Load(t, []byte(strings.Replace(string(data), "          example: open\n", "          example: lost\n", 1)))
	assert.Equal(t, []string{"the spec's examples:\nGET /orders (list): parameter \"status\": example \"example\": value: must be one of \"open\", \"closed\", got \"lost\""},
		failures(t, func(tb testing.TB) { CheckExamples(tb, spec) }))
}

func TestLoadFails(t *testing.T) {
	got := failures(t, func(tb testing.TB) { Load(tb, []byte("openapi: 3.1.0\n")) })
	assert.Equal(t, []string{`openapi: version "3.1.0": want 3.0.x`}, got)
}

// writeHandlers lays out a context's handlers directory: name -> Go source of main.go.
func writeHandlers(t *testing.T, files map[string]string) string {
	dir := t.TempDir()
	for name, src := range files {
		path := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(src), 0o644))
	}
	return dir
}

const httpHandler = `package main

import "github.com/aws/aws-lambda-go/events"

func handle(req events.APIGatewayV2HTTPRequest) {}
`

func TestHTTPHandlers(t *testing.T) {
	dir := writeHandlers(t, map[string]string{
		"place/main.go":      httpHandler,
		"read/handler.go":    httpHandler,
		"read/main.go":       "package main\n",
		"ingest/main.go":     "package main\n\nimport \"github.com/aws/aws-lambda-go/events\"\n\nfunc handle(events.SQSEvent) {}\n",
		"only/main_test.go":  httpHandler,
		"internal/x/x.go":    strings.Replace(httpHandler, "package main", "package x", 1),
		"notes.txt":          "not a handler",
		"other/main.go":      "package main\n\ntype events struct{ APIGatewayV2HTTPRequest int }\n\nvar x = events{}.APIGatewayV2HTTPRequest\n",
		"aliased/main.go":    "package main\n\nimport ev \"github.com/aws/aws-lambda-go/events\"\n\nfunc handle(ev.SQSEvent) {}\n",
		"ingest/handler.go":  "package main\n",
		"place/main_test.go": "package main\n",
	})
	got, err := HTTPHandlers(dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"place", "read"}, got)

	broken := writeHandlers(t, map[string]string{"bad/main.go": "package main\n\nfunc {"})
	_, err = HTTPHandlers(broken)
	assert.ErrorContains(t, err, "http handlers: ")
	_, err = HTTPHandlers(filepath.Join(dir, "missing"))
	assert.ErrorContains(t, err, "http handlers: open ")
}

func TestCheckBindings(t *testing.T) {
	dir := writeHandlers(t, map[string]string{
		"place/main.go":  httpHandler,
		"list/main.go":   httpHandler,
		"read/main.go":   httpHandler,
		"cancel/main.go": httpHandler,
	})
	bindings := map[string]string{"place": "place", "list": "list", "get": "read", "cancel": "cancel", "health": "read"}
	assert.Empty(t, failures(t, func(tb testing.TB) { CheckBindings(tb, orders(t), bindings, dir) }))

	// Deleting a handler fails the check.
	require.NoError(t, os.RemoveAll(filepath.Join(dir, "cancel")))
	got := failures(t, func(tb testing.TB) { CheckBindings(tb, orders(t), bindings, dir) })
	require.Len(t, got, 1)
	assert.Contains(t, got[0], `operation "cancel" (DELETE /orders/{orderId}) is bound to handler "cancel", which is not an HTTP handler of the context (list, place, read)`)

	got = failures(t, func(tb testing.TB) { CheckBindings(tb, orders(t), bindings, filepath.Join(dir, "missing")) })
	require.Len(t, got, 1)
	assert.Contains(t, got[0], "http handlers: open ")
}

func TestCheckRoutes(t *testing.T) {
	routes := map[string][]string{
		"GET /health":              nil,
		"GET /orders":              {"orders:read"},
		"POST /orders":             {"orders:write"},
		"GET /orders/{orderId}":    {"orders:read"},
		"DELETE /orders/{orderId}": {"orders:write", "orders:read"},
	}
	assert.Empty(t, failures(t, func(tb testing.TB) { CheckRoutes(tb, orders(t), routes) }))

	changed := map[string][]string{
		"GET /orders":              {"orders:read"},
		"POST /orders":             {"orders:admin"},
		"GET /orders/{orderId}":    {"orders:read"},
		"DELETE /orders/{orderId}": {"orders:write", "orders:read"},
		"PUT /orders/{orderId}":    {"orders:write"},
	}
	assert.Equal(t, []string{"the spec and the routes differ:\n" +
		`operation "health" (GET /health) is not a route` + "\n" +
		`route POST /orders requires scopes ["orders:admin"], its operation "place" ["orders:write"]` + "\n" +
		"route PUT /orders/{orderId} is no operation of the spec"},
		failures(t, func(tb testing.TB) { CheckRoutes(tb, orders(t), changed) }))
}
