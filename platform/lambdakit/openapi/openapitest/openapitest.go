// Package openapitest holds HTTP API handlers to their OpenAPI spec in tests: Serve runs a
// handler behind the spec's request validation and fails the test when its response does not
// match the spec, CheckExamples checks that the spec shows every operation by true examples,
// and CheckBindings that the spec's operations and the context's HTTP handlers match both
// ways.
package openapitest

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit/openapi"
)

// Load returns the spec of data, and stops the test when it does not load.
func Load(t testing.TB, data []byte) *openapi.Spec {
	t.Helper()
	s, err := openapi.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Serve answers req with h behind spec.Wrap, as the handler's main does in Lambda, and fails t
// when the response, whatever its status, does not match the operation of req's route key:
// a handler that drifts from its spec fails its own tests. ctx is the handler's context
// (with its logger).
func Serve(ctx context.Context, t testing.TB, spec *openapi.Spec, h openapi.Handler, req events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	t.Helper()
	resp, err := spec.Wrap(h)(ctx, req)
	if err != nil {
		t.Fatalf("%s: the handler returned an error (%v); an API handler answers errors with a response", req.RouteKey, err)
	}
	CheckResponse(t, spec, req, resp)
	return resp
}

// CheckResponse fails t when resp, the answer to req, does not match the spec.
func CheckResponse(t testing.TB, spec *openapi.Spec, req events.APIGatewayV2HTTPRequest, resp events.APIGatewayV2HTTPResponse) {
	t.Helper()
	if err := spec.ValidateResponse(context.Background(), req, resp); err != nil {
		t.Errorf("the response does not match the spec: %v\nbody: %s", err, resp.Body)
	}
}

// CheckExamples fails t unless every operation of spec is shown by examples that match their
// schemas ((*openapi.Spec).CheckExamples).
func CheckExamples(t testing.TB, spec *openapi.Spec) {
	t.Helper()
	if err := spec.CheckExamples(); err != nil {
		t.Errorf("the spec's examples:\n%v", err)
	}
}

// CheckBindings fails t unless the operations of spec and the HTTP handlers under
// handlersDir (HTTPHandlers) match both ways through bindings, which maps each operationId to
// the handler that serves it ((*openapi.Spec).CheckBindings).
func CheckBindings(t testing.TB, spec *openapi.Spec, bindings map[string]string, handlersDir string) {
	t.Helper()
	handlers, err := HTTPHandlers(handlersDir)
	if err != nil {
		t.Fatal(err)
	}
	if err := spec.CheckBindings(bindings, handlers); err != nil {
		t.Errorf("the spec's operations and the handlers in %s do not match:\n%v", handlersDir, err)
	}
}

// CheckRoutes fails t unless the operations of spec are exactly routes, which maps each
// route key the gateway serves to the scopes it requires: the same route keys, each with the
// scopes of its operation.
func CheckRoutes(t testing.TB, spec *openapi.Spec, routes map[string][]string) {
	t.Helper()
	var problems []string
	for _, op := range spec.Operations() {
		scopes, ok := routes[op.RouteKey()]
		if !ok {
			problems = append(problems, fmt.Sprintf("operation %q (%s) is not a route", op.ID, op.RouteKey()))
			continue
		}
		scopes = slices.Sorted(slices.Values(scopes))
		if !slices.Equal(scopes, op.Scopes) {
			problems = append(problems, fmt.Sprintf("route %s requires scopes %q, its operation %q %q", op.RouteKey(), scopes, op.ID, op.Scopes))
		}
	}
	for _, key := range slices.Sorted(maps.Keys(routes)) {
		if _, ok := spec.Operation(key); !ok {
			problems = append(problems, fmt.Sprintf("route %s is no operation of the spec", key))
		}
	}
	if len(problems) > 0 {
		t.Errorf("the spec and the routes differ:\n%s", strings.Join(problems, "\n"))
	}
}

// HTTPHandlers returns the names of the directories under dir whose Go code (tests aside)
// takes an events.APIGatewayV2HTTPRequest: the handlers that serve an HTTP API, sorted.
// Handlers of queues, schedules and direct invocations are left out, and so is internal/.
func HTTPHandlers(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("http handlers: %w", err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "internal" || e.Name() == "testdata" {
			continue
		}
		serves, err := servesHTTP(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		if serves {
			out = append(out, e.Name())
		}
	}
	slices.Sort(out)
	return out, nil
}

// servesHTTP reports whether the Go code in dir names events.APIGatewayV2HTTPRequest.
func servesHTTP(dir string) (bool, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return false, fmt.Errorf("http handlers: %w", err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.SkipObjectResolution)
		if err != nil {
			return false, fmt.Errorf("http handlers: %w", err)
		}
		found := false
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "APIGatewayV2HTTPRequest" {
				if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "events" {
					found = true
				}
			}
			return !found
		})
		if found {
			return true, nil
		}
	}
	return false, nil
}
