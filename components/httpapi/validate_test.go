package httpapi_test

import (
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/httpapi"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
)

// spec returns the test spec with edits applied, each replacing its first old string.
func spec(t *testing.T, edits ...string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/public.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for i := 0; i+1 < len(edits); i += 2 {
		s = strings.Replace(s, edits[i], edits[i+1], 1)
	}
	return []byte(s)
}

func TestValidate(t *testing.T) {
	fn := &function.Function{} // Validate only checks that a function is given
	bound := func() map[string]*function.Function {
		return map[string]*function.Function{"getAccount": fn, "register": fn, "health": fn}
	}
	valid := func() httpapi.Args {
		return httpapi.Args{Spec: spec(t), Operations: bound(), Authorizer: jwt()}
	}
	with := func(edit func(*httpapi.Args)) httpapi.Args {
		a := valid()
		edit(&a)
		return a
	}
	tests := []struct {
		name string
		args httpapi.Args
		want []string // every error line, in order; none means valid
	}{
		{
			name: "valid",
			args: with(func(a *httpapi.Args) {
				a.CORS = &httpapi.CORS{AllowOrigins: []string{"https://app.example.com:8443", "http://localhost:3000", "http://127.0.0.1"},
					AllowMethods: []string{"GET", "*"}, AllowHeaders: []string{"X-Request-Id", "*"},
					ExposeHeaders: []string{"ETag"}, AllowCredentials: true, MaxAge: 24 * time.Hour}
				a.Throttle = httpapi.Throttle{Burst: 1, Rate: 0.5}
				a.RouteThrottles = map[string]httpapi.Throttle{"register": {Burst: 5}}
				a.LatencyThreshold = 30 * time.Second
				a.Domain = &httpapi.Domain{Name: "api.orders.example.com", Path: "orders/v2"}
			}),
		},
		{
			name: "only public operations, no authorizer",
			args: httpapi.Args{
				Spec:       spec(t, "      security:\n        - oauth2: [accounts:read, accounts:admin]\n", "", "      security:\n        - oauth2: [accounts:write]\n", ""),
				Operations: bound(),
			},
		},
		{
			name: "authorizer given as outputs is checked when deployed",
			args: with(func(a *httpapi.Args) {
				a.Authorizer = &httpapi.JWT{Issuer: pulumi.String("https://x").ToStringOutput(), Audiences: pulumi.StringArray{}.ToStringArrayOutput()}
			}),
		},
		{
			name: "no spec",
			args: httpapi.Args{},
			want: []string{"Spec: is required (the API's OpenAPI 3.0 contract, such as the context's api.V1)"},
		},
		{
			name: "a spec that does not load",
			args: httpapi.Args{Spec: []byte("openapi: 3.1.0\n")},
			want: []string{`Spec: openapi: version "3.1.0": want 3.0.x`},
		},
		{
			name: "bindings",
			args: with(func(a *httpapi.Args) {
				delete(a.Operations, "register")
				a.Operations["health"] = nil
				a.Operations["refund"] = fn
			}),
			want: []string{
				`Operations: operation "register" (POST /accounts) has no function; bind it to the function that serves it`,
				`Operations["health"]: is nil`,
				`Operations["refund"]: the spec has no operation "refund" (operations: getAccount, health, register)`,
			},
		},
		{
			name: "operations API Gateway refuses",
			args: with(func(a *httpapi.Args) {
				a.Spec = spec(t, "  /health:\n", "  /{p+}/x.{y}:\n", "      operationId: health\n",
					"      operationId: health\n      parameters:\n        - {name: p+, in: path, required: true, schema: {type: string}}\n"+
						"        - {name: y, in: path, required: true, schema: {type: string}}\n",
					"- oauth2: [accounts:write]\n", "- oauth2: [accounts:write]\n        - oauth2: [accounts:admin]\n",
					"version: 2.1.0", "version: latest")
			}),
			want: []string{
				`Spec: info.version "latest" does not start with a major version of 1 or more, as 2.0.0`,
				`Spec: operation "register" (POST /accounts) has 2 security requirements; an API Gateway route has one list of scopes, of which it accepts any one, so give the operation one requirement`,
				`Spec: GET /{p+}/x.{y}: greedy parameter "{p+}" must be the last segment`,
				`Spec: GET /{p+}/x.{y}: segment "x.{y}" is neither a literal of [A-Za-z0-9._~-] nor a {parameter}`,
			},
		},
		{
			name: "authorizer required",
			args: with(func(a *httpapi.Args) { a.Authorizer = nil }),
			want: []string{`Authorizer: is required because these operations have security: "register", "getAccount"`},
		},
		{
			name: "authorizer fields",
			args: with(func(a *httpapi.Args) { a.Authorizer = &httpapi.JWT{} }),
			want: []string{
				"Authorizer.Issuer: is required (the https URL of the token issuer)",
				"Authorizer.Audiences: at least one audience is required",
			},
		},
		{
			name: "authorizer literals",
			args: with(func(a *httpapi.Args) {
				a.Authorizer = &httpapi.JWT{Issuer: pulumi.String("http://id.example.com"), Audiences: pulumi.StringArray{}}
			}),
			want: []string{
				`Authorizer.Issuer: "http://id.example.com" is not an https URL`,
				"Authorizer.Audiences: at least one audience is required",
			},
		},
		{
			name: "cors",
			args: with(func(a *httpapi.Args) {
				a.CORS = &httpapi.CORS{
					AllowOrigins:     []string{"*", "http://example.com", "https://example.com/app", "example.com", "https://"},
					AllowMethods:     []string{"ANY", "get"},
					AllowHeaders:     []string{"X Y", ""},
					ExposeHeaders:    []string{"a:b"},
					AllowCredentials: true,
					MaxAge:           1500 * time.Millisecond,
				}
			}),
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
			args: with(func(a *httpapi.Args) { a.CORS = &httpapi.CORS{MaxAge: 25 * time.Hour} }),
			want: []string{
				"CORS.AllowOrigins: at least one origin is required",
				"CORS.MaxAge: 25h0m0s is not whole seconds between 0s and 24h0m0s",
			},
		},
		{
			name: "throttles latency domain",
			args: with(func(a *httpapi.Args) {
				a.Throttle = httpapi.Throttle{Burst: -1, Rate: math.Inf(1)}
				a.RouteThrottles = map[string]httpapi.Throttle{"register": {Rate: -2}, "refund": {}}
				a.LatencyThreshold = 31 * time.Second
				a.Domain = &httpapi.Domain{Name: "Api.Example.com", Path: "/orders//v1"}
			}),
			want: []string{
				"Throttle.Burst: -1 is not greater than 0",
				"Throttle.Rate: +Inf is not a number of requests per second greater than 0",
				`RouteThrottles["refund"]: the spec has no operation "refund" (operations: getAccount, health, register)`,
				`RouteThrottles["register"].Rate: -2 is not a number of requests per second greater than 0`,
				"LatencyThreshold: 31s is not whole milliseconds between 1ms and 30s (the longest an HTTP API waits for an integration)",
				`Domain.Name: "Api.Example.com" is not a fully qualified domain name (lowercase labels of [a-z0-9-], at least two, at most 253 characters)`,
				`Domain.Path: "/orders//v1" is not a mapping path: segments of [A-Za-z0-9._~-] separated by /, at most 300 characters`,
			},
		},
		{
			name: "negative latency and a bare domain",
			args: with(func(a *httpapi.Args) {
				a.LatencyThreshold = time.Microsecond
				a.Domain = &httpapi.Domain{Name: "localhost"}
			}),
			want: []string{
				"LatencyThreshold: 1µs is not whole milliseconds between 1ms and 30s (the longest an HTTP API waits for an integration)",
				`Domain.Name: "localhost" is not a fully qualified domain name (lowercase labels of [a-z0-9-], at least two, at most 253 characters)`,
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
	err := (&httpapi.Args{Spec: spec(t), Operations: map[string]*function.Function{
		"getAccount": {}, "register": {}, "health": {}}, Authorizer: jwt()}).Validate()
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
