package policy

import (
	"fmt"

	"github.com/stratum-platform/stratum/platform/plan"
)

// Resource types of HTTP APIs' definitions and custom domains.
const (
	typeCertificate = "aws:acm/certificate:Certificate"
	typeDomainName  = "aws:apigatewayv2/domainName:DomainName"
)

func apiFromDefinition() Rule {
	return Rule{
		ID:       "api-from-definition",
		Severity: Error,
		Rationale: "Every HTTP API is created from its OpenAPI definition (body), rendered from the " +
			"context's spec, with failOnWarnings: API Gateway then refuses a definition it would " +
			"import only in part (an operation without integration, an unknown authorizer) instead " +
			"of deploying an API that silently lacks routes. An API without a body is configured " +
			"by routes beside it, which no spec, contract test or breaking-change check sees.",
		Types: []string{typeAPI},
		Check: checkAPIFromDefinition,
	}
}

func checkAPIFromDefinition(p *plan.Plan) []Violation {
	var out []Violation
	for _, r := range ofType(p, typeAPI) {
		if inputString(r, "protocolType") != "HTTP" {
			continue
		}
		if inputString(r, "body") == "" {
			out = append(out, Violation{URN: r.URN, Message: "the HTTP API has no body: create it from the " +
				"definition rendered from its spec (httpapi.Args.Spec)"})
			continue
		}
		if !inputTrue(r, "failOnWarnings") {
			out = append(out, Violation{URN: r.URN, Message: "failOnWarnings is not true: API Gateway would " +
				"import the definition in part and deploy an API without the operations it warns about"})
		}
	}
	return out
}

func customDomainTLS() Rule {
	return Rule{
		ID:       "custom-domain-tls",
		Severity: Error,
		Rationale: "A custom domain of the APIs is regional and negotiates TLS 1.2 at least " +
			"(securityPolicy TLS_1_2): TLS 1.0 and 1.1 are deprecated (RFC 8996), and an edge-optimized " +
			"domain would put a CloudFront distribution nobody configures in front of the API. Its " +
			"certificate is validated by DNS, in the zone the platform manages, so that ACM renews it " +
			"without anyone answering an e-mail before it expires.",
		Types: []string{typeDomainName, typeCertificate},
		Check: checkCustomDomainTLS,
	}
}

func checkCustomDomainTLS(p *plan.Plan) []Violation {
	var out []Violation
	for _, r := range ofType(p, typeDomainName) {
		if policy := inputString(r, "domainNameConfiguration", "securityPolicy"); policy != "TLS_1_2" {
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("domainNameConfiguration.securityPolicy "+
				"is %q: set TLS_1_2, so that clients cannot negotiate TLS 1.0 or 1.1", policy)})
		}
		if endpoint := inputString(r, "domainNameConfiguration", "endpointType"); endpoint != "REGIONAL" {
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("domainNameConfiguration.endpointType "+
				"is %q: set REGIONAL", endpoint)})
		}
	}
	for _, r := range ofType(p, typeCertificate) {
		if method := inputString(r, "validationMethod"); method != "DNS" {
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("validationMethod is %q: validate the "+
				"certificate by DNS, so that ACM renews it on its own", method)})
		}
	}
	return out
}
