package platform

import (
	"slices"

	"github.com/stratum-platform/stratum/platform/iam"
)

// The CI identity's part of the platform's custom domains (domain.go, portal.go): the
// certificates and their DNS validation, the alias records in the configured hosted zone, the
// API Gateway domain every context maps its APIs onto, and the developer portal's CloudFront
// distribution, origin access control, response headers policy and WAF web ACL with its IP
// sets. Each is granted only when the config asks for it: without stratum:apiDomain and
// stratum:portalDomain there is none of these resources, and no grant (policyGroups).

// cloudFrontRegion is where the certificates and web ACLs of CloudFront live.
const cloudFrontRegion = "us-east-1"

// domainNames are the configured domains, the API's first.
func (s ciScope) domainNames() []string {
	var names []string
	for _, n := range []string{s.domains.API, s.domains.Portal} {
		if n != "" {
			names = append(names, n)
		}
	}
	return names
}

// certificateGrants cover the ACM certificates of the domains: the API's in the stack's
// region, the portal's in us-east-1 (CloudFront's). A certificate's ARN holds an id ACM
// assigns, so a request names only the configured domains, validated by DNS and tagged with
// this environment's tags, and an existing certificate is read and changed only with them.
func (s ciScope) certificateGrants() []grant {
	if len(s.domainNames()) == 0 {
		return nil
	}
	var certs []string
	if s.domains.API != "" {
		certs = append(certs, s.arn("acm", "certificate/*"))
	}
	if s.domains.Portal != "" {
		certs = append(certs, "arn:aws:acm:"+cloudFrontRegion+":"+s.account+":certificate/*")
	}
	certs = slices.Compact(certs) // one pattern when the stack's region is us-east-1
	return []grant{
		{
			sid: "RequestCertificates", write: []string{"acm:RequestCertificate"}, resources: []string{"*"},
			conditions: append(s.ownTags("StringEquals", "aws:RequestTag/"),
				cond("StringEquals", "acm:ValidationMethod", "DNS"),
				// ForAllValues holds for a request without names: Null refuses one.
				cond("ForAllValues:StringEquals", "acm:DomainNames", s.domainNames()...),
				cond("Null", "acm:DomainNames", "false")),
		},
		{
			// Tagging on request needs AddTagsToCertificate on the new certificate.
			sid: "TagNewCertificates", write: []string{"acm:AddTagsToCertificate"}, resources: certs,
			conditions: append(s.ownTags("StringEquals", "aws:RequestTag/"),
				s.ownTags("StringEqualsIfExists", "aws:ResourceTag/")...),
		},
		{
			sid: "Certificates", read: []string{"acm:DescribeCertificate", "acm:ListTagsForCertificate"},
			write:     []string{"acm:AddTagsToCertificate", "acm:DeleteCertificate", "acm:RemoveTagsFromCertificate"},
			resources: certs,
			conditions: append(s.ownTags("StringEquals", "aws:ResourceTag/"),
				s.ownTags("StringEqualsIfExists", "aws:RequestTag/")...),
		},
	}
}

// recordGrants cover the records of the configured hosted zone: reading it and following
// changes, and changing only the domains' alias records (A, and AAAA for the portal) and
// their certificates' validation records (the CNAMEs ACM asks for, "_<token>.<domain>").
// Every other record of the zone, which may hold the enterprise's own, is out of reach.
func (s ciScope) recordGrants() []grant {
	if len(s.domainNames()) == 0 {
		return nil
	}
	zone := "arn:aws:route53:::hostedzone/" + s.domains.HostedZoneID
	names := s.domainNames()
	validations := make([]string, len(names))
	for i, n := range names {
		validations[i] = "_*." + n
	}
	aliases := []string{"A"}
	if s.domains.Portal != "" {
		aliases = append(aliases, "AAAA")
	}
	// ForAllValues holds for a request without the key: Null refuses one.
	records := func(test string, names, types []string) []iam.Condition {
		return []iam.Condition{
			cond(test, "route53:ChangeResourceRecordSetsNormalizedRecordNames", names...),
			cond("ForAllValues:StringEquals", "route53:ChangeResourceRecordSetsRecordTypes", types...),
			cond("Null", "route53:ChangeResourceRecordSetsNormalizedRecordNames", "false"),
		}
	}
	return []grant{
		{sid: "HostedZone", read: []string{"route53:GetHostedZone", "route53:ListResourceRecordSets"}, resources: []string{zone}},
		// A change's id is assigned by Route 53; GetChange reads its status, nothing else.
		{sid: "RecordChanges", read: []string{"route53:GetChange"}, resources: []string{"arn:aws:route53:::change/*"}},
		{
			sid: "AliasRecords", write: []string{"route53:ChangeResourceRecordSets"}, resources: []string{zone},
			conditions: records("ForAllValues:StringEquals", names, aliases),
		},
		{
			sid: "CertificateValidationRecords", write: []string{"route53:ChangeResourceRecordSets"}, resources: []string{zone},
			conditions: records("ForAllValues:StringLike", validations, []string{"CNAME"}),
		},
	}
}

// apiDomainGrants cover the API Gateway domain of stratum:apiDomain and its API mappings,
// which each context's deploy (the same role) creates for its API versions. The domain is
// created with this environment's tags; once it exists its path names it exactly. The grants
// stop at what the platform's domain sets: apigateway:AddCertificateToDomain (client
// certificates) and apigateway:UpdateDomainNamePolicy (private domains) stay ungranted.
func (s ciScope) apiDomainGrants() []grant {
	if s.domains.API == "" {
		return nil
	}
	domain := s.apigw("/domainnames/" + s.domains.API)
	return []grant{
		{
			sid: "CreateApiDomain", write: []string{"apigateway:POST"}, resources: []string{s.apigw("/domainnames")},
			conditions: s.ownTags("StringEquals", "aws:RequestTag/"),
		},
		{
			sid: "ApiDomain", read: []string{"apigateway:GET"},
			write:     []string{"apigateway:DELETE", "apigateway:PATCH", "apigateway:POST"},
			resources: []string{domain, domain + "/apimappings", domain + "/apimappings/*"},
		},
	}
}

// portalEdgeGrants cover the developer portal's CloudFront distribution, origin access
// control and response headers policy, and its WAF web ACL and IP sets (us-east-1, scope
// CLOUDFRONT). A distribution's ARN holds an id: it is created with this environment's tags
// and changed only with them. Origin access controls and response headers policies have
// ids, no tags and no condition keys: they are created on "*" and changed by id in the
// account, so environments sharing an account can reach each other's (README). The web ACL
// and IP sets are named with this environment's prefix.
func (s ciScope) portalEdgeGrants() []grant {
	if s.domains.Portal == "" {
		return nil
	}
	distributions := []string{s.global("cloudfront", "distribution/*")}
	waf := func(kind string) string {
		return "arn:aws:wafv2:" + cloudFrontRegion + ":" + s.account + ":global/" + kind + "/" + s.prefix + "*"
	}
	return []grant{
		{
			// CreateDistributionWithTags is CreateDistribution and TagResource.
			sid: "CreateDistributions", write: []string{"cloudfront:CreateDistribution"}, resources: []string{"*"},
			conditions: s.ownTags("StringEquals", "aws:RequestTag/"),
		},
		{
			sid: "TagNewDistributions", write: []string{"cloudfront:TagResource"}, resources: distributions,
			conditions: append(s.ownTags("StringEquals", "aws:RequestTag/"),
				s.ownTags("StringEqualsIfExists", "aws:ResourceTag/")...),
		},
		{
			sid: "Distributions",
			read: []string{"cloudfront:GetDistribution", "cloudfront:GetDistributionConfig",
				"cloudfront:ListTagsForResource"},
			write: []string{"cloudfront:DeleteDistribution", "cloudfront:TagResource", "cloudfront:UntagResource",
				"cloudfront:UpdateDistribution"},
			resources: distributions,
			conditions: append(s.ownTags("StringEquals", "aws:ResourceTag/"),
				s.ownTags("StringEqualsIfExists", "aws:RequestTag/")...),
		},
		{
			sid:       "CreatePortalPolicies",
			write:     []string{"cloudfront:CreateOriginAccessControl", "cloudfront:CreateResponseHeadersPolicy"},
			resources: []string{"*"},
		},
		{
			sid: "OriginAccessControls", read: []string{"cloudfront:GetOriginAccessControl"},
			write:     []string{"cloudfront:DeleteOriginAccessControl", "cloudfront:UpdateOriginAccessControl"},
			resources: []string{s.global("cloudfront", "origin-access-control/*")},
		},
		{
			sid: "ResponseHeadersPolicies", read: []string{"cloudfront:GetResponseHeadersPolicy"},
			write:     []string{"cloudfront:DeleteResponseHeadersPolicy", "cloudfront:UpdateResponseHeadersPolicy"},
			resources: []string{s.global("cloudfront", "response-headers-policy/*")},
		},
		{
			sid: "IPSets", read: []string{"wafv2:GetIPSet", "wafv2:ListTagsForResource"},
			write: []string{"wafv2:CreateIPSet", "wafv2:DeleteIPSet", "wafv2:TagResource", "wafv2:UntagResource",
				"wafv2:UpdateIPSet"},
			resources: []string{waf("ipset")},
		},
		{
			sid: "WebACLs", read: []string{"wafv2:GetWebACL", "wafv2:ListTagsForResource"},
			write: []string{"wafv2:CreateWebACL", "wafv2:DeleteWebACL", "wafv2:TagResource", "wafv2:UntagResource",
				"wafv2:UpdateWebACL"},
			resources: []string{waf("webacl")},
		},
		{
			// Creating and updating a web ACL is authorised on the IP sets its rules name too.
			sid: "WebACLRulesUseIPSets", write: []string{"wafv2:CreateWebACL", "wafv2:UpdateWebACL"},
			resources: []string{waf("ipset")},
		},
	}
}
