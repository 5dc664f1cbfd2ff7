package policy_test

import (
	"testing"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
)

func TestAPIFromDefinition(t *testing.T) {
	a := api("public", "a1b2c3d4e5")[0]
	websocket := with(a, map[string]any{"protocolType": "WEBSOCKET", "body": nil, "failOnWarnings": nil})
	runCases(t, "api-from-definition", []ruleCase{
		{"compliant", [][]plan.Resource{api("public", "a1b2c3d4e5")}, nil},
		{"not an HTTP API", [][]plan.Resource{one(websocket)}, nil},
		{"without body", [][]plan.Resource{one(with(a, map[string]any{"body": nil}))}, []policy.Violation{{
			URN: a.URN, Message: "the HTTP API has no body: create it from the definition rendered from its spec (httpapi.Args.Spec)"}}},
		{"warnings ignored", [][]plan.Resource{one(with(a, map[string]any{"failOnWarnings": false}))}, []policy.Violation{{
			URN: a.URN, Message: "failOnWarnings is not true: API Gateway would import the definition in part and deploy an API without the operations it warns about"}}},
	})
}

func customDomain() []plan.Resource {
	cert := res("aws:acm/certificate:Certificate", "api-certificate", map[string]any{
		"domainName": "api.dev.acme.example", "validationMethod": "DNS", "tags": defaultTags(),
	}, nil)
	domain := res("aws:apigatewayv2/domainName:DomainName", "api-domain", map[string]any{
		"domainName": "api.dev.acme.example", "tags": defaultTags(),
		"domainNameConfiguration": map[string]any{"certificateArn": "arn:aws:acm:eu-west-1:111111111111:certificate/1",
			"endpointType": "REGIONAL", "securityPolicy": "TLS_1_2"},
	}, nil)
	return []plan.Resource{cert, domain}
}

func TestCustomDomainTLS(t *testing.T) {
	cert, domain := customDomain()[0], customDomain()[1]
	conf := func(endpoint, policy string) map[string]any {
		return map[string]any{"domainNameConfiguration": map[string]any{"certificateArn": "arn:aws:acm:eu-west-1:111111111111:certificate/1",
			"endpointType": endpoint, "securityPolicy": policy}}
	}
	runCases(t, "custom-domain-tls", []ruleCase{
		{"compliant", [][]plan.Resource{customDomain()}, nil},
		{"TLS 1.0", [][]plan.Resource{one(with(domain, conf("REGIONAL", "TLS_1_0")))}, []policy.Violation{{
			URN: domain.URN, Message: `domainNameConfiguration.securityPolicy is "TLS_1_0": set TLS_1_2, so that clients cannot negotiate TLS 1.0 or 1.1`}}},
		{"edge-optimized", [][]plan.Resource{one(with(domain, conf("EDGE", "TLS_1_2")))}, []policy.Violation{{
			URN: domain.URN, Message: `domainNameConfiguration.endpointType is "EDGE": set REGIONAL`}}},
		{"validated by e-mail", [][]plan.Resource{one(with(cert, map[string]any{"validationMethod": "EMAIL"}))}, []policy.Violation{{
			URN: cert.URN, Message: `validationMethod is "EMAIL": validate the certificate by DNS, so that ACM renews it on its own`}}},
	})
}
