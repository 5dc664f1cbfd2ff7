package httpapi_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/httpapi"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
)

func TestValidate(t *testing.T) {
	fn := &function.Function{} // Validate only checks that a function is given
	route := func(key string) httpapi.Route { return httpapi.Route{Key: key, Function: fn} }
	public := func(key string) httpapi.Route { return httpapi.Route{Key: key, Function: fn, Public: true} }
	tests := []struct {
		name string
		args httpapi.Args
		want []string // every error line, in order; none means valid
	}{
		{
			name: "valid",
			args: httpapi.Args{
				Authorizer: jwt(),
				Routes: []httpapi.Route{
					route("GET /"), route("GET /accounts"), route("GET /accounts/{id}"),
					route("ANY /files/{path+}"), route("DELETE /a.b/c_d/e~f/{x_1}"),
					{Key: "PATCH /accounts/{id}", Function: fn, Scopes: []string{"accounts:write", "admin"}},
					route("HEAD /accounts"), route("OPTIONS /accounts"), route("PUT /accounts/{id}"), route("POST /accounts"),
				},
				CORS: &httpapi.CORS{AllowOrigins: []string{"https://app.example.com:8443", "http://localhost:3000", "http://127.0.0.1"},
					AllowMethods: []string{"GET", "*"}, AllowHeaders: []string{"X-Request-Id", "*"},
					ExposeHeaders: []string{"ETag"}, AllowCredentials: true, MaxAge: 24 * time.Hour},
				Throttle:         httpapi.Throttle{Burst: 1, Rate: 0.5},
				LatencyThreshold: 30 * time.Second,
				Domain: &httpapi.Domain{Name: "api.orders.example.com",
					CertificateArn: pulumi.String("arn:aws:acm:eu-west-1:111111111111:certificate/abc"), DisableExecuteAPIEndpoint: true},
			},
		},
		{
			name: "every route public, no authorizer",
			args: httpapi.Args{Routes: []httpapi.Route{public("GET /health")}},
		},
		{
			name: "authorizer given as outputs is checked when deployed",
			args: httpapi.Args{Routes: []httpapi.Route{route("GET /a")}, Authorizer: &httpapi.JWT{
				Issuer: pulumi.String("https://x").ToStringOutput(), Audiences: pulumi.StringArray{}.ToStringArrayOutput()}},
		},
		{
			name: "no routes",
			args: httpapi.Args{},
			want: []string{"Routes: at least one route is required"},
		},
		{
			name: "too many routes",
			args: httpapi.Args{Authorizer: jwt(), Routes: manyRoutes(301, fn)},
			want: []string{"Routes: 301 routes; at most 300 allowed"},
		},
		{
			name: "route keys",
			args: httpapi.Args{Authorizer: jwt(), Routes: []httpapi.Route{
				route("GET"), route("GET /a b"), route(" /a"), route("$default"),
				route("FETCH /a"), route("get /a"), route("GET a"), route("FETCH a"),
				route("GET /a//b"), route("GET /a/"), route("GET /a/{id"), route("GET /a/{}"), route("GET /a/{b-c}"),
				route("GET /{p+}/x"), route("GET /{id}/{id}"), route("GET /a?b=c"), route("GET /{id}.json"),
			}},
			want: []string{
				`Routes[0].Key: "GET" is not "METHOD /path", for example "GET /accounts/{id}"`,
				`Routes[1].Key: "GET /a b" is not "METHOD /path", for example "GET /accounts/{id}"`,
				`Routes[2].Key: " /a" is not "METHOD /path", for example "GET /accounts/{id}"`,
				`Routes[3].Key: "$default" is not "METHOD /path", for example "GET /accounts/{id}"`,
				`Routes[4].Key: method "FETCH" is not allowed; allowed GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY`,
				`Routes[5].Key: method "get" is not allowed; allowed GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY`,
				`Routes[6].Key: path "a" does not start with /`,
				`Routes[7].Key: method "FETCH" is not allowed; allowed GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY`,
				`Routes[7].Key: path "a" does not start with /`,
				`Routes[8].Key: path "/a//b" has an empty segment`,
				`Routes[9].Key: path "/a/" has an empty segment`,
				`Routes[10].Key: segment "{id" is neither a literal of [A-Za-z0-9._~-] nor a {parameter}`,
				`Routes[11].Key: segment "{}" is neither a literal of [A-Za-z0-9._~-] nor a {parameter}`,
				`Routes[12].Key: parameter "{b-c}" is not a name of [A-Za-z0-9_]`,
				`Routes[13].Key: greedy parameter "{p+}" must be the last segment`,
				`Routes[14].Key: parameter "id" appears twice`,
				`Routes[15].Key: segment "a?b=c" is neither a literal of [A-Za-z0-9._~-] nor a {parameter}`,
				`Routes[16].Key: segment "{id}.json" is neither a literal of [A-Za-z0-9._~-] nor a {parameter}`,
			},
		},
		{
			name: "duplicate routes and route fields",
			args: httpapi.Args{Authorizer: jwt(), Routes: []httpapi.Route{
				route("GET /a/{id}"),
				route("GET /a/{other}"),
				route("POST /a/{id}"),
				{Key: "GET /b"},
				{Key: "GET /c", Function: fn, Public: true, Scopes: []string{"x"}},
				{Key: "GET /d", Function: fn, Scopes: []string{"a", "", "a", "b c"}},
				route("GET /a/{id}"),
			}},
			want: []string{
				`Routes[1].Key: "GET /a/{other}" is the same route as Routes[0] ("GET /a/{id}"); API Gateway ignores parameter names`,
				"Routes[3].Function: is required",
				"Routes[4].Scopes: are set on a Public route, which takes no token; remove them or Public",
				`Routes[5].Scopes[1]: "" is not a scope; a scope is one non-empty word`,
				`Routes[5].Scopes[2]: "a" is also Scopes[0]; list a scope once`,
				`Routes[5].Scopes[3]: "b c" is not a scope; a scope is one non-empty word`,
				`Routes[6].Key: "GET /a/{id}" is the same route as Routes[0] ("GET /a/{id}"); API Gateway ignores parameter names`,
			},
		},
		{
			name: "authorizer required",
			args: httpapi.Args{Routes: []httpapi.Route{
				route("GET /a"), public("GET /b"), route("GET /c"), route("GET /d"), route("GET /e"), route("GET /f"),
			}},
			want: []string{`Authorizer: is required because these routes are not Public: "GET /a", "GET /c", "GET /d", and 2 more`},
		},
		{
			name: "authorizer fields",
			args: httpapi.Args{Routes: []httpapi.Route{route("GET /a")}, Authorizer: &httpapi.JWT{}},
			want: []string{
				"Authorizer.Issuer: is required (the https URL of the token issuer)",
				"Authorizer.Audiences: at least one audience is required",
			},
		},
		{
			name: "authorizer literals",
			args: httpapi.Args{Routes: []httpapi.Route{route("GET /a")}, Authorizer: &httpapi.JWT{
				Issuer: pulumi.String("http://id.example.com"), Audiences: pulumi.StringArray{}}},
			want: []string{
				`Authorizer.Issuer: "http://id.example.com" is not an https URL`,
				"Authorizer.Audiences: at least one audience is required",
			},
		},
		{
			name: "cors",
			args: httpapi.Args{Authorizer: jwt(), Routes: []httpapi.Route{route("GET /a")}, CORS: &httpapi.CORS{
				AllowOrigins:     []string{"*", "http://example.com", "https://example.com/app", "example.com", "https://"},
				AllowMethods:     []string{"ANY", "get"},
				AllowHeaders:     []string{"X Y", ""},
				ExposeHeaders:    []string{"a:b"},
				AllowCredentials: true,
				MaxAge:           1500 * time.Millisecond,
			}},
			want: []string{
				`CORS.AllowOrigins[0]: "*" is not allowed with AllowCredentials; list the origins`,
				`CORS.AllowOrigins[1]: "http://example.com" is not an origin; allowed "*", https://host[:port] or http://localhost[:port], without a path`,
				`CORS.AllowOrigins[2]: "https://example.com/app" is not an origin; allowed "*", https://host[:port] or http://localhost[:port], without a path`,
				`CORS.AllowOrigins[3]: "example.com" is not an origin; allowed "*", https://host[:port] or http://localhost[:port], without a path`,
				`CORS.AllowOrigins[4]: "https://" is not an origin; allowed "*", https://host[:port] or http://localhost[:port], without a path`,
				`CORS.AllowMethods[0]: "ANY" is not a method; allowed GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, *`,
				`CORS.AllowMethods[1]: "get" is not a method; allowed GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, *`,
				`CORS.AllowHeaders[0]: "X Y" is not a header name`,
				`CORS.AllowHeaders[1]: "" is not a header name`,
				`CORS.ExposeHeaders[0]: "a:b" is not a header name`,
				"CORS.MaxAge: 1.5s is not whole seconds between 0s and 24h0m0s",
			},
		},
		{
			name: "cors without origins",
			args: httpapi.Args{Authorizer: jwt(), Routes: []httpapi.Route{route("GET /a")}, CORS: &httpapi.CORS{MaxAge: 25 * time.Hour}},
			want: []string{
				"CORS.AllowOrigins: at least one origin is required",
				"CORS.MaxAge: 25h0m0s is not whole seconds between 0s and 24h0m0s",
			},
		},
		{
			name: "throttle latency domain",
			args: httpapi.Args{
				Authorizer:       jwt(),
				Routes:           []httpapi.Route{route("GET /a")},
				Throttle:         httpapi.Throttle{Burst: -1, Rate: math.Inf(1)},
				LatencyThreshold: 31 * time.Second,
				Domain:           &httpapi.Domain{Name: "Api.Example.com", CertificateArn: pulumi.String("cert")},
			},
			want: []string{
				"Throttle.Burst: -1 is not greater than 0",
				"Throttle.Rate: +Inf is not a number of requests per second greater than 0",
				"LatencyThreshold: 31s is not whole milliseconds between 1ms and 30s (the longest an HTTP API waits for an integration)",
				`Domain.Name: "Api.Example.com" is not a fully qualified domain name (lowercase labels of [a-z0-9-], at least two, at most 253 characters)`,
				`Domain.CertificateArn: "cert" is not an ARN`,
			},
		},
		{
			name: "negative values and a bare domain",
			args: httpapi.Args{
				Authorizer:       jwt(),
				Routes:           []httpapi.Route{route("GET /a")},
				Throttle:         httpapi.Throttle{Rate: -2},
				LatencyThreshold: time.Microsecond,
				Domain:           &httpapi.Domain{Name: "localhost"},
			},
			want: []string{
				"Throttle.Rate: -2 is not a number of requests per second greater than 0",
				"LatencyThreshold: 1µs is not whole milliseconds between 1ms and 30s (the longest an HTTP API waits for an integration)",
				`Domain.Name: "localhost" is not a fully qualified domain name (lowercase labels of [a-z0-9-], at least two, at most 253 characters)`,
				"Domain.CertificateArn: is required (an ACM certificate for the domain, in the API's region)",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.args.Scope = scopetest.New()
			err := tt.args.Validate()
			if len(tt.want) == 0 {
				assert.NoError(t, err)
				return
			}
			if assert.Error(t, err) {
				assert.Equal(t, tt.want, strings.Split(err.Error(), "\n"))
			}
		})
	}
}

func TestValidateScope(t *testing.T) {
	err := (&httpapi.Args{Routes: []httpapi.Route{{Key: "GET /a", Function: &function.Function{}, Public: true}}}).Validate()
	if assert.Error(t, err) {
		assert.Equal(t, []string{
			"Scope.Naming: naming: org is empty; it is required",
			"naming: env is empty; it is required",
			"naming: context is empty; it is required",
			"Scope.KeyArn: is required (the KMS key that encrypts data at rest)",
			"Scope.AlarmTopicArn: is required (the SNS topic alarms notify)",
		}, strings.Split(err.Error(), "\n"))
	}
}

func manyRoutes(n int, fn *function.Function) []httpapi.Route {
	out := make([]httpapi.Route, n)
	for i := range out {
		out[i] = httpapi.Route{Key: "GET /r" + strings.Repeat("x", i), Function: fn}
	}
	return out
}
