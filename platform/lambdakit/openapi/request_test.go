package openapi

import (
	"context"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/api"
)

// request returns a request of routeKey that a JWT authorizer passed with scopes; no scopes
// at all means no authorizer.
func request(routeKey string, scopes ...string) events.APIGatewayV2HTTPRequest {
	req := events.APIGatewayV2HTTPRequest{RouteKey: routeKey, Headers: map[string]string{}}
	if len(scopes) > 0 {
		req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{
				Claims: map[string]string{"sub": "u-1", "scope": strings.Join(scopes, " ")},
			},
		}
	}
	return req
}

// place returns a POST /orders request with body as JSON.
func place(body string) events.APIGatewayV2HTTPRequest {
	req := request("POST /orders", "orders:write")
	req.Headers["content-type"] = "application/json"
	req.Body = body
	return req
}

func get(id string) events.APIGatewayV2HTTPRequest {
	req := request("GET /orders/{orderId}", "orders:read")
	req.PathParameters = map[string]string{"orderId": id}
	return req
}

func list(query map[string]string, raw string) events.APIGatewayV2HTTPRequest {
	req := request("GET /orders", "orders:read")
	req.QueryStringParameters = query
	req.RawQueryString = raw
	return req
}

const validOrder = `{"item":"tea","quantity":2,"address":{"city":"Lyon"},"tags":["gift"]}`

func TestValidateRequestFields(t *testing.T) {
	s := orders(t)
	withHeader := func(req events.APIGatewayV2HTTPRequest, name, value string) events.APIGatewayV2HTTPRequest {
		req.Headers = map[string]string{name: value}
		return req
	}
	base64Body := func(body string) events.APIGatewayV2HTTPRequest {
		req := place(base64.StdEncoding.EncodeToString([]byte(body)))
		req.IsBase64Encoded = true
		return req
	}
	tests := []struct {
		name string
		req  events.APIGatewayV2HTTPRequest
		want map[string]string // nil: valid
	}{
		{name: "valid body", req: place(validOrder)},
		{name: "valid base64 body", req: base64Body(validOrder)},
		{name: "a charset of UTF-8", req: withHeader(place(validOrder), "Content-Type", "application/json; charset=UTF-8")},
		{
			name: "every invalid field at once",
			req:  place(`{"item":"","quantity":0,"address":{"town":"Lyon"},"tags":["gift","x","urgent"],"note":"hi"}`),
			want: map[string]string{
				"item":         `must have at least 1 character, got ""`,
				"quantity":     "must be at least 1, got 0",
				"address.city": "is required",
				"address.town": "is not a known field",
				"tags":         "must have at most 2 items",
				"tags.1":       `must be one of "gift", "urgent", got "x"`,
				"note":         "is not a known field",
			},
		},
		{name: "wrong types", req: place(`{"item":7,"quantity":"2","address":[]}`), want: map[string]string{
			"item":     "must be a string, got 7",
			"quantity": `must be an integer, got "2"`,
			"address":  "must be an object, got an array",
		}},
		{name: "too long", req: place(`{"item":"` + strings.Repeat("é", 21) + `","quantity":1,"address":{"city":"x"}}`), want: map[string]string{
			"item": "must have at most 20 characters, got 21",
		}},
		{name: "missing fields", req: place(`{}`), want: map[string]string{"item": "is required", "quantity": "is required", "address": "is required"}},
		{name: "not an object", req: place(`[1]`), want: map[string]string{"body": "must be an object, got an array"}},
		{name: "not JSON", req: place(`{"item":`), want: map[string]string{"body": "is not valid JSON"}},
		{name: "no body", req: place(""), want: map[string]string{"body": "is required"}},
		{name: "no content type", req: withHeader(place(validOrder), "x-other", "1"), want: map[string]string{"content-type": "must be application/json"}},
		{name: "another content type", req: withHeader(place(validOrder), "content-type", "text/plain"), want: map[string]string{"content-type": "must be application/json"}},
		{name: "another charset", req: withHeader(place(validOrder), "content-type", "application/json; charset=latin1"), want: map[string]string{"content-type": `charset must be utf-8, got "latin1"`}},
		{name: "a broken content type", req: withHeader(place(validOrder), "content-type", "application/json; charset"), want: map[string]string{"content-type": `is not a media type, got "application/json; charset"`}},
		{name: "invalid base64", req: func() events.APIGatewayV2HTTPRequest { r := place(validOrder); r.IsBase64Encoded = true; return r }(), want: map[string]string{"body": "is not valid base64"}},
		{name: "not UTF-8", req: place("{\"item\":\"\xff\"}"), want: map[string]string{"body": "must be UTF-8"}},
		{name: "too large", req: place(`{"item":"` + strings.Repeat("a", api.MaxBodyBytes) + `"}`), want: map[string]string{"body": "must be at most 1048576 bytes"}},
		{name: "too large in base64", req: base64Body(strings.Repeat("a", api.MaxBodyBytes+1)), want: map[string]string{"body": "must be at most 1048576 bytes"}},

		{name: "valid path parameter", req: get("o-12")},
		{name: "path parameter against its pattern", req: get("12"), want: map[string]string{"orderId": `must match the pattern ^o-[0-9]+$, got "12"`}},
		{name: "missing path parameter", req: get(""), want: map[string]string{"orderId": "is required"}},

		{name: "valid query", req: list(map[string]string{"limit": "50", "status": "open"}, "")},
		{name: "no query", req: list(nil, "")},
		{name: "query parameters", req: list(map[string]string{"limit": "ten", "status": "lost"}, ""), want: map[string]string{
			"limit":  `must be an integer, got "ten"`,
			"status": `must be one of "open", "closed", got "lost"`,
		}},
		{name: "raw query string first", req: list(map[string]string{"limit": "5"}, "limit=51"), want: map[string]string{"limit": "must be at most 50, got 51"}},
		{name: "a long value is cut", req: list(map[string]string{"limit": strings.Repeat("9", 50) + "x"}, ""), want: map[string]string{
			"limit": `must be an integer, got "` + strings.Repeat("9", 40) + `"...`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.ValidateRequest(context.Background(), tt.req)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			verr, ok := errors.AsType[*lambdakit.ValidationError](err)
			require.True(t, ok, "error = %v, want a *lambdakit.ValidationError", err)
			assert.Equal(t, tt.want, verr.Fields)
		})
	}
}

func TestValidateRequestSecurity(t *testing.T) {
	s := orders(t)
	withScopes := func(req events.APIGatewayV2HTTPRequest, scopes ...string) events.APIGatewayV2HTTPRequest {
		req.RequestContext = request("", scopes...).RequestContext
		return req
	}
	cancel := func(scopes ...string) events.APIGatewayV2HTTPRequest {
		req := request("DELETE /orders/{orderId}", scopes...)
		req.PathParameters = map[string]string{"orderId": "o-1"}
		return req
	}
	tests := []struct {
		name    string
		req     events.APIGatewayV2HTTPRequest
		wantErr string
		wantIs  error
	}{
		{name: "granted", req: get("o-1")},
		{name: "one requirement of two", req: withScopes(list(nil, ""), "orders:admin")},
		{name: "every scope of a requirement", req: cancel("orders:read", "orders:write")},
		{name: "public", req: request("GET /health")},
		{name: "missing scope", req: withScopes(get("o-1"), "orders:write"), wantErr: `missing scope "orders:read": forbidden`, wantIs: lambdakit.ErrForbidden},
		{name: "no requirement met", req: withScopes(list(nil, ""), "orders:write"), wantErr: `missing scope "orders:read" or "orders:admin": forbidden`, wantIs: lambdakit.ErrForbidden},
		{name: "one scope of a requirement", req: cancel("orders:write"), wantErr: `missing scope "orders:read": forbidden`, wantIs: lambdakit.ErrForbidden},
		{name: "no authorizer", req: cancel(), wantErr: "request has no jwt authorizer claims", wantIs: api.ErrNoClaims},
		// A caller without access learns nothing of the input the operation takes.
		{name: "forbidden before invalid", req: withScopes(place(`{}`), "orders:read"), wantErr: `missing scope "orders:write": forbidden`, wantIs: lambdakit.ErrForbidden},
		{name: "unknown route", req: request("PUT /orders", "orders:write"), wantErr: `route key "PUT /orders": route is not an operation of the spec`, wantIs: ErrUnknownRoute},
		{name: "default route", req: request("$default", "orders:write"), wantErr: `route key "$default": route is not an operation of the spec`, wantIs: ErrUnknownRoute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.ValidateRequest(context.Background(), tt.req)
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.EqualError(t, err, tt.wantErr)
			assert.ErrorIs(t, err, tt.wantIs)
		})
	}
}

func TestWrap(t *testing.T) {
	s := orders(t)
	ctx := lambdakit.WithLogger(context.Background(), slog.New(slog.DiscardHandler))
	var calls int
	h := s.Wrap(func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		calls++
		return api.JSON(http.StatusCreated, map[string]string{"orderId": "o-1"}), nil
	})

	resp, err := h(ctx, place(validOrder))
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, 1, calls)

	for req, want := range map[*events.APIGatewayV2HTTPRequest]string{
		new(place(`{"item":""}`)): `{"type":"about:blank","title":"Bad Request","status":400,"detail":"The request is invalid; see errors for each field.",` +
			`"errors":{"address":"is required","item":"must have at least 1 character, got \"\"","quantity":"is required"}}`,
		new(get("o-1")): "", // valid: h answers
		new(request("GET /orders/{orderId}", "orders:write")): `{"type":"about:blank","title":"Forbidden","status":403,"detail":"missing scope \"orders:read\": forbidden"}`,
		new(request("PUT /orders", "orders:write")): `{"type":"about:blank","title":"Internal Server Error","status":500,` +
			`"detail":"The server could not complete the request; the error has been logged."}`,
	} {
		calls = 0
		resp, err := h(ctx, *req)
		require.NoError(t, err)
		if want == "" {
			assert.Equal(t, 1, calls, req.RouteKey)
			continue
		}
		assert.Equal(t, 0, calls, "%s: the handler ran on a request the spec refuses", req.RouteKey)
		assert.Equal(t, api.ContentTypeProblem, resp.Headers["Content-Type"])
		assert.JSONEq(t, want, resp.Body)
	}
}
