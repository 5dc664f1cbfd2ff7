package openapi

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
)

// Spec is a loaded, valid OpenAPI document with its operations indexed by route key.
type Spec struct {
	doc        *openapi3.T
	operations map[string]*Operation
}

// Operation is one operation of a spec: what a route of the API serves.
type Operation struct {
	// ID is the operationId, named after the handler that serves it.
	ID string
	// Method is the HTTP method in upper case.
	Method string
	// Path is the path template, as in the spec ("/accounts/{accountId}").
	Path string
	// Scopes are the OAuth scopes of the operation's first security requirement, sorted: the
	// authorization scopes of its gateway route. nil for a public operation. (API Gateway
	// accepts a token with any one of a route's scopes; ValidateRequest requires all of them,
	// as OpenAPI means.)
	Scopes []string
	// Public reports an operation with no security requirement, or an empty one.
	Public bool
	// Deprecated reports an operation marked deprecated.
	Deprecated bool
	// Deprecation is the announced end of a deprecated operation with a sunset date (x-sunset),
	// whose responses carry the Deprecation, Sunset and Link headers; nil for any other.
	Deprecation *Deprecation

	route *routers.Route
}

// RouteKey returns the operation's API Gateway route key, "METHOD /path".
func (o *Operation) RouteKey() string {
	return o.Method + " " + o.Path
}

// Load parses an OpenAPI 3.0 document, checks it and indexes its operations by route key.
// The examples are not checked here (openapitest.CheckExamples does it in tests), because a
// handler loads its spec at every cold start and examples do not change what it accepts.
func Load(data []byte) (*Spec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("openapi: parse: %w", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0.") {
		return nil, fmt.Errorf("openapi: version %q: want 3.0.x", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("openapi: invalid: %w", err)
	}
	s := &Spec{doc: doc, operations: map[string]*Operation{}}
	var problems []error
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			o := &Operation{
				ID:         op.OperationID,
				Method:     strings.ToUpper(method),
				Path:       path,
				Deprecated: op.Deprecated,
				route:      &routers.Route{Spec: doc, Path: path, PathItem: item, Method: strings.ToUpper(method), Operation: op},
			}
			if o.ID == "" {
				problems = append(problems, fmt.Errorf("%s: operationId is required: it names the handler that serves the operation", o.RouteKey()))
			}
			o.Scopes, o.Public = scopes(o.security())
			var sunset []error
			o.Deprecation, sunset = o.deprecation()
			problems = append(problems, sunset...)
			s.operations[o.RouteKey()] = o
		}
	}
	if err := errors.Join(problems...); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	return s, nil
}

// Document returns the parsed document, for tools that render or compare it. Callers must not
// change it: the spec's validation reads it.
func (s *Spec) Document() *openapi3.T {
	return s.doc
}

// Operation returns the operation of routeKey ("GET /accounts/{accountId}").
func (s *Spec) Operation(routeKey string) (*Operation, bool) {
	o, ok := s.operations[routeKey]
	return o, ok
}

// Operations returns every operation, by path, then method.
func (s *Spec) Operations() []*Operation {
	ops := slices.Collect(maps.Values(s.operations))
	slices.SortFunc(ops, func(a, b *Operation) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(methodOrder(a.Method), methodOrder(b.Method)), cmp.Compare(a.Method, b.Method))
	})
	return ops
}

// methodOrder orders methods as people read an API: reads before writes.
func methodOrder(method string) int {
	if i := slices.Index([]string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}, method); i >= 0 {
		return i
	}
	return 99
}

// Requirements returns how many security requirements apply to o, its own or the
// document's; a caller needs to meet one of them. 0 for an operation without security.
func (o *Operation) Requirements() int {
	return len(o.security())
}

// security returns the requirements that apply to o: its own, or the document's.
func (o *Operation) security() openapi3.SecurityRequirements {
	if o.route.Operation.Security != nil {
		return *o.route.Operation.Security
	}
	return o.route.Spec.Security
}

// scopes returns the sorted scopes of the first requirement, and whether the requirements
// leave the operation public: none at all, or an empty one (OpenAPI's "anonymous allowed").
func scopes(reqs openapi3.SecurityRequirements) ([]string, bool) {
	if len(reqs) == 0 {
		return nil, true
	}
	var out []string
	for _, req := range reqs {
		if len(req) == 0 {
			return nil, true
		}
	}
	for _, scheme := range slices.Sorted(maps.Keys(reqs[0])) {
		out = append(out, reqs[0][scheme]...)
	}
	slices.Sort(out)
	return slices.Compact(out), false
}
