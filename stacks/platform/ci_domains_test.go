package platform_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/stacks/platform"
)

// dev's custom domains (Pulumi.dev.yaml) as the CI roles name them.
const (
	devZone      = "arn:aws:route53:::hostedzone/Z0DEV0EXAMPLE0ZONE"
	devAPIDomain = "arn:aws:apigateway:eu-west-1::/domainnames/api.dev.acme.example"
	devCerts     = "arn:aws:acm:eu-west-1:" + acct + ":certificate/*"
	portalCerts  = "arn:aws:acm:us-east-1:" + acct + ":certificate/*"
	devWAF       = "arn:aws:wafv2:us-east-1:" + acct + ":global/"
	cloudFront   = "arn:aws:cloudfront::" + acct + ":"
)

// devDomainAllows adds what dev's CI roles may do on its API domain and developer portal to
// w: every action for the deploy role, the reads for the preview role.
func devDomainAllows(w map[string][]string, deploy bool) {
	add := func(resources []string, read, write []string) {
		grants(w, resources, read...)
		if deploy {
			grants(w, resources, write...)
		}
	}
	// Certificates: the API's in eu-west-1, the portal's in us-east-1 (CloudFront's).
	add(l("*"), nil, l("acm:RequestCertificate", "cloudfront:CreateDistribution",
		"cloudfront:CreateOriginAccessControl", "cloudfront:CreateResponseHeadersPolicy"))
	add(l(devCerts, portalCerts), l("acm:DescribeCertificate", "acm:ListTagsForCertificate"),
		l("acm:AddTagsToCertificate", "acm:DeleteCertificate", "acm:RemoveTagsFromCertificate"))
	// The configured zone only.
	add(l(devZone), l("route53:GetHostedZone", "route53:ListResourceRecordSets"), l("route53:ChangeResourceRecordSets"))
	add(l("arn:aws:route53:::change/*"), l("route53:GetChange"), nil)
	// The API domain by its name, and its mappings (which the contexts' deploys create).
	add(l("arn:aws:apigateway:eu-west-1::/domainnames"), nil, l("apigateway:POST"))
	add(l(devAPIDomain, devAPIDomain+"/apimappings", devAPIDomain+"/apimappings/*"), l("apigateway:GET"),
		l("apigateway:DELETE", "apigateway:PATCH", "apigateway:POST"))
	// The portal's edge.
	add(l(cloudFront+"distribution/*"), l("cloudfront:GetDistribution", "cloudfront:GetDistributionConfig",
		"cloudfront:ListTagsForResource"), l("cloudfront:DeleteDistribution", "cloudfront:TagResource",
		"cloudfront:UntagResource", "cloudfront:UpdateDistribution"))
	add(l(cloudFront+"origin-access-control/*"), l("cloudfront:GetOriginAccessControl"),
		l("cloudfront:DeleteOriginAccessControl", "cloudfront:UpdateOriginAccessControl"))
	add(l(cloudFront+"response-headers-policy/*"), l("cloudfront:GetResponseHeadersPolicy"),
		l("cloudfront:DeleteResponseHeadersPolicy", "cloudfront:UpdateResponseHeadersPolicy"))
	add(l(devWAF+"ipset/acme-dev-*"), l("wafv2:GetIPSet", "wafv2:ListTagsForResource"),
		l("wafv2:CreateIPSet", "wafv2:CreateWebACL", "wafv2:DeleteIPSet", "wafv2:TagResource", "wafv2:UntagResource",
			"wafv2:UpdateIPSet", "wafv2:UpdateWebACL"))
	add(l(devWAF+"webacl/acme-dev-*"), l("wafv2:GetWebACL", "wafv2:ListTagsForResource"),
		l("wafv2:CreateWebACL", "wafv2:DeleteWebACL", "wafv2:TagResource", "wafv2:UntagResource", "wafv2:UpdateWebACL"))
}

// tagged is the condition that a request's or resource's (kind) org and env tags are dev's.
func tagged(test, kind string) map[string]map[string][]string {
	return map[string]map[string][]string{test: {"aws:" + kind + "Tag/env": {"dev"}, "aws:" + kind + "Tag/org": {"acme"}}}
}

// devDomainConditions are the conditions of dev's deploy role's domain statements: names,
// types and tags where the ARNs cannot name dev's resources.
func devDomainConditions() map[string]map[string]map[string][]string {
	records := func(test string, names []string, types ...string) map[string]map[string][]string {
		return and(c(test, "route53:ChangeResourceRecordSetsNormalizedRecordNames", names...),
			c("ForAllValues:StringEquals", "route53:ChangeResourceRecordSetsRecordTypes", types...),
			c("Null", "route53:ChangeResourceRecordSetsNormalizedRecordNames", "false"))
	}
	return map[string]map[string]map[string][]string{
		"RequestCertificates": and(tagged("StringEquals", "Request"), c("StringEquals", "acm:ValidationMethod", "DNS"),
			c("ForAllValues:StringEquals", "acm:DomainNames", "api.dev.acme.example", "developer.dev.acme.example"),
			c("Null", "acm:DomainNames", "false")),
		"TagNewCertificates": and(tagged("StringEquals", "Request"), tagged("StringEqualsIfExists", "Resource")),
		"Certificates":       and(tagged("StringEquals", "Resource"), tagged("StringEqualsIfExists", "Request")),
		"AliasRecords": records("ForAllValues:StringEquals", l("api.dev.acme.example", "developer.dev.acme.example"),
			"A", "AAAA"),
		"CertificateValidationRecords": records("ForAllValues:StringLike",
			l("_*.api.dev.acme.example", "_*.developer.dev.acme.example"), "CNAME"),
		"CreateApiDomain":     tagged("StringEquals", "Request"),
		"CreateDistributions": tagged("StringEquals", "Request"),
		"TagNewDistributions": and(tagged("StringEquals", "Request"), tagged("StringEqualsIfExists", "Resource")),
		"Distributions":       and(tagged("StringEquals", "Resource"), tagged("StringEqualsIfExists", "Request")),
	}
}

// domainAction reports whether action is one only the custom domains need.
func domainAction(action string) bool {
	for _, prefix := range []string{"acm:", "route53:", "cloudfront:", "wafv2:"} {
		if strings.HasPrefix(action, prefix) {
			return true
		}
	}
	return false
}

// TestDomainGrants: what the CI roles may do on the custom domains follows the config: with
// both domains, every grant is there and scoped (the zone, the names, the prefix, the tags;
// TestDeployRoleIsPinned pins them all); with the API domain only, nothing of the portal;
// without domains, none.
func TestDomainGrants(t *testing.T) {
	t.Run("both", func(t *testing.T) {
		p := plantest.ProjectPlan(t, root, "dev", platform.Program)
		deploy := roleAccess(t, p, "ci-deploy")
		for sid, want := range devDomainConditions() {
			assert.Equal(t, want, deploy.conditions[sid], sid)
		}
		// Every Route 53 change is of the zone and under a condition on names and types.
		for _, st := range deploy.statements {
			for _, a := range st.Action {
				if a == "route53:ChangeResourceRecordSets" {
					assert.Equal(t, l(devZone), st.Resource, st.Sid)
					assert.Contains(t, st.Condition["Null"], "route53:ChangeResourceRecordSetsNormalizedRecordNames", st.Sid)
				}
			}
		}
		preview := roleAccess(t, p, "ci-preview")
		for action := range preview.allow {
			if domainAction(action) {
				assert.True(t, allRead(l(action)), "the preview role may only read the domains: %s", action)
			}
		}
	})

	t.Run("api only", func(t *testing.T) {
		raw := baseConfig()
		raw[config.KeyAPIDomain] = config.Setting{Value: "api.dev.acme.example"}
		raw[config.KeyHostedZoneID] = config.Setting{Value: "Z0DEV0EXAMPLE0ZONE"}
		p, err := plan.Run(plan.Options{Project: "platform", Stack: "dev", Config: raw, Dir: root}, platform.Program)
		require.NoError(t, err)
		deploy := roleAccess(t, p, "ci-deploy")
		for action, res := range deploy.allow {
			assert.False(t, strings.HasPrefix(action, "cloudfront:") || strings.HasPrefix(action, "wafv2:"),
				"no portal, no %s", action)
			assert.NotContains(t, res, portalCerts, action)
		}
		assert.Equal(t, l(devCerts), deploy.allow["acm:DescribeCertificate"])
		assert.Equal(t, map[string][]string{"acm:DomainNames": {"api.dev.acme.example"}},
			deploy.conditions["RequestCertificates"]["ForAllValues:StringEquals"])
		assert.Equal(t, l("A"), deploy.conditions["AliasRecords"]["ForAllValues:StringEquals"]["route53:ChangeResourceRecordSetsRecordTypes"])
		assert.Equal(t, l("api.dev.acme.example"),
			deploy.conditions["AliasRecords"]["ForAllValues:StringEquals"]["route53:ChangeResourceRecordSetsNormalizedRecordNames"])
		assert.Equal(t, l("arn:aws:apigateway:eu-west-1::/apis/*", devAPIDomain, devAPIDomain+"/apimappings",
			devAPIDomain+"/apimappings/*", "arn:aws:apigateway:eu-west-1::/tags/*"), deploy.allow["apigateway:GET"])
	})

	t.Run("none", func(t *testing.T) {
		p, err := plan.Run(plan.Options{Project: "platform", Stack: "dev", Config: baseConfig(), Dir: root}, platform.Program)
		require.NoError(t, err)
		for _, role := range []string{"ci-deploy", "ci-preview"} {
			a := roleAccess(t, p, role)
			for action, res := range a.allow {
				assert.False(t, domainAction(action), "%s may %s without a domain", role, action)
				for _, r := range res {
					assert.NotContains(t, r, "/domainnames", "%s may %s on %s without a domain", role, action, r)
				}
			}
			for _, sid := range []string{"CreateApiDomain", "ApiDomain", "HostedZone", "Certificates", "WebACLs"} {
				assert.NotContains(t, a.conditions, sid, role)
			}
		}
		for _, r := range p.Find("aws:iam/policy:Policy", "") {
			assert.NotContains(t, r.Name, "domains", "no policy of domains without one")
		}
	})
}
