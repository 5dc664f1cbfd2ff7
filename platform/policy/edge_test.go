package policy_test

import (
	"testing"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
)

// portal is a compliant distribution with its origin access control and headers policy.
func portal() []plan.Resource {
	dist := res("aws:cloudfront/distribution:Distribution", "portal", map[string]any{
		"origins": []any{map[string]any{"originId": "portal-pages", "originAccessControlId": "E1OAC",
			"domainName": "acme-dev-portal-111111111111-eu-west-1.s3.eu-west-1.amazonaws.com"}},
		"defaultCacheBehavior": map[string]any{"targetOriginId": "portal-pages",
			"viewerProtocolPolicy": "redirect-to-https", "responseHeadersPolicyId": "portal-1a2b"},
		"viewerCertificate": map[string]any{"acmCertificateArn": "arn:aws:acm:us-east-1:111111111111:certificate/1",
			"sslSupportMethod": "sni-only", "minimumProtocolVersion": "TLSv1.2_2021"},
		"webAclId": "arn:aws:wafv2:us-east-1:111111111111:global/webacl/acme-dev-portal/1",
		"tags":     defaultTags(),
	}, nil)
	oac := res("aws:cloudfront/originAccessControl:OriginAccessControl", "portal", map[string]any{
		"name": "acme-dev-portal", "originAccessControlOriginType": "s3", "signingBehavior": "always", "signingProtocol": "sigv4",
	}, nil)
	headers := res("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "portal", map[string]any{
		"name": "acme-dev-portal-headers", "securityHeadersConfig": map[string]any{
			"contentSecurityPolicy":   map[string]any{"contentSecurityPolicy": "default-src 'none'", "override": true},
			"strictTransportSecurity": map[string]any{"accessControlMaxAgeSec": 63072000.0, "override": true},
		},
	}, nil)
	return []plan.Resource{dist, oac, headers}
}

func TestPortalDistribution(t *testing.T) {
	dist, oac, headers := portal()[0], portal()[1], portal()[2]
	runCases(t, "portal-distribution", []ruleCase{
		{"compliant", [][]plan.Resource{portal()}, nil},
		{"public bucket origin", [][]plan.Resource{one(with(dist, map[string]any{"origins": []any{map[string]any{
			"originId": "portal-pages", "domainName": "b.s3.eu-west-1.amazonaws.com"}}}))}, []policy.Violation{{
			URN: dist.URN, Message: "origins[0] (b.s3.eu-west-1.amazonaws.com) is an S3 bucket without originAccessControlId: read it through an origin access control, so that the bucket answers only this distribution"}}},
		{"plain HTTP without headers", [][]plan.Resource{one(with(dist, map[string]any{"defaultCacheBehavior": map[string]any{
			"targetOriginId": "portal-pages", "viewerProtocolPolicy": "allow-all"}}))}, []policy.Violation{
			{URN: dist.URN, Message: `defaultCacheBehavior.viewerProtocolPolicy is "allow-all": set redirect-to-https or https-only`},
			{URN: dist.URN, Message: "defaultCacheBehavior has no responseHeadersPolicyId: attach a response headers policy with a Content-Security-Policy and HSTS"}}},
		{"TLS 1.0", [][]plan.Resource{one(with(dist, map[string]any{"viewerCertificate": map[string]any{
			"acmCertificateArn": "arn:aws:acm:us-east-1:111111111111:certificate/1", "minimumProtocolVersion": "TLSv1"}}))}, []policy.Violation{{
			URN: dist.URN, Message: `viewerCertificate.minimumProtocolVersion is "TLSv1": set TLSv1.2_2021`}}},
		{"default certificate", [][]plan.Resource{one(with(dist, map[string]any{"viewerCertificate": map[string]any{
			"cloudfrontDefaultCertificate": true}}))}, []policy.Violation{{
			URN: dist.URN, Message: "viewerCertificate uses CloudFront's default certificate, which allows TLS 1.0: use an ACM certificate with minimumProtocolVersion TLSv1.2_2021"}}},
		{"signed cookies", [][]plan.Resource{one(with(dist, map[string]any{"webAclId": nil, "defaultCacheBehavior": map[string]any{
			"targetOriginId": "portal-pages", "viewerProtocolPolicy": "redirect-to-https", "responseHeadersPolicyId": "portal-1a2b",
			"trustedKeyGroups": []any{"kg-1"}}}))}, nil},
		{"public by decision", [][]plan.Resource{one(with(dist, map[string]any{"webAclId": nil,
			"tags": withTag(defaultTags(), "access", "public")}))}, nil},
		{"open to everyone", [][]plan.Resource{one(with(dist, map[string]any{"webAclId": nil}))}, []policy.Violation{{
			URN: dist.URN, Message: "answers everyone: attach a WAF web ACL (webAclId) that allows only some networks, require signed cookies (defaultCacheBehavior.trustedKeyGroups), or tag it access=public to state that it is public"}}},
		{"unsigned origin requests", [][]plan.Resource{one(with(oac, map[string]any{"signingBehavior": "no-override"}))}, []policy.Violation{{
			URN: oac.URN, Message: `signs "no-override" with "sigv4": set signingBehavior always and signingProtocol sigv4, so that the origin sees every request signed by the distribution`}}},
		{"headers without CSP or HSTS", [][]plan.Resource{one(with(headers, map[string]any{"securityHeadersConfig": map[string]any{}}))}, []policy.Violation{
			{URN: headers.URN, Message: "securityHeadersConfig has no contentSecurityPolicy: send the pages' Content-Security-Policy"},
			{URN: headers.URN, Message: "securityHeadersConfig has no strictTransportSecurity: send HSTS, so that browsers never fall back to HTTP"}}},
	})
}

func withTag(tags map[string]any, k, v string) map[string]any {
	tags[k] = v
	return tags
}
