package policy

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/apidef"
	"github.com/stratum-platform/stratum/platform/plan"
)

func functionArm64() Rule {
	return Rule{
		ID:       "function-arm64",
		Severity: Error,
		Rationale: "Every Lambda function runs on arm64 (Graviton): it costs about 20% less per " +
			"GB-second than x86_64 for the same or better performance, and Stratum builds every handler " +
			"for arm64, so a function on x86_64 would run a binary built for another architecture.",
		Types: []string{typeFunction},
		Check: checkArm64,
	}
}

func checkArm64(p *plan.Plan) []Violation {
	var out []Violation
	for _, r := range ofType(p, typeFunction) {
		arch := asStrings(input(r, "architectures"))
		switch {
		case len(arch) == 0:
			out = append(out, Violation{URN: r.URN, Message: `architectures is not set, so AWS uses x86_64; ` +
				`set it to ["arm64"]`})
		case !slices.Equal(arch, []string{"arm64"}):
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf(`architectures is [%s]; set it to `+
				`["arm64"]`, quoteList(arch))})
		}
	}
	return out
}

func routeAuthorization() Rule {
	return Rule{
		ID:       "route-authorization",
		Severity: Warning,
		Rationale: "Every HTTP API route checks a token (authorizationType JWT, or AWS_IAM or CUSTOM) " +
			"unless it is public on purpose. The plan cannot tell a route marked Public from one whose " +
			"authorizer was lost, so every route without authorization is reported, and a suppression " +
			"records why it is public (a health check, a webhook that verifies its own signature, ...). " +
			"A JWT authorizer names its issuer and at least one audience: without an audience it accepts " +
			"the tokens the issuer signs for any client. The routes and authorizers of an API created from " +
			"a definition are read from its body.",
		Types: []string{typeRoute, typeAuthorizer, typeAPI},
		Check: checkRouteAuthorization,
	}
}

func checkRouteAuthorization(p *plan.Plan) []Violation {
	var out []Violation
	for _, r := range ofType(p, typeRoute) {
		switch inputString(r, "authorizationType") {
		case "", "NONE":
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("route %q takes requests without a "+
				"token (authorizationType NONE); suppress with the reason it is public", inputString(r, "routeKey"))})
		}
	}
	for _, r := range ofType(p, typeAuthorizer) {
		if inputString(r, "authorizerType") != "JWT" {
			continue
		}
		if inputString(r, "jwtConfiguration", "issuer") == "" || len(asStrings(input(r, "jwtConfiguration", "audiences"))) == 0 {
			out = append(out, Violation{URN: r.URN, Message: "the JWT authorizer lacks jwtConfiguration.issuer or " +
				"audiences: name the issuer and the audiences whose tokens the API accepts"})
		}
	}
	for _, r := range ofType(p, typeAPI) {
		out = append(out, definitionAuthorization(r)...)
	}
	return out
}

// definitionAuthorization checks the routes and JWT authorizers of the definition an API is
// created from, as checkRouteAuthorization checks Route and Authorizer resources.
func definitionAuthorization(r plan.Resource) []Violation {
	body := inputString(r, "body")
	switch body {
	case "":
		return nil
	case plan.Unknown:
		return []Violation{{URN: r.URN, Message: "body is [unknown] in the plan, so its routes cannot be checked"}}
	}
	d, err := apidef.Parse(body)
	if err != nil {
		return []Violation{{URN: r.URN, Message: fmt.Sprintf("body cannot be read, so its routes cannot be checked: %v", err)}}
	}
	var out []Violation
	for _, route := range d.Routes {
		if d.AuthorizationType(route) == "NONE" {
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("route %q takes requests without a "+
				"token (no security requirement the definition makes an authorizer of); suppress with the "+
				"reason it is public", route.Key)})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(d.Authorizers)) {
		a := d.Authorizers[name]
		if strings.EqualFold(a.Type, "jwt") && (a.Issuer == "" || len(a.Audiences) == 0) {
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("the JWT authorizer %q lacks an issuer "+
				"or audiences: name the issuer and the audiences whose tokens the API accepts", name)})
		}
	}
	return out
}

func lambdaPermissionSource() Rule {
	return Rule{
		ID:       "lambda-permission-source",
		Severity: Error,
		Rationale: "Every permission a function's resource policy gives names its principal exactly and, for " +
			"an AWS service, the resource that may invoke (sourceArn) or at least the account (sourceAccount). " +
			"Principal \"*\" lets anyone invoke; a service principal without a source lets that service " +
			"invoke the function on behalf of any customer's resource (the confused deputy problem): " +
			"another account's API or topic could call it. A function URL authenticates its callers " +
			"(AWS_IAM): with NONE anyone on the internet invokes the function, whatever fronts it.",
		Types: []string{typePermission, typeFunctionURL},
		Check: checkPermissionSource,
	}
}

func checkPermissionSource(p *plan.Plan) []Violation {
	var out []Violation
	for _, r := range ofType(p, typeFunctionURL) {
		if a := inputString(r, "authorizationType"); a != "AWS_IAM" {
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("authorizationType is %q: anyone may invoke "+
				"the function through its URL; set AWS_IAM and let only its callers (a CloudFront origin access "+
				"control) in with a permission", a)})
		}
	}
	for _, r := range ofType(p, typePermission) {
		principal := inputString(r, "principal")
		switch {
		case principal == "*":
			out = append(out, Violation{URN: r.URN, Message: "principal is \"*\": anyone may invoke the function; " +
				"name the service or account that calls it"})
		case strings.HasSuffix(principal, ".amazonaws.com") && inputString(r, "sourceArn") == "" && inputString(r, "sourceAccount") == "":
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("principal %s has neither sourceArn nor "+
				"sourceAccount: the service may invoke the function for any account's resources; set sourceArn "+
				"to the resource that calls it", principal)})
		}
	}
	return out
}
