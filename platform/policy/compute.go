package policy

import (
	"fmt"
	"slices"

	"github.com/stratum-platform/stratum/platform/plan"
)

func functionArm64() Rule {
	return Rule{
		ID:       "function-arm64",
		Severity: Error,
		Rationale: "Every Lambda function runs on arm64 (Graviton): it costs about 20% less per " +
			"GB-second than x86_64 for the same or better performance, and Stratum builds every handler " +
			"for arm64, so a function on x86_64 would run a binary built for another architecture.",
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
			"records why it is public (a health check, a webhook that verifies its own signature, ...).",
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
	return out
}
