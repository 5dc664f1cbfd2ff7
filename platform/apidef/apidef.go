// Package apidef is the definition API Gateway imports to build an HTTP API (an Api's body):
// Render writes it from the API's OpenAPI contract, and Parse reads it back from a plan, for
// the policy rules and the diagrams. The contract (stacks/<context>/api) holds no AWS
// extension and no ARN; the definition adds them:
//
//   - each operation, under its path and method (its route key, "GET /accounts/{accountId}"),
//     with its operationId (the route's operation name) and a Lambda proxy integration
//     (payload format 2.0) to the invoke ARN of the function that serves it;
//   - the platform's JWT authorizer (issuer and audiences, identity source the Authorization
//     header) as a security scheme, and each operation's security scopes as its route's
//     authorization scopes. API Gateway lets in a token with any one of a route's scopes,
//     while OpenAPI means all of them: the handler kit (lambdakit/openapi) checks that the
//     token has all. An operation with more than one security requirement ("these scopes, or
//     those") has no such route and is refused;
//   - an operation without security is a route without authorization.
//
// Schemas, parameters, examples and descriptions stay out: an HTTP API does not validate
// requests, and what it would ignore on import is a warning, which fails an API created
// with FailOnWarnings. It imports nothing from Pulumi.
package apidef

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/lambdakit/openapi"
)

// The names the definition uses.
const (
	// AuthorizerName is the security scheme of the JWT authorizer, the authorizer's name.
	AuthorizerName = "jwt"
	// IdentitySource is where the JWT authorizer reads the token.
	IdentitySource = "$request.header.Authorization"
	// PayloadFormat is the Lambda proxy integration's payload format version.
	PayloadFormat = "2.0"

	extensionIntegration = "x-amazon-apigateway-integration"
	extensionAuthorizer  = "x-amazon-apigateway-authorizer"
	extensionAnyMethod   = "x-amazon-apigateway-any-method"
)

// JWT is the authorizer every authorized route uses.
type JWT struct {
	// Issuer is the https URL of the token issuer.
	Issuer string
	// Audiences are the accepted audiences, at least one.
	Audiences []string
}

// Input is what the definition adds to the contract.
type Input struct {
	// Title is the API's name.
	Title string
	// Integrations map each operationId to the invoke ARN of the function that serves it
	// (a function alias's invoke ARN).
	Integrations map[string]string
	// Authorizer is the JWT authorizer; required when an operation has security.
	Authorizer *JWT
}

// Render returns the definition of spec with in, as JSON. It reports every problem at once:
// an operation with more than one security requirement, without an integration, or with
// security and no authorizer, and an integration of no operation.
func Render(spec *openapi.Spec, in Input) (string, error) {
	var problems []error
	paths := map[string]map[string]any{}
	needsAuthorizer := false
	for _, op := range spec.Operations() {
		if op.Requirements() > 1 && !op.Public {
			problems = append(problems, fmt.Errorf("operation %q (%s) has %d security requirements: an API Gateway route "+
				"has one list of scopes, so give the operation one requirement", op.ID, op.RouteKey(), op.Requirements()))
		}
		uri, ok := in.Integrations[op.ID]
		if !ok || uri == "" {
			problems = append(problems, fmt.Errorf("operation %q (%s) has no integration", op.ID, op.RouteKey()))
		}
		entry := map[string]any{
			"operationId": op.ID,
			"responses":   map[string]any{"default": map[string]any{"description": "The function's response."}},
			extensionIntegration: map[string]any{
				"type": "aws_proxy", "httpMethod": "POST", "uri": uri, "payloadFormatVersion": PayloadFormat,
			},
		}
		if !op.Public {
			needsAuthorizer = true
			entry["security"] = []any{map[string]any{AuthorizerName: nonNil(op.Scopes)}}
		}
		if paths[op.Path] == nil {
			paths[op.Path] = map[string]any{}
		}
		paths[op.Path][strings.ToLower(op.Method)] = entry
	}
	for _, id := range slices.Sorted(maps.Keys(in.Integrations)) {
		if !slices.ContainsFunc(spec.Operations(), func(o *openapi.Operation) bool { return o.ID == id }) {
			problems = append(problems, fmt.Errorf("integration %q: the spec has no such operation", id))
		}
	}
	doc := map[string]any{
		"openapi": "3.0.1",
		"info":    map[string]any{"title": in.Title, "version": spec.Document().Info.Version},
		"paths":   paths,
	}
	switch {
	case needsAuthorizer && in.Authorizer == nil:
		problems = append(problems, errors.New("operations have security, but there is no authorizer"))
	case needsAuthorizer:
		doc["components"] = map[string]any{"securitySchemes": map[string]any{AuthorizerName: map[string]any{
			"type":  "oauth2",
			"flows": map[string]any{},
			extensionAuthorizer: map[string]any{
				"type":           "jwt",
				"identitySource": IdentitySource,
				"jwtConfiguration": map[string]any{
					"issuer": in.Authorizer.Issuer, "audience": nonNil(in.Authorizer.Audiences),
				},
			},
		}}}
	}
	if err := errors.Join(problems...); err != nil {
		return "", fmt.Errorf("api definition: %w", err)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("api definition: %w", err)
	}
	return string(b), nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// SourcePath is the part of an execute-api ARN after the stage that matches the requests of a
// route key: METHOD/path with every parameter a wildcard ("*" for ANY). "GET /accounts/{id}"
// gives "GET/accounts/*"; a greedy parameter's "*" also matches the slashes below it.
func SourcePath(routeKey string) string {
	method, path, _ := strings.Cut(routeKey, " ")
	if method == "ANY" {
		method = "*"
	}
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	for i, seg := range segs {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			segs[i] = "*"
		}
	}
	return method + "/" + strings.Join(segs, "/")
}
