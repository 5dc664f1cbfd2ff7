package platform

import (
	"fmt"
	"net/netip"
	"path"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/extensions/bucket"
	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/policy"
	"github.com/stratum-platform/stratum/platform/portal"
	"github.com/stratum-platform/stratum/platform/project"
	"github.com/stratum-platform/stratum/platform/stackref"
)

// CloudFront's fixed facts.
const (
	cloudFrontService = "cloudfront.amazonaws.com"
	// cachingOptimized is the id of CloudFront's managed CachingOptimized cache policy.
	cachingOptimized = "658327ea-f89d-4fab-a63d-7e88639e58f6"
	// hstsMaxAge is two years, what the HSTS preload list asks for.
	hstsMaxAge = 2 * 365 * 24 * 60 * 60
	// portalOrigin is the distribution's one origin, the pages bucket.
	portalOrigin = "portal-pages"
)

// edgeKind names CloudFront's and WAF's resources: origin access controls allow 64
// characters, letters, digits, "-" and "_".
func edgeKind() naming.Rule {
	return naming.Rule{Name: "CloudFront or WAF resource", Min: 1, Max: 64, Extra: "_-"}
}

// portalKeyStatements let CloudFront decrypt the portal's pages (SSE-KMS with the platform
// key) for this account's distributions only. The exact distribution's ARN would be a cycle:
// the key encrypts the bucket, whose policy names the distribution, which reads the bucket.
// None without a portal.
func portalKeyStatements(cfg *config.Config, account string) iam.Statements {
	if cfg.Domains.Portal == "" {
		return nil
	}
	return iam.Statements{{
		Sid:        "CloudFrontReadsThePortal",
		Principals: []iam.Principal{{Type: iam.PrincipalService, Identifiers: []pulumi.StringInput{pulumi.String(cloudFrontService)}}},
		Actions:    []string{"kms:Decrypt"},
		Resources:  []pulumi.StringInput{pulumi.String("*")},
		Conditions: []iam.Condition{{Test: "ArnLike", Variable: "aws:SourceArn",
			Values: []pulumi.StringInput{pulumi.String("arn:aws:cloudfront::" + account + ":distribution/*")}}},
	}}
}

// hostPortal hosts the developer portal at its own domain when stratum:portalDomain is set:
// a private bucket for the pages stratum portal builds, encrypted with the platform key, read
// only by the portal's CloudFront distribution through origin access control; the portal's
// strict CSP, HSTS and no framing in a response headers policy; HTTPS only with TLS 1.2 at
// least and a certificate of us-east-1 (CloudFront's); the alias records of the domain; a
// WAF web ACL that answers only stratum:portalAllowedCidrs; with stratum:portalClientId, the
// sign-in (newPortalSignIn) without which no page is served; and the pages themselves
// (publishPortal).
// east are the options of resources in us-east-1.
func hostPortal(ctx *pulumi.Context, cfg *config.Config, sc scope.Scope, account string, east []pulumi.ResourceOption) error {
	d := cfg.Domains
	if d.Portal == "" {
		return nil
	}
	tags := sc.TagMap()
	certArn, err := certificate(ctx, "portal", d.Portal, d.HostedZoneID, tags, east...)
	if err != nil {
		return fmt.Errorf("portal: %w", err)
	}
	oac, err := cloudfront.NewOriginAccessControl(ctx, "portal", &cloudfront.OriginAccessControlArgs{
		Name:                          pulumi.String(sc.Name(edgeKind(), "portal")),
		Description:                   pulumi.String("CloudFront signs every request for the portal's pages."),
		OriginAccessControlOriginType: pulumi.String("s3"),
		SigningBehavior:               pulumi.String("always"),
		SigningProtocol:               pulumi.String("sigv4"),
	})
	if err != nil {
		return fmt.Errorf("portal: origin access control: %w", err)
	}
	headers, err := responseHeaders(ctx, sc)
	if err != nil {
		return err
	}
	webACL, err := portalAccess(ctx, cfg, sc, east)
	if err != nil {
		return err
	}
	signIn, err := newPortalSignIn(ctx, cfg, sc, account)
	if err != nil {
		return err
	}
	// The bucket's policy names the distribution, which reads the bucket: the distribution
	// is created first, from the name the bucket will have.
	bucketName := bucket.PhysicalName(sc, "portal", account, cfg.Region)
	args := &cloudfront.DistributionArgs{
		Enabled:           pulumi.Bool(true),
		Comment:           pulumi.String("The developer portal of " + sc.Naming.Prefix()),
		Aliases:           pulumi.StringArray{pulumi.String(d.Portal)},
		DefaultRootObject: pulumi.String("index.html"),
		IsIpv6Enabled:     pulumi.Bool(true),
		PriceClass:        pulumi.String("PriceClass_100"),
		Origins: cloudfront.DistributionOriginArray{&cloudfront.DistributionOriginArgs{
			OriginId:              pulumi.String(portalOrigin),
			DomainName:            pulumi.String(bucketName + ".s3." + cfg.Region + ".amazonaws.com"),
			OriginAccessControlId: oac.ID(),
		}},
		DefaultCacheBehavior: &cloudfront.DistributionDefaultCacheBehaviorArgs{
			TargetOriginId:          pulumi.String(portalOrigin),
			ViewerProtocolPolicy:    pulumi.String("redirect-to-https"),
			AllowedMethods:          pulumi.ToStringArray([]string{"GET", "HEAD"}),
			CachedMethods:           pulumi.ToStringArray([]string{"GET", "HEAD"}),
			CachePolicyId:           pulumi.String(cachingOptimized),
			ResponseHeadersPolicyId: headers.ID(),
			Compress:                pulumi.Bool(true),
		},
		Restrictions: &cloudfront.DistributionRestrictionsArgs{
			GeoRestriction: &cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("none")},
		},
		ViewerCertificate: &cloudfront.DistributionViewerCertificateArgs{
			AcmCertificateArn:      certArn,
			SslSupportMethod:       pulumi.String("sni-only"),
			MinimumProtocolVersion: pulumi.String("TLSv1.2_2021"),
		},
		WebAclId: webACL,
		Tags:     distributionTags(cfg, sc),
	}
	if signIn != nil {
		// No page without valid signed cookies; /auth/* signs readers in; a 403 sends them
		// there.
		args.DefaultCacheBehavior.(*cloudfront.DistributionDefaultCacheBehaviorArgs).TrustedKeyGroups =
			pulumi.StringArray{signIn.keyGroup.ID()}
		args.Origins = append(args.Origins.(cloudfront.DistributionOriginArray), signIn.origin())
		args.OrderedCacheBehaviors = cloudfront.DistributionOrderedCacheBehaviorArray{signIn.behavior(headers.ID())}
		args.CustomErrorResponses = signIn.errorResponses()
	}
	dist, err := cloudfront.NewDistribution(ctx, "portal", args)
	if err != nil {
		return fmt.Errorf("portal: distribution: %w", err)
	}
	if signIn != nil {
		if err := signIn.allow(ctx, dist); err != nil {
			return err
		}
	}
	pages, err := bucket.New(ctx, "portal", &bucket.Args{
		Scope: sc,
		Statements: func(arn pulumi.StringInput) iam.Statements {
			cloudFront := []iam.Principal{{Type: iam.PrincipalService, Identifiers: []pulumi.StringInput{pulumi.String(cloudFrontService)}}}
			thisDistribution := []iam.Condition{{Test: "StringEquals", Variable: "aws:SourceArn", Values: []pulumi.StringInput{dist.Arn}}}
			return iam.Statements{{
				Sid: "CloudFrontReadsThePortal", Principals: cloudFront, Conditions: thisDistribution,
				Actions: []string{"s3:GetObject"}, Resources: []pulumi.StringInput{pulumi.Sprintf("%s/*", arn)},
			}, {
				// Listing lets S3 answer a missing page 404, not 403, which with sign-in
				// would send a signed-in reader to sign in again.
				Sid: "CloudFrontFindsMissingPages", Principals: cloudFront, Conditions: thisDistribution,
				Actions: []string{"s3:ListBucket"}, Resources: []pulumi.StringInput{arn},
			}}
		},
	})
	if err != nil {
		return fmt.Errorf("portal: %w", err)
	}
	if err := publishPortal(ctx, pages); err != nil {
		return err
	}
	for _, typ := range []string{"A", "AAAA"} {
		if _, err := route53.NewRecord(ctx, "portal-alias-"+typ, &route53.RecordArgs{
			ZoneId: pulumi.String(d.HostedZoneID),
			Name:   pulumi.String(d.Portal),
			Type:   pulumi.String(typ),
			Aliases: route53.RecordAliasArray{&route53.RecordAliasArgs{
				Name: dist.DomainName, ZoneId: dist.HostedZoneId, EvaluateTargetHealth: pulumi.Bool(false),
			}},
		}); err != nil {
			return fmt.Errorf("portal: alias record %s: %w", typ, err)
		}
	}
	stackref.Export(ctx, "portalBucketName", pages.Name)
	stackref.Export(ctx, "portalDistributionId", dist.ID())
	stackref.Export(ctx, "portalDistributionDomainName", dist.DomainName)
	return nil
}

// portalBucketName is the name of the bucket of the portal's pages.
func (s ciScope) portalBucketName() string {
	return bucket.PhysicalName(scope.Scope{Naming: s.names}, "portal", s.account, s.region)
}

// portalGrants let the deploy role publish the portal's pages (publishPortal): write, read
// back and delete the objects of that one bucket; the provider deletes an object of a
// versioned bucket version by version. With sign-in, they also let it manage CloudFront's
// public keys and key groups (which have no resource-level permissions) and the sign-in
// function's URL. The preview role gets the reads. None without a portal.
func (s ciScope) portalGrants() []grant {
	if s.domains.Portal == "" {
		return nil
	}
	pages := "arn:aws:s3:::" + s.portalBucketName()
	grants := []grant{
		{
			sid:       "PortalPages",
			read:      []string{"s3:GetObject", "s3:GetObjectTagging"},
			write:     []string{"s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject"},
			resources: []string{pages + "/*"},
		},
		{sid: "PortalPageVersions", write: []string{"s3:ListBucketVersions"}, resources: []string{pages}},
	}
	if s.domains.PortalClientID == "" {
		return grants
	}
	fn := s.arn("lambda", "function:"+s.names.Physical(naming.LambdaFunction, signInFunction))
	return append(grants,
		grant{
			sid:  "PortalSigningKeys",
			read: []string{"cloudfront:GetKeyGroup", "cloudfront:GetPublicKey"},
			write: []string{"cloudfront:CreateKeyGroup", "cloudfront:CreatePublicKey", "cloudfront:DeleteKeyGroup",
				"cloudfront:DeletePublicKey", "cloudfront:UpdateKeyGroup", "cloudfront:UpdatePublicKey"},
			resources: []string{"*"},
		},
		grant{
			sid:  "PortalSignInURL",
			read: []string{"lambda:GetFunctionUrlConfig"},
			write: []string{"lambda:CreateFunctionUrlConfig", "lambda:DeleteFunctionUrlConfig",
				"lambda:UpdateFunctionUrlConfig"},
			resources: []string{fn, fn + ":" + function.AliasName},
		})
}

// Cache-Control of the portal's files: CloudFront's CachingOptimized policy keeps a file as
// long as its origin says, so a page is at most a minute old after a deploy and no
// invalidation is needed; the style sheet and the icon change rarely and keep an hour.
const (
	pageCacheControl  = "max-age=60, must-revalidate"
	assetCacheControl = "max-age=3600"
)

// portalTypes are the Content-Type and Cache-Control of each kind of file portal.Render
// builds, by extension.
var portalTypes = map[string][2]string{
	".html": {"text/html; charset=utf-8", pageCacheControl},
	".css":  {"text/css; charset=utf-8", assetCacheControl},
	".svg":  {"image/svg+xml", assetCacheControl},
}

// publishPortal renders the portal of the repository's specs (the platform project's
// directory is the repository's root) and uploads every file into the pages bucket, keyed
// by its path, encrypted by the bucket's default: a spec change previews as an update of
// the pages it changes, a removed version as the deletion of its page.
func publishPortal(ctx *pulumi.Context, pages *bucket.Bucket) error {
	root, err := project.Dir(ctx)
	if err != nil {
		return fmt.Errorf("portal pages: %w", err)
	}
	specs, err := portal.Read(root)
	if err != nil {
		return fmt.Errorf("portal pages of %s: %w", root, err)
	}
	files, err := portal.Render(specs)
	if err != nil {
		return fmt.Errorf("portal pages: %w", err)
	}
	for _, f := range files {
		typ, ok := portalTypes[path.Ext(f.Path)]
		if !ok {
			return fmt.Errorf("portal pages: %s: no Content-Type for %q files", f.Path, path.Ext(f.Path))
		}
		// Encrypted by the bucket's default (the platform key): uploaded once it is set.
		if _, err := s3.NewBucketObjectv2(ctx, "portal-"+f.Path, &s3.BucketObjectv2Args{
			Bucket:       pages.Name,
			Key:          pulumi.String(f.Path),
			Content:      pulumi.String(string(f.Data)),
			ContentType:  pulumi.String(typ[0]),
			CacheControl: pulumi.String(typ[1]),
		}, pulumi.DependsOn([]pulumi.Resource{pages.Encryption})); err != nil {
			return fmt.Errorf("portal pages: %s: %w", f.Path, err)
		}
	}
	return nil
}

// distributionTags are the scope's tags and, for a portal the config made public, the tag
// that says so to the policy rule portal-distribution.
func distributionTags(cfg *config.Config, sc scope.Scope) pulumi.StringMap {
	tags := sc.TagMap()
	if cfg.Domains.PortalPublic {
		tags[policy.PublicDistributionTag] = pulumi.String(policy.PublicDistributionTagValue)
	}
	return tags
}

// responseHeaders is the portal's response headers policy: its strict CSP (portal.CSP, with
// frame-ancestors, which only a header can set), HSTS, no MIME sniffing, no framing, no
// referrer.
func responseHeaders(ctx *pulumi.Context, sc scope.Scope) (*cloudfront.ResponseHeadersPolicy, error) {
	p, err := cloudfront.NewResponseHeadersPolicy(ctx, "portal", &cloudfront.ResponseHeadersPolicyArgs{
		Name:    pulumi.String(sc.Name(edgeKind(), "portal-headers")),
		Comment: pulumi.String("The developer portal's security headers."),
		SecurityHeadersConfig: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigArgs{
			ContentSecurityPolicy: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigContentSecurityPolicyArgs{
				ContentSecurityPolicy: pulumi.String(portal.CSP), Override: pulumi.Bool(true),
			},
			StrictTransportSecurity: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigStrictTransportSecurityArgs{
				AccessControlMaxAgeSec: pulumi.Int(hstsMaxAge), IncludeSubdomains: pulumi.Bool(true),
				Preload: pulumi.Bool(true), Override: pulumi.Bool(true),
			},
			ContentTypeOptions: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigContentTypeOptionsArgs{Override: pulumi.Bool(true)},
			FrameOptions: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigFrameOptionsArgs{
				FrameOption: pulumi.String("DENY"), Override: pulumi.Bool(true),
			},
			ReferrerPolicy: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigReferrerPolicyArgs{
				ReferrerPolicy: pulumi.String("no-referrer"), Override: pulumi.Bool(true),
			},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("portal: response headers policy: %w", err)
	}
	return p, nil
}

// portalAccess returns the ARN of the web ACL that lets only stratum:portalAllowedCidrs read
// the portal (one IP set per address family, every other request blocked), or nil without
// an allow-list: a portal the config made public, or one that only sign-in restricts.
// CloudFront's web ACLs live in us-east-1 (east).
func portalAccess(ctx *pulumi.Context, cfg *config.Config, sc scope.Scope, east []pulumi.ResourceOption) (pulumi.StringPtrInput, error) {
	if len(cfg.Domains.PortalAllowedCIDRs) == 0 {
		return nil, nil
	}
	byFamily := map[string][]string{}
	for _, cidr := range cfg.Domains.PortalAllowedCIDRs {
		family := "IPV4"
		if netip.MustParsePrefix(cidr).Addr().Is6() { // config validated it
			family = "IPV6"
		}
		byFamily[family] = append(byFamily[family], cidr)
	}
	var rules wafv2.WebAclRuleArray
	for _, family := range []string{"IPV4", "IPV6"} {
		if len(byFamily[family]) == 0 {
			continue
		}
		name := sc.Name(edgeKind(), "portal-allowed-"+family)
		set, err := wafv2.NewIpSet(ctx, "portal-allowed-"+family, &wafv2.IpSetArgs{
			Name: pulumi.String(name), Scope: pulumi.String("CLOUDFRONT"), IpAddressVersion: pulumi.String(family),
			Addresses: pulumi.ToStringArray(byFamily[family]), Tags: sc.TagMap(),
		}, east...)
		if err != nil {
			return nil, fmt.Errorf("portal: IP set: %w", err)
		}
		rules = append(rules, &wafv2.WebAclRuleArgs{
			Name: pulumi.String("allowed-" + family), Priority: pulumi.Int(len(rules)),
			Action: &wafv2.WebAclRuleActionArgs{Allow: &wafv2.WebAclRuleActionAllowArgs{}},
			Statement: &wafv2.WebAclRuleStatementArgs{
				IpSetReferenceStatement: &wafv2.WebAclRuleStatementIpSetReferenceStatementArgs{Arn: set.Arn}},
			VisibilityConfig: &wafv2.WebAclRuleVisibilityConfigArgs{CloudwatchMetricsEnabled: pulumi.Bool(true),
				MetricName: pulumi.String(name), SampledRequestsEnabled: pulumi.Bool(true)},
		})
	}
	name := sc.Name(edgeKind(), "portal")
	acl, err := wafv2.NewWebAcl(ctx, "portal", &wafv2.WebAclArgs{
		Name:          pulumi.String(name),
		Description:   pulumi.String("Only the configured networks read the developer portal."),
		Scope:         pulumi.String("CLOUDFRONT"),
		DefaultAction: &wafv2.WebAclDefaultActionArgs{Block: &wafv2.WebAclDefaultActionBlockArgs{}},
		Rules:         rules,
		VisibilityConfig: &wafv2.WebAclVisibilityConfigArgs{CloudwatchMetricsEnabled: pulumi.Bool(true),
			MetricName: pulumi.String(name), SampledRequestsEnabled: pulumi.Bool(true)},
		Tags: sc.TagMap(),
	}, east...)
	if err != nil {
		return nil, fmt.Errorf("portal: web ACL: %w", err)
	}
	return acl.Arn, nil
}
