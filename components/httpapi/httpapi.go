// Package httpapi provides API: an API Gateway HTTP API whose routes invoke functions, every
// route behind a JWT authorizer unless it says it is public.
//
// Default settings:
//   - protocol HTTP, one `$default` stage deployed automatically on every change;
//   - every route authorized by the JWT authorizer (identity source the Authorization
//     header), with the route's required scopes; only routes marked Public are open;
//   - one Lambda proxy integration (payload format 2.0) per route, invoking the function's
//     `live` alias, and one lambda.Permission per route whose SourceArn is that route's
//     method and path only, never the whole API;
//   - access logs as one JSON object per request (request id, source ip, time, method,
//     route, status, protocol, response length, latencies, integration and authorizer
//     errors, the caller's `sub` claim) in a log group with the scope's retention and KMS
//     key, subscribed to the scope's log destination (the platform's log aggregation);
//   - default route throttling: burst 100, 50 requests per second;
//   - no CORS; the execute-api endpoint stays enabled unless a custom domain asks to
//     disable it; custom domains are regional with TLS 1.2;
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
	// Routes are the API's routes, at least one, at most 300. Required.
	Routes []Route
	// Authorizer validates the JWT of every route that is not Public.
	// Default: none, which is only valid when every route is Public.
	Authorizer *JWT
	// CORS lets browsers on other origins call the API. Default: none (no CORS headers).
	CORS *CORS
	// Throttle limits the requests of every route. Default: burst 100, rate 50 per second.
	Throttle Throttle
	// LatencyThreshold is the p99 latency above which the latency alarm fires, 1ms to 30s.
	// Default: 3s.
	LatencyThreshold time.Duration
	// Domain serves the API on a custom domain name.
	// Default: none (only the execute-api URL).
	Domain *Domain
	// Overrides change the children's arguments before the component re-applies the fields
	// it owns (names, wiring, authorization, logging, throttling, TLS). Default: none.
	Overrides Overrides
}

// Route sends the requests matching Key to a function.
type Route struct {
	// Key is "METHOD /path": METHOD one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS,
	// ANY; path segments literal or a {parameter}, the last may be greedy ({proxy+}).
	// Required.
	Key string
	// Function handles the route through its live alias. Required.
	Function *function.Function
	// Scopes are the OAuth scopes the caller's token must hold, any one of them.
	// Default: none (any valid token).
	Scopes []string
	// Public opens the route to everyone, without a token. Default: false (authorized).
	Public bool
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
	// AllowMethods are the methods browsers may use. Default: the routes' methods.
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

// Throttle is the steady and burst request rate every route is limited to.
type Throttle struct {
	// Burst is the bucket size, in requests. Default: DefaultBurst.
	Burst int
	// Rate is the steady rate, in requests per second. Default: DefaultRate.
	Rate float64
}

// Domain is a custom domain name for the API.
type Domain struct {
	// Name is the fully qualified domain name, for example api.orders.example.com. Required.
	Name string
	// CertificateArn is the ACM certificate for Name, in the API's region. Required.
	CertificateArn pulumi.StringInput
	// DisableExecuteAPIEndpoint turns the default execute-api URL off, so that clients can
	// only come through the domain. Default: false.
	DisableExecuteAPIEndpoint bool
}

// Overrides are hooks on the children's arguments.
type Overrides struct {
	// API changes the apigatewayv2.ApiArgs. Default: none.
	API func(*apigatewayv2.ApiArgs)
	// Stage changes the apigatewayv2.StageArgs (route settings, detailed metrics).
	// Default: none.
	Stage func(*apigatewayv2.StageArgs)
	// LogGroup changes the access log group's cloudwatch.LogGroupArgs. Default: none.
	LogGroup func(*cloudwatch.LogGroupArgs)
	// Authorizer changes the apigatewayv2.AuthorizerArgs. Default: none.
	Authorizer func(*apigatewayv2.AuthorizerArgs)
	// Integration changes the apigatewayv2.IntegrationArgs of the route with the given key
	// (for example its timeout). Default: none.
	Integration func(key string, args *apigatewayv2.IntegrationArgs)
	// Route changes the apigatewayv2.RouteArgs of the route with the given key (for example
	// its operation name). Default: none.
	Route func(key string, args *apigatewayv2.RouteArgs)
	// DomainName changes the apigatewayv2.DomainNameArgs. Default: none.
	DomainName func(*apigatewayv2.DomainNameArgs)
}

// RouteResources are the children created for one route.
type RouteResources struct {
	// Key is the route's key, as given.
	Key string
	// Integration invokes the route's function.
	Integration *apigatewayv2.Integration
	// Route is the API Gateway route.
	Route *apigatewayv2.Route
	// Permission lets API Gateway invoke the function's live alias for this route only.
	Permission *lambda.Permission
}

// API is an HTTP API with its stage, access logs, authorizer, routes and alarms.
type API struct {
	pulumi.ResourceState

	// API is the HTTP API.
	API *apigatewayv2.Api
	// Stage is the `$default` stage.
	Stage *apigatewayv2.Stage
	// LogGroup holds the access logs.
	LogGroup *cloudwatch.LogGroup
	// LogSubscription sends the access logs to the platform's log destination; nil when
	// the scope has none.
	LogSubscription *cloudwatch.LogSubscriptionFilter
	// Authorizer is the JWT authorizer; nil when every route is Public.
	Authorizer *apigatewayv2.Authorizer
	// Routes are the routes' children, in the order of Args.Routes.
	Routes []RouteResources
	// DomainName and Mapping serve the API on the custom domain; nil without one.
	DomainName *apigatewayv2.DomainName
	Mapping    *apigatewayv2.ApiMapping

	// URL is where clients call the API: https://<domain> with a custom domain, otherwise
	// the stage's invoke URL.
	URL pulumi.StringOutput
	// InvokeURL is the stage's execute-api URL.
	InvokeURL pulumi.StringOutput
	// APIID is the API's id.
	APIID pulumi.StringOutput
	// ExecutionArn is the API's execute-api ARN, the prefix of its routes' source ARNs.
	ExecutionArn pulumi.StringOutput

	name string
}

// settings are Args with the defaults filled in and the route keys parsed.
type settings struct {
	Args
	routes []parsedRoute
	slugs  []string
}

// withDefaults returns the Args with every default filled in and the route keys parsed.
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
	keys := make([]string, 0, len(s.Routes))
	for _, r := range s.Routes {
		p, _ := parseRouteKey(r.Key) // validated
		s.routes = append(s.routes, p)
		keys = append(keys, r.Key)
	}
	s.slugs = slugs(keys, s.routes)
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

	apiArgs := override.Apply(&apigatewayv2.ApiArgs{Tags: s.Scope.TagMap()}, s.Overrides.API, func(aa *apigatewayv2.ApiArgs) {
		aa.Name = pulumi.String(apiName)
		aa.ProtocolType = pulumi.String("HTTP")
		aa.CorsConfiguration = corsConfiguration(s)
		aa.DisableExecuteApiEndpoint = pulumi.Bool(s.Domain != nil && s.Domain.DisableExecuteAPIEndpoint)
		// Quick create would add a default route and integration outside the component's
		// authorization; an OpenAPI body or credentials would bypass the routes' wiring.
		aa.Target, aa.RouteKey, aa.CredentialsArn, aa.Body = nil, nil, nil, nil
	})
	var err error
	if a.API, err = apigatewayv2.NewApi(ctx, name, apiArgs, parent); err != nil {
		return err
	}
	a.APIID = a.API.ID().ToStringOutput()
	a.ExecutionArn = a.API.ExecutionArn

	if a.LogGroup, err = newLogGroup(ctx, name, s, "/aws/apigateway/"+apiName+"/access", parent); err != nil {
		return fmt.Errorf("access log group: %w", err)
	}
	if a.LogSubscription, err = s.Scope.SubscribeLogs(ctx, naming.Child(name, "access-logs-subscription"), a.LogGroup.Name, parent); err != nil {
		return fmt.Errorf("access log subscription: %w", err)
	}
	if a.Stage, err = newStage(ctx, name, s, a.API, a.LogGroup, parent); err != nil {
		return fmt.Errorf("stage: %w", err)
	}
	a.InvokeURL = a.Stage.InvokeUrl
	a.URL = a.InvokeURL

	if needsAuthorizer(s.Routes) {
		if a.Authorizer, err = newAuthorizer(ctx, name, s, a.API, parent); err != nil {
			return fmt.Errorf("authorizer: %w", err)
		}
	}
	for i, r := range s.Routes {
		res, err := a.route(ctx, name, s, i, r)
		if err != nil {
			return fmt.Errorf("route %q: %w", r.Key, err)
		}
		a.Routes = append(a.Routes, res)
	}
	if s.Domain != nil {
		if err := a.domain(ctx, name, s, parent); err != nil {
			return fmt.Errorf("domain %q: %w", s.Domain.Name, err)
		}
	}
	return a.alarms(ctx, name, s)
}

func needsAuthorizer(routes []Route) bool {
	for _, r := range routes {
		if !r.Public {
			return true
		}
	}
	return false
}

func newAuthorizer(ctx *pulumi.Context, name string, s settings, api *apigatewayv2.Api,
	parent pulumi.ResourceOption) (*apigatewayv2.Authorizer, error) {
	args := override.Apply(&apigatewayv2.AuthorizerArgs{}, s.Overrides.Authorizer, func(aa *apigatewayv2.AuthorizerArgs) {
		aa.ApiId = api.ID()
		aa.Name = pulumi.String("jwt")
		aa.AuthorizerType = pulumi.String("JWT")
		aa.IdentitySources = pulumi.StringArray{pulumi.String("$request.header.Authorization")}
		aa.JwtConfiguration = &apigatewayv2.AuthorizerJwtConfigurationArgs{
			Issuer:    s.Authorizer.Issuer,
			Audiences: s.Authorizer.Audiences,
		}
		// Only request authorizers call a function; a JWT authorizer must not have one.
		aa.AuthorizerUri, aa.AuthorizerCredentialsArn = nil, nil
	})
	return apigatewayv2.NewAuthorizer(ctx, naming.Child(name, "authorizer"), args, parent)
}
