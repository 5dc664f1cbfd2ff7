package apidef_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/apidef"
	"github.com/stratum-platform/stratum/platform/lambdakit/openapi"
)

const (
	issuer   = "https://login.example.com/"
	placeURI = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111111111111:function:place:live/invocations"
)

// orders is the handler kit's test spec, whose list operation has two security requirements.
func orders(t *testing.T, edit func(string) string) *openapi.Spec {
	t.Helper()
	data, err := os.ReadFile("../lambdakit/openapi/testdata/orders.yaml")
	require.NoError(t, err)
	s, err := openapi.Load([]byte(edit(string(data))))
	require.NoError(t, err)
	return s
}

// oneRequirement leaves the list operation with its first requirement only.
func oneRequirement(s string) string {
	return strings.Replace(s, "        - oauth2: [orders:read]\n        - oauth2: [orders:admin]\n", "        - oauth2: [orders:read]\n", 1)
}

func integrations() map[string]string {
	return map[string]string{"place": placeURI, "list": "uri-list", "get": "uri-get", "cancel": "uri-cancel", "health": "uri-health"}
}

func TestRender(t *testing.T) {
	body, err := apidef.Render(orders(t, oneRequirement), apidef.Input{
		Title:        "acme-dev-orders-api",
		Integrations: integrations(),
		Authorizer:   &apidef.JWT{Issuer: issuer, Audiences: []string{"orders-api"}},
	})
	require.NoError(t, err)

	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &doc))
	assert.Equal(t, "3.0.1", doc["openapi"])
	assert.Equal(t, map[string]any{"title": "acme-dev-orders-api", "version": "1.0.0"}, doc["info"])
	paths := doc["paths"].(map[string]any)
	assert.Equal(t, map[string]any{
		"operationId": "place",
		"security":    []any{map[string]any{"jwt": []any{"orders:write"}}},
		"responses":   map[string]any{"default": map[string]any{"description": "The function's response."}},
		"x-amazon-apigateway-integration": map[string]any{
			"type": "aws_proxy", "httpMethod": "POST", "uri": placeURI, "payloadFormatVersion": "2.0",
		},
	}, paths["/orders"].(map[string]any)["post"])
	health := paths["/health"].(map[string]any)["get"].(map[string]any)
	assert.NotContains(t, health, "security", "a public operation's route has no authorization")
	assert.Equal(t, map[string]any{"jwt": map[string]any{
		"type": "oauth2", "flows": map[string]any{},
		"x-amazon-apigateway-authorizer": map[string]any{
			"type": "jwt", "identitySource": "$request.header.Authorization",
			"jwtConfiguration": map[string]any{"issuer": issuer, "audience": []any{"orders-api"}},
		},
	}}, doc["components"].(map[string]any)["securitySchemes"])
	assert.NotContains(t, body, "schema", "schemas stay in the contract")

	again, err := apidef.Render(orders(t, oneRequirement), apidef.Input{
		Title: "acme-dev-orders-api", Integrations: integrations(),
		Authorizer: &apidef.JWT{Issuer: issuer, Audiences: []string{"orders-api"}},
	})
	require.NoError(t, err)
	assert.Equal(t, body, again, "the same inputs render the same bytes")

	d, err := apidef.Parse(body)
	require.NoError(t, err)
	var keys []string
	for _, r := range d.Routes {
		keys = append(keys, r.Key+" "+r.OperationID+" "+d.AuthorizationType(r)+" "+strings.Join(r.Scopes, ","))
	}
	assert.Equal(t, []string{
		"DELETE /orders/{orderId} cancel JWT orders:read,orders:write",
		"GET /health health NONE ",
		"GET /orders list JWT orders:read",
		"GET /orders/{orderId} get JWT orders:read",
		"POST /orders place JWT orders:write",
	}, keys)
	place := d.Routes[len(d.Routes)-1]
	assert.Equal(t, apidef.Integration{Type: "aws_proxy", URI: placeURI, PayloadFormatVersion: "2.0"}, place.Integration)
	assert.Equal(t, apidef.Authorizer{Type: "jwt", IdentitySource: "$request.header.Authorization", Issuer: issuer,
		Audiences: []string{"orders-api"}}, d.Authorizers["jwt"])
}

func TestRenderRefuses(t *testing.T) {
	in := integrations()
	delete(in, "get")
	in["refund"] = "uri-refund"
	_, err := apidef.Render(orders(t, func(s string) string { return s }), apidef.Input{Title: "x", Integrations: in})
	require.Error(t, err)
	for _, want := range []string{
		`operation "list" (GET /orders) has 2 security requirements: an API Gateway route has one list of scopes`,
		`operation "get" (GET /orders/{orderId}) has no integration`,
		`integration "refund": the spec has no such operation`,
		"operations have security, but there is no authorizer",
	} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestParseReadsOtherShapes(t *testing.T) {
	d, err := apidef.Parse(`{"paths": {"/{proxy+}": {"parameters": [], "x-amazon-apigateway-any-method": {
		"security": [{}, {"iam": []}],
		"x-amazon-apigateway-integration": {"type": "AWS_PROXY", "uri": "u", "payloadFormatVersion": 1.0}}}},
		"components": {"securitySchemes": {"iam": {"type": "apiKey"}, "lambda": {"x-amazon-apigateway-authorizer": {"type": "request"}}}}}`)
	require.NoError(t, err)
	require.Len(t, d.Routes, 1)
	r := d.Routes[0]
	assert.Equal(t, "ANY /{proxy+}", r.Key)
	assert.Equal(t, "NONE", d.AuthorizationType(r), "an empty requirement lets anyone in")
	assert.Equal(t, 2, r.Requirements)
	assert.Equal(t, apidef.Integration{Type: "aws_proxy", URI: "u", PayloadFormatVersion: "1.0"}, r.Integration)
	assert.Equal(t, "CUSTOM", d.AuthorizationType(apidef.Route{Security: "lambda"}))

	_, err = apidef.Parse("[unknown]")
	assert.ErrorContains(t, err, "api definition: not a JSON OpenAPI document")
}

func TestSourcePath(t *testing.T) {
	for key, want := range map[string]string{
		"GET /accounts/{accountId}":       "GET/accounts/*",
		"POST /accounts":                  "POST/accounts",
		"ANY /files/{path+}":              "*/files/*",
		"GET /":                           "GET/",
		"DELETE /a/{b}/c/{d}":             "DELETE/a/*/c/*",
		"GET /accounts/{accountId}/items": "GET/accounts/*/items",
	} {
		assert.Equal(t, want, apidef.SourcePath(key), key)
	}
}
