package policy

import (
	"fmt"
	"strings"

	"github.com/stratum-platform/stratum/platform/plan"
)

// Resource types of CloudFront distributions.
const (
	typeDistribution          = "aws:cloudfront/distribution:Distribution"
	typeOriginAccessControl   = "aws:cloudfront/originAccessControl:OriginAccessControl"
	typeResponseHeadersPolicy = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"
)

// PublicDistributionTag is the tag (key and value) that states a distribution serves
// everyone, a decision its program makes: without it, a distribution is restricted by a WAF
// web ACL or by signed cookies (trusted key groups on its default behavior).
const (
	PublicDistributionTag      = "access"
	PublicDistributionTagValue = "public"
)

func portalDistribution() Rule {
	return Rule{
		ID:       "portal-distribution",
		Severity: Error,
		Rationale: "A CloudFront distribution reads its S3 origins through origin access control, " +
			"signing every request (sigv4, always), so that the bucket stays private and answers " +
			"only that distribution; it answers HTTPS only, with TLS 1.2 at least (TLSv1.2_2021) and " +
			"its own certificate; and every response carries a response headers policy with a " +
			"Content-Security-Policy and HSTS, so that a page cannot load what its policy does not " +
			"name and a browser never falls back to plain HTTP. Who reads it is restricted, by a WAF " +
			"web ACL (an allow-list of networks) or by signed cookies (trusted key groups on the " +
			"default behavior, which a sign-in issues), unless the distribution is tagged " +
			PublicDistributionTag + "=" + PublicDistributionTagValue + ": serving documentation to " +
			"everyone is a decision, not a default.",
		Types: []string{typeDistribution, typeOriginAccessControl, typeResponseHeadersPolicy},
		Check: checkPortalDistribution,
	}
}

func checkPortalDistribution(p *plan.Plan) []Violation {
	var out []Violation
	add := func(r plan.Resource, format string, args ...any) {
		out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf(format, args...)})
	}
	for _, r := range ofType(p, typeDistribution) {
		for i, o := range asList(input(r, "origins")) {
			origin, _ := asMap(o)
			domain := asString(origin["domainName"])
			if strings.Contains(domain, ".s3.") && asString(origin["originAccessControlId"]) == "" {
				add(r, "origins[%d] (%s) is an S3 bucket without originAccessControlId: read it through an "+
					"origin access control, so that the bucket answers only this distribution", i, domain)
			}
		}
		behaviors := []any{input(r, "defaultCacheBehavior")}
		labels := []string{"defaultCacheBehavior"}
		for i, b := range asList(input(r, "orderedCacheBehaviors")) {
			behaviors, labels = append(behaviors, b), append(labels, fmt.Sprintf("orderedCacheBehaviors[%d]", i))
		}
		for i, b := range behaviors {
			behavior, _ := asMap(b)
			if v := asString(behavior["viewerProtocolPolicy"]); v != "redirect-to-https" && v != "https-only" {
				add(r, "%s.viewerProtocolPolicy is %q: set redirect-to-https or https-only", labels[i], v)
			}
			if asString(behavior["responseHeadersPolicyId"]) == "" {
				add(r, "%s has no responseHeadersPolicyId: attach a response headers policy with a "+
					"Content-Security-Policy and HSTS", labels[i])
			}
		}
		if inputString(r, "webAclId") == "" && len(asList(input(r, "defaultCacheBehavior", "trustedKeyGroups"))) == 0 &&
			inputString(r, "tags", PublicDistributionTag) != PublicDistributionTagValue {
			add(r, "answers everyone: attach a WAF web ACL (webAclId) that allows only some networks, require signed "+
				"cookies (defaultCacheBehavior.trustedKeyGroups), or tag it %s=%s to state that it is public",
				PublicDistributionTag, PublicDistributionTagValue)
		}
		if inputTrue(r, "viewerCertificate", "cloudfrontDefaultCertificate") {
			add(r, "viewerCertificate uses CloudFront's default certificate, which allows TLS 1.0: use an ACM "+
				"certificate with minimumProtocolVersion TLSv1.2_2021")
		} else if v := inputString(r, "viewerCertificate", "minimumProtocolVersion"); v != "TLSv1.2_2021" {
			add(r, "viewerCertificate.minimumProtocolVersion is %q: set TLSv1.2_2021", v)
		}
	}
	for _, r := range ofType(p, typeOriginAccessControl) {
		if b, s := inputString(r, "signingBehavior"), inputString(r, "signingProtocol"); b != "always" || s != "sigv4" {
			add(r, "signs %q with %q: set signingBehavior always and signingProtocol sigv4, so that the "+
				"origin sees every request signed by the distribution", b, s)
		}
	}
	for _, r := range ofType(p, typeResponseHeadersPolicy) {
		if inputString(r, "securityHeadersConfig", "contentSecurityPolicy", "contentSecurityPolicy") == "" {
			add(r, "securityHeadersConfig has no contentSecurityPolicy: send the pages' Content-Security-Policy")
		}
		if _, ok := asNumber(input(r, "securityHeadersConfig", "strictTransportSecurity", "accessControlMaxAgeSec")); !ok {
			add(r, "securityHeadersConfig has no strictTransportSecurity: send HSTS, so that browsers never fall back to HTTP")
		}
	}
	return out
}
