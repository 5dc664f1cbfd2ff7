package httpapi

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigatewayv2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/platform/naming"
)

// methods are the methods a route key may have; ANY matches every method.
func methods() []string {
	return []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"}
}

// parsedRoute is a route key split into its method and path segments.
type parsedRoute struct {
	method   string
	segments []string // "" for the root path "/"
}

// isParam reports whether a segment is a {parameter}; greedy reports a {parameter+}.
func isParam(seg string) (name string, greedy, ok bool) {
	if !strings.HasPrefix(seg, "{") || !strings.HasSuffix(seg, "}") || len(seg) < 3 {
		return "", false, false
	}
	name = seg[1 : len(seg)-1]
	if strings.HasSuffix(name, "+") {
		name, greedy = strings.TrimSuffix(name, "+"), true
	}
	return name, greedy, true
}

// parseRouteKey splits "METHOD /path" and returns every problem with it.
func parseRouteKey(key string) (parsedRoute, []string) {
	method, path, ok := strings.Cut(key, " ")
	if !ok || method == "" || strings.Contains(path, " ") {
		return parsedRoute{}, []string{fmt.Sprintf(`%q is not "METHOD /path", for example "GET /accounts/{id}"`, key)}
	}
	var problems []string
	if !slices.Contains(methods(), method) {
		problems = append(problems, fmt.Sprintf("method %q is not allowed; allowed %s", method, strings.Join(methods(), ", ")))
	}
	if !strings.HasPrefix(path, "/") {
		return parsedRoute{}, append(problems, fmt.Sprintf("path %q does not start with /", path))
	}
	p := parsedRoute{method: method}
	if path == "/" {
		return p, problems
	}
	p.segments = strings.Split(path[1:], "/")
	params := map[string]bool{}
	for i, seg := range p.segments {
		if seg == "" {
			problems = append(problems, fmt.Sprintf("path %q has an empty segment", path))
			continue
		}
		name, greedy, isP := isParam(seg)
		switch {
		case !isP && !literal(seg):
			problems = append(problems, fmt.Sprintf(
				"segment %q is neither a literal of [A-Za-z0-9._~-] nor a {parameter}", seg))
		case isP && !paramName(name):
			problems = append(problems, fmt.Sprintf("parameter %q is not a name of [A-Za-z0-9_]", seg))
		case isP && greedy && i != len(p.segments)-1:
			problems = append(problems, fmt.Sprintf("greedy parameter %q must be the last segment", seg))
		case isP && params[name]:
			problems = append(problems, fmt.Sprintf("parameter %q appears twice", name))
		case isP:
			params[name] = true
		}
	}
	return p, problems
}

func literal(seg string) bool {
	for _, c := range seg {
		if !isAlnum(c) && !strings.ContainsRune("._~-", c) {
			return false
		}
	}
	return true
}

func paramName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		if !isAlnum(c) && c != '_' {
			return false
		}
	}
	return true
}

func isAlnum(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// shape is the route as API Gateway matches it: parameter names do not matter, so
// "GET /a/{id}" and "GET /a/{x}" are the same route.
func (p parsedRoute) shape() string {
	segs := make([]string, len(p.segments))
	for i, seg := range p.segments {
		if _, greedy, ok := isParam(seg); ok {
			segs[i] = map[bool]string{false: "{}", true: "{+}"}[greedy]
		} else {
			segs[i] = seg
		}
	}
	return p.method + " /" + strings.Join(segs, "/")
}

// sourcePath is the part of the execute-api ARN after the stage: METHOD/path with every
// parameter a wildcard ("*" for ANY). The ARN of "GET /accounts/{id}" ends in
// "GET/accounts/*"; a greedy parameter's "*" also matches the slashes below it.
func (p parsedRoute) sourcePath() string {
	method := p.method
	if method == "ANY" {
		method = "*"
	}
	segs := make([]string, len(p.segments))
	for i, seg := range p.segments {
		if _, _, ok := isParam(seg); ok {
			segs[i] = "*"
		} else {
			segs[i] = seg
		}
	}
	return method + "/" + strings.Join(segs, "/")
}

// slug is the route's part of its children's logical names: "GET /accounts/{id}" gives
// "get-accounts-id", "GET /" gives "get-root".
func (p parsedRoute) slug() string {
	var b strings.Builder
	b.WriteString(strings.ToLower(p.method))
	if len(p.segments) == 0 {
		b.WriteString("-root")
	}
	for _, seg := range p.segments {
		if name, _, ok := isParam(seg); ok {
			seg = name
		}
		b.WriteByte('-')
		for _, c := range strings.ToLower(seg) {
			if isAlnum(c) {
				b.WriteRune(c)
			} else {
				b.WriteByte('-')
			}
		}
	}
	out := b.String()
	for strings.Contains(out, "--") {
		out = strings.ReplaceAll(out, "--", "-")
	}
	return strings.TrimRight(out, "-")
}

// slugs returns each route's slug; a slug already taken gets a short hash of its key, so
// that "GET /a/{id}" and "GET /a/id" both get stable, distinct names.
func slugs(keys []string, routes []parsedRoute) []string {
	out := make([]string, len(routes))
	taken := map[string]bool{}
	for i, r := range routes {
		s := r.slug()
		if taken[s] {
			sum := sha256.Sum256([]byte(keys[i]))
			s += "-" + hex.EncodeToString(sum[:])[:8]
		}
		taken[s] = true
		out[i] = s
	}
	return out
}

// routeMethods are the methods() of the routes, for CORS: "*" when a route takes ANY.
func routeMethods(routes []parsedRoute) []string {
	var out []string
	for _, r := range routes {
		if r.method == "ANY" {
			return []string{"*"}
		}
		out = append(out, r.method)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// route creates the integration, the route and the permission of route i.
func (a *API) route(ctx *pulumi.Context, name string, s settings, i int, r Route) (RouteResources, error) {
	parent := pulumi.Parent(a)
	base := naming.Child(name, "route-"+s.slugs[i])
	res := RouteResources{Key: r.Key}

	integ := override.Apply(&apigatewayv2.IntegrationArgs{}, override.Keyed(s.Overrides.Integration, r.Key), func(ia *apigatewayv2.IntegrationArgs) {
		ia.ApiId = a.API.ID()
		ia.IntegrationType = pulumi.String("AWS_PROXY")
		ia.IntegrationMethod = pulumi.String("POST")
		ia.IntegrationUri = r.Function.AliasArn
		ia.PayloadFormatVersion = pulumi.String("2.0")
		// API Gateway must call the function as itself, through the permission below.
		ia.CredentialsArn, ia.ConnectionId, ia.ConnectionType, ia.IntegrationSubtype = nil, nil, nil, nil
	})
	var err error
	if res.Integration, err = apigatewayv2.NewIntegration(ctx, naming.Child(base, "integration"), integ, parent); err != nil {
		return res, fmt.Errorf("integration: %w", err)
	}

	routeArgs := override.Apply(&apigatewayv2.RouteArgs{}, override.Keyed(s.Overrides.Route, r.Key), func(ra *apigatewayv2.RouteArgs) {
		ra.ApiId = a.API.ID()
		ra.RouteKey = pulumi.String(r.Key)
		ra.Target = pulumi.Sprintf("integrations/%s", res.Integration.ID())
		ra.ApiKeyRequired = nil
		if r.Public {
			ra.AuthorizationType = pulumi.String("NONE")
			ra.AuthorizerId, ra.AuthorizationScopes = nil, nil
			return
		}
		ra.AuthorizationType = pulumi.String("JWT")
		ra.AuthorizerId = a.Authorizer.ID()
		ra.AuthorizationScopes = nil
		if len(r.Scopes) > 0 {
			ra.AuthorizationScopes = pulumi.ToStringArray(r.Scopes)
		}
	})
	if res.Route, err = apigatewayv2.NewRoute(ctx, base, routeArgs, parent); err != nil {
		return res, fmt.Errorf("route: %w", err)
	}

	deps := []pulumi.Resource{}
	if r.Function.Alias != nil {
		deps = append(deps, r.Function.Alias)
	}
	res.Permission, err = lambda.NewPermission(ctx, naming.Child(base, "permission"), &lambda.PermissionArgs{
		Action:    pulumi.String("lambda:InvokeFunction"),
		Principal: pulumi.String("apigateway.amazonaws.com"),
		Function:  r.Function.Name,
		Qualifier: pulumi.String(function.AliasName),
		SourceArn: pulumi.Sprintf("%s/*/%s", a.API.ExecutionArn, s.routes[i].sourcePath()),
	}, parent, pulumi.DependsOn(deps))
	if err != nil {
		return res, fmt.Errorf("permission: %w", err)
	}
	return res, nil
}
