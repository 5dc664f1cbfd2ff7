// Package httpapi provides API: an API Gateway HTTP API defined by its OpenAPI contract. The
// component renders the gateway's definition from the spec (platform/apidef) at plan and
// deploy time and creates the API from it (Body, FailOnWarnings): every operation a route,
// with its Lambda integration and its authorization, and nothing about them outside the spec
// and the Go binding of each operationId to the function that serves it.
//
// One model, the spec, for every API: there is no Go route list beside it. A route list
// would be a second description of the same API that the handlers' validation, the
// breaking-change gate and the portal could not read, and an API built from both Route
// resources and a Body is the provider's to overwrite one with the other on every update.
// An API needs a spec of a few lines at least, which is its public contract anyway.
//
// Default settings:
//   - protocol HTTP, created from the rendered definition with FailOnWarnings, so that
//     anything API Gateway would ignore fails the deploy; one `$default` stage deployed
//     automatically on every change;
//   - every operation a route (its route key "METHOD /path" and operationId), with a Lambda
//     proxy integration (payload format 2.0) to its function's `live` alias (the alias's
//     invoke ARN), and one lambda.Permission per route whose SourceArn is that route's
//     method and path only, never the whole API;
//   - an operation with security is authorized by the JWT authorizer (identity source the
//     Authorization header) with its scopes as the route's authorization scopes; API Gateway
//     accepts any one of them and the handler kit checks all, and an operation with more
//     than one security requirement is refused; an operation without security is public;
//   - access logs as one JSON object per request (request id, API id, source ip, time,
//     method, route, status, protocol, response length, latencies, integration and
//     authorizer errors, the caller's `sub` and `client_id` claims) in a log group with the
//     scope's retention and KMS key, subscribed to the scope's log destination (the
//     platform's log aggregation), and a metric filter counting the requests of each
//     caller (`Requests` in `Stratum/HttpApi` by ApiId and Caller): who still calls a
//     version;
//   - route throttling: burst 100, 50 requests per second for every route, and per route
//     where RouteThrottles says so (the stage's limit is shared by all callers of a route);
//   - no CORS; with a Domain, the stage mapped at `<context>/v<major version>` of the
//     platform's custom domain, and the execute-api endpoint kept;
//   - alarms to the scope's alarm topic: at least 5 server errors (5xx) in 5 minutes, p99
//     latency above 3s for 10 minutes.
package httpapi

import (
	"fmt"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigatewayv2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/platform/lambdakit/openapi"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/tokens"
)

// TypeToken is the Pulumi type of API; renaming it needs an alias.
const TypeToken = tokens.HTTPAPI

// StageName is the API's only stage, served at the root of the API's URL.
const StageName = "$default"

// The defaults of Args.
const (
	DefaultBurst            = 100
	DefaultRate             = 50.0
	DefaultLatencyThreshold = 3 * time.Second
)

// Args configures an API.
type Args struct {
	// Scope names the API and supplies its key, tags, log retention and alarm topic.
	// Required.
	Scope scope.Scope
	// Spec is the API's OpenAPI 3.0 contract (a context's api.V1): its operations are the
	// API's routes, their security the routes' authorization. Required.
	Spec []byte
	// Operations bind each operationId of Spec to the function that serves it, which the
	// route invokes through its live alias; every operation needs one, and every binding
	// an operation. Required.
	Operations map[string]*function.Function
	// Authorizer validates the JWT of every operation with security.
	// Default: none, which is only valid when no operation has security.
	Authorizer *JWT
	// CORS lets browsers on other origins call the API. Default: none (no CORS headers).
	CORS *CORS
	// Throttle limits the requests of every route. Default: burst 100, rate 50 per second.
	Throttle Throttle
	// RouteThrottles limit some routes otherwise than Throttle, by operationId: a stage's
	// limits are shared by every caller of a route, so an expensive route may need a lower
	// one. Default: none.
	RouteThrottles map[string]Throttle
	// LatencyThreshold is the p99 latency above which the latency alarm fires, 1ms to 30s.
	// Default: 3s.
	LatencyThreshold time.Duration
	// Domain maps the API onto a custom domain that the platform owns.
	// Default: none (only the execute-api URL).
	Domain *Domain
	// Overrides change the children's arguments before the component re-applies the fields
	// it owns (names, the definition, logging, throttling, the mapping). Default: none.
	Overrides Overrides
}

// JWT configures the JWT authorizer.
type JWT struct {
	// Issuer is the token issuer, an https URL (the `iss` claim). Required.
	Issuer pulumi.StringInput
	// Audiences are the accepted `aud` (or `client_id`) values, at least one. Required.
	Audiences pulumi.StringArrayInput
}

// CORS is the API's cross-origin resource sharing configuration.
type CORS struct {
	// AllowOrigins are the origins allowed to call the API: https://host[:port],
	// http://localhost[:port] for development, or "*" (not with AllowCredentials). Required.
	AllowOrigins []string
	// AllowMethods are the methods browsers may use. Default: the operations' methods.
	AllowMethods []string
	// AllowHeaders are the request headers browsers may send. Default: Authorization and
	// Content-Type.
	AllowHeaders []string
	// ExposeHeaders are the response headers browsers may read. Default: none.
	ExposeHeaders []string
	// AllowCredentials lets browsers send cookies and authorization headers. Default: false.
	AllowCredentials bool
	// MaxAge is how long browsers may cache a preflight answer, whole seconds up to 24h.
	// Default: the browsers' own.
	MaxAge time.Duration
}

// Throttle is the steady and burst request rate of a route.
type Throttle struct {
	// Burst is the bucket size, in requests. Default: DefaultBurst.
	Burst int
	// Rate is the steady rate, in requests per second. Default: DefaultRate.
	Rate float64
}

// Domain is where the API is served on the platform's custom domain.
type Domain struct {
	// Name is the custom domain, which the platform stack creates with its certificate
	// (its apiDomainName output). Required.
	Name string
	// Path is the API mapping's key, the first segments of every URL of the API on the
	// domain. Default: "<context>/v<major version of the spec>", as "inventory/v2".
	Path string
}

// Overrides are hooks on the children's arguments.
type Overrides struct {
	// API changes the apigatewayv2.ApiArgs. Default: none.
	API func(*apigatewayv2.ApiArgs)
	// Stage changes the apigatewayv2.StageArgs (detailed metrics). Default: none.
	Stage func(*apigatewayv2.StageArgs)
	// LogGroup changes the access log group's cloudwatch.LogGroupArgs. Default: none.
	LogGroup func(*cloudwatch.LogGroupArgs)
	// Mapping changes the apigatewayv2.ApiMappingArgs of the Domain. Default: none.
	Mapping func(*apigatewayv2.ApiMappingArgs)
}

// API is an HTTP API with its stage, access logs, permissions and alarms.
type API struct {
	pulumi.ResourceState

	// API is the HTTP API, created from the rendered definition.
	API *apigatewayv2.Api
	// Stage is the `$default` stage.
	Stage *apigatewayv2.Stage
	// LogGroup holds the access logs.
	LogGroup *cloudwatch.LogGroup
	// Callers counts each caller's requests from the access logs.
	Callers *cloudwatch.LogMetricFilter
	// Permissions let API Gateway invoke each route's function, by operationId.
	Permissions map[string]*lambda.Permission
	// Mapping serves the stage on the Domain; nil without one.
	Mapping *apigatewayv2.ApiMapping
	// LogSubscription sends the access logs to the platform's log destination; nil when
	// the scope has none.
	LogSubscription *cloudwatch.LogSubscriptionFilter

	// URL is where clients call the API: https://<domain>/<path> with a Domain, otherwise
	// the stage's invoke URL.
	URL pulumi.StringOutput
	// InvokeURL is the stage's execute-api URL.
	InvokeURL pulumi.StringOutput
	// APIID is the API's id.
	APIID pulumi.StringOutput
	// ExecutionArn is the API's execute-api ARN, the prefix of its routes' source ARNs.
	ExecutionArn pulumi.StringOutput
	// Body is the rendered definition the API is created from.
	Body pulumi.StringOutput

	name string
}

// settings are Args with the defaults filled in and the spec loaded.
type settings struct {
	Args
	spec  *openapi.Spec
	major int
}

// withDefaults returns the Args with every default filled in and the spec loaded.
func (a *Args) withDefaults() settings {
	s := settings{Args: *a}
	if s.Throttle.Burst == 0 {
		s.Throttle.Burst = DefaultBurst
	}
	if s.Throttle.Rate == 0 {
		s.Throttle.Rate = DefaultRate
	}
	if s.LatencyThreshold == 0 {
		s.LatencyThreshold = DefaultLatencyThreshold
	}
	s.spec, _ = openapi.Load(a.Spec) // validated
	s.major, _ = majorVersion(s.spec)
	if s.Domain != nil && s.Domain.Path == "" {
		d := *s.Domain
		d.Path = fmt.Sprintf("%s/v%d", s.Scope.Naming.Context, s.major)
		s.Domain = &d
	}
	return s
}

// New creates an API.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*API, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(); err != nil {
		return nil, fmt.Errorf("httpapi %q: %w", name, err)
	}
	s := args.withDefaults()

	a := &API{name: name}
	if err := ctx.RegisterComponentResource(TypeToken, name, a, opts...); err != nil {
		return nil, fmt.Errorf("httpapi %q: %w", name, err)
	}
	if err := a.children(ctx, name, s); err != nil {
		return nil, fmt.Errorf("httpapi %q: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(a, pulumi.Map{
		"url": a.URL, "invokeUrl": a.InvokeURL, "apiId": a.APIID, "executionArn": a.ExecutionArn,
	}); err != nil {
		return nil, fmt.Errorf("httpapi %q: %w", name, err)
	}
	return a, nil
}

func (a *API) children(ctx *pulumi.Context, name string, s settings) error {
	parent := pulumi.Parent(a)
	apiName := s.Scope.Name(naming.APIGatewayAPI, name)

	a.Body = definition(s, apiName)
	apiArgs := override.Apply(&apigatewayv2.ApiArgs{Tags: s.Scope.TagMap()}, s.Overrides.API, func(aa *apigatewayv2.ApiArgs) {
		aa.Name = pulumi.String(apiName)
		aa.ProtocolType = pulumi.String("HTTP")
		aa.Body = a.Body
		aa.FailOnWarnings = pulumi.Bool(true)
		aa.CorsConfiguration = corsConfiguration(s)
		aa.DisableExecuteApiEndpoint = pulumi.Bool(false)
		// Quick create would add a default route and integration outside the definition;
		// credentials would let API Gateway call the functions with a role of its own.
		aa.Target, aa.RouteKey, aa.CredentialsArn = nil, nil, nil
	})
	var err error
	if a.API, err = apigatewayv2.NewApi(ctx, name, apiArgs, parent, pulumi.DependsOn(aliases(s))); err != nil {
		return err
	}
	a.APIID = a.API.ID().ToStringOutput()
	a.ExecutionArn = a.API.ExecutionArn

	if a.LogGroup, err = newLogGroup(ctx, name, s, "/aws/apigateway/"+apiName+"/access", parent); err != nil {
		return fmt.Errorf("access log group: %w", err)
	}
	if a.Callers, err = newCallerMetric(ctx, name, a.LogGroup, parent); err != nil {
		return fmt.Errorf("caller metric: %w", err)
	}
	if a.LogSubscription, err = s.Scope.SubscribeLogs(ctx, naming.Child(name, "access-logs-subscription"), a.LogGroup.Name, parent); err != nil {
		return fmt.Errorf("access log subscription: %w", err)
	}
	if a.Stage, err = newStage(ctx, name, s, a.API, a.LogGroup, parent); err != nil {
		return fmt.Errorf("stage: %w", err)
	}
	a.InvokeURL = a.Stage.InvokeUrl
	a.URL = a.InvokeURL
	if a.Permissions, err = a.permissions(ctx, name, s); err != nil {
		return err
	}
	if s.Domain != nil {
		if err := a.mapping(ctx, name, s, parent); err != nil {
			return fmt.Errorf("domain %q: %w", s.Domain.Name, err)
		}
	}
	return a.alarms(ctx, name, s)
}
