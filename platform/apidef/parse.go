package apidef

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Definition is a parsed API definition: the routes and authorizers API Gateway creates
// from it.
type Definition struct {
	// Routes are the routes, by route key.
	Routes []Route
	// Authorizers are the security schemes that API Gateway makes authorizers of, by name.
	Authorizers map[string]Authorizer
}

// Route is one route of a definition.
type Route struct {
	// Key is the route key, "METHOD /path" (ANY for x-amazon-apigateway-any-method).
	Key string
	// OperationID is the operation's id, the route's operation name.
	OperationID string
	// Security names the security scheme of the route's one requirement; "" for a route
	// without authorization. Requirements counts them all.
	Security     string
	Requirements int
	// Scopes are the authorization scopes of the route's requirement.
	Scopes []string
	// Integration is what the route invokes; its zero value when there is none.
	Integration Integration
}

// Integration is a route's x-amazon-apigateway-integration.
type Integration struct {
	// Type is aws_proxy for a Lambda proxy integration.
	Type string
	// URI is what the integration invokes: a Lambda function's invoke ARN (or its ARN).
	URI string
	// PayloadFormatVersion is 1.0 or 2.0.
	PayloadFormatVersion string
}

// Authorizer is a security scheme's x-amazon-apigateway-authorizer.
type Authorizer struct {
	// Type is jwt or request.
	Type string
	// IdentitySource is where the token is read.
	IdentitySource string
	// Issuer and Audiences configure a JWT authorizer.
	Issuer    string
	Audiences []string
}

// AuthorizationType is what the route checks, in the words of an API Gateway route: JWT,
// CUSTOM (a Lambda authorizer), AWS_IAM, or NONE.
func (d *Definition) AuthorizationType(r Route) string {
	if r.Security == "" {
		return "NONE"
	}
	a, ok := d.Authorizers[r.Security]
	switch {
	case !ok:
		return "NONE"
	case strings.EqualFold(a.Type, "jwt"):
		return "JWT"
	case strings.EqualFold(a.Type, "request"):
		return "CUSTOM"
	case strings.EqualFold(a.Type, "awsSigv4"):
		return "AWS_IAM"
	}
	return "NONE"
}

// Parse reads a definition (JSON, as Render writes it, or any OpenAPI document with the same
// extensions in JSON).
func Parse(body string) (*Definition, error) {
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			SecuritySchemes map[string]map[string]json.RawMessage `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		return nil, fmt.Errorf("api definition: not a JSON OpenAPI document: %w", err)
	}
	d := &Definition{Authorizers: map[string]Authorizer{}}
	for path, item := range doc.Paths {
		for method, raw := range item {
			key, ok := routeKey(method, path)
			if !ok {
				continue // parameters, summary, servers: not an operation
			}
			r, err := parseRoute(key, raw)
			if err != nil {
				return nil, err
			}
			d.Routes = append(d.Routes, r)
		}
	}
	slices.SortFunc(d.Routes, func(a, b Route) int { return cmp.Compare(a.Key, b.Key) })
	for name, scheme := range doc.Components.SecuritySchemes {
		raw, ok := scheme[extensionAuthorizer]
		if !ok {
			continue
		}
		var a struct {
			Type           string `json:"type"`
			IdentitySource any    `json:"identitySource"`
			JWT            struct {
				Issuer   string   `json:"issuer"`
				Audience []string `json:"audience"`
			} `json:"jwtConfiguration"`
		}
		if err := json.Unmarshal(raw, &a); err != nil {
			return nil, fmt.Errorf("api definition: security scheme %q: %w", name, err)
		}
		source, _ := a.IdentitySource.(string)
		d.Authorizers[name] = Authorizer{Type: a.Type, IdentitySource: source, Issuer: a.JWT.Issuer, Audiences: a.JWT.Audience}
	}
	return d, nil
}

// routeKey returns the route key of an operation under path, and false for a path item's
// field that is not an operation.
func routeKey(method, path string) (string, bool) {
	if method == extensionAnyMethod {
		return "ANY " + path, true
	}
	if !slices.Contains([]string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}, method) {
		return "", false
	}
	return strings.ToUpper(method) + " " + path, true
}

func parseRoute(key string, raw json.RawMessage) (Route, error) {
	var op struct {
		OperationID string                `json:"operationId"`
		Security    []map[string][]string `json:"security"`
		Integration struct {
			Type                 string `json:"type"`
			URI                  string `json:"uri"`
			PayloadFormatVersion any    `json:"payloadFormatVersion"`
		} `json:"x-amazon-apigateway-integration"`
	}
	if err := json.Unmarshal(raw, &op); err != nil {
		return Route{}, fmt.Errorf("api definition: %s: %w", key, err)
	}
	r := Route{Key: key, OperationID: op.OperationID, Requirements: len(op.Security),
		Integration: Integration{Type: strings.ToLower(op.Integration.Type), URI: op.Integration.URI,
			PayloadFormatVersion: version(op.Integration.PayloadFormatVersion)}}
	for _, req := range op.Security {
		if len(req) == 0 {
			// An empty requirement lets anonymous callers in.
			r.Security, r.Scopes = "", nil
			return r, nil
		}
	}
	if len(op.Security) > 0 {
		for _, name := range slices.Sorted(maps.Keys(op.Security[0])) {
			r.Security = name
			r.Scopes = append(r.Scopes, op.Security[0][name]...)
		}
	}
	return r, nil
}

// version reads a payload format version, which YAML may have made a number (2.0).
func version(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return ""
}
