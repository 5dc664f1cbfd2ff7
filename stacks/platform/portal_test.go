package platform_test

import (
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/platform/portal"
	"github.com/stratum-platform/stratum/stacks/platform"
)

// bucketPolicy returns the statements of the portal bucket's policy.
func bucketPolicy(t *testing.T, p *plan.Plan) []iam.ParsedStatement {
	t.Helper()
	policy := get(t, p, "aws:s3/bucketPolicy:BucketPolicy", "portal-policy")
	doc, err := iam.Parse(policy.String("policy"))
	require.NoError(t, err)
	return doc.Statement
}

func TestPortal(t *testing.T) {
	for env, name := range map[string]string{"dev": "developer.dev.acme.example", "prod": "developer.acme.example"} {
		t.Run(env, func(t *testing.T) {
			p := plantest.ProjectPlan(t, root, env, platform.Program)
			dist := get(t, p, "aws:cloudfront/distribution:Distribution", "portal")
			oac := get(t, p, "aws:cloudfront/originAccessControl:OriginAccessControl", "portal")
			headers := get(t, p, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "portal")
			bucket := get(t, p, "aws:s3/bucketV2:BucketV2", "portal")
			bucketName := bucket.Inputs["bucket"].(string)

			// Only this distribution reads the pages, only them.
			st := bucketPolicy(t, p)
			require.Len(t, st, 2, "TLS only, and CloudFront's read")
			assert.Equal(t, "DenyInsecureTransport", st[0].Sid)
			read := st[1]
			assert.Equal(t, "Allow", read.Effect)
			assert.Equal(t, map[string][]string{"Service": {"cloudfront.amazonaws.com"}}, read.Principal)
			assert.Equal(t, []string{"s3:GetObject"}, read.Action)
			assert.Equal(t, []string{"arn:aws:s3:::" + bucketName + "/*"}, read.Resource)
			assert.Equal(t, map[string]map[string][]string{"StringEquals": {"aws:SourceArn": {dist.Outputs["arn"].(string)}}},
				read.Condition)
			// Encrypted with the platform key.
			enc := get(t, p, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "portal-encryption")
			key := get(t, p, "aws:kms/key:Key", "platform")
			raw, err := json.Marshal(enc.Inputs["rules"])
			require.NoError(t, err)
			assert.Contains(t, string(raw), key.Outputs["arn"].(string))

			// Signed requests through the origin access control, to the bucket only.
			assert.Equal(t, map[string]any{"name": oac.Inputs["name"], "description": oac.Inputs["description"],
				"originAccessControlOriginType": "s3", "signingBehavior": "always", "signingProtocol": "sigv4"}, oac.Inputs)
			origins := dist.Inputs["origins"].([]any)
			require.Len(t, origins, 1)
			origin := origins[0].(map[string]any)
			assert.Equal(t, bucketName+".s3.eu-west-1.amazonaws.com", origin["domainName"])
			assert.NotEmpty(t, origin["originAccessControlId"])

			// HTTPS with TLS 1.2 at least and a us-east-1 certificate validated in the zone.
			behavior := dist.Inputs["defaultCacheBehavior"].(map[string]any)
			assert.Equal(t, "redirect-to-https", behavior["viewerProtocolPolicy"])
			assert.NotEmpty(t, behavior["responseHeadersPolicyId"])
			assert.Equal(t, "index.html", dist.Inputs["defaultRootObject"])
			assert.Equal(t, "PriceClass_100", dist.Inputs["priceClass"])
			assert.Equal(t, []any{name}, dist.Inputs["aliases"])
			cert := get(t, p, "aws:acm/certificate:Certificate", "portal-certificate")
			assert.Equal(t, name, cert.Inputs["domainName"])
			assert.Equal(t, "DNS", cert.Inputs["validationMethod"])
			assert.Regexp(t, `^arn:aws:acm:us-east-1:`, cert.Outputs["arn"], "CloudFront takes certificates of us-east-1")
			validation := get(t, p, "aws:acm/certificateValidation:CertificateValidation", "portal-certificate")
			assert.Equal(t, map[string]any{"acmCertificateArn": validation.Inputs["certificateArn"],
				"sslSupportMethod": "sni-only", "minimumProtocolVersion": "TLSv1.2_2021"}, dist.Inputs["viewerCertificate"])
			for _, typ := range []string{"A", "AAAA"} {
				alias := get(t, p, "aws:route53/record:Record", "portal-alias-"+typ)
				assert.Equal(t, name, alias.Inputs["name"])
				assert.Equal(t, []any{map[string]any{"name": dist.Outputs["domainName"], "zoneId": "Z2FDTNDATAQYW2",
					"evaluateTargetHealth": false}}, alias.Inputs["aliases"])
			}

			// The portal's CSP, HSTS for two years with preload, no sniffing, no framing.
			sec := headers.Inputs["securityHeadersConfig"].(map[string]any)
			assert.Equal(t, map[string]any{"contentSecurityPolicy": portal.CSP, "override": true}, sec["contentSecurityPolicy"])
			assert.Equal(t, map[string]any{"accessControlMaxAgeSec": 63072000.0, "includeSubdomains": true, "preload": true,
				"override": true}, sec["strictTransportSecurity"])
			assert.Equal(t, map[string]any{"override": true}, sec["contentTypeOptions"])
			assert.Equal(t, map[string]any{"frameOption": "DENY", "override": true}, sec["frameOptions"])
			assert.Equal(t, map[string]any{"referrerPolicy": "no-referrer", "override": true}, sec["referrerPolicy"])
		})
	}
}

// TestPortalAccess: prod answers only its networks (a web ACL of us-east-1, default block),
// dev is public by its config.
func TestPortalAccess(t *testing.T) {
	prod := plantest.ProjectPlan(t, root, "prod", platform.Program)
	acl := get(t, prod, "aws:wafv2/webAcl:WebAcl", "portal")
	assert.Equal(t, "CLOUDFRONT", acl.Inputs["scope"])
	assert.Equal(t, map[string]any{"block": map[string]any{}}, acl.Inputs["defaultAction"])
	assert.Regexp(t, `^arn:aws:wafv2:us-east-1:`, acl.Outputs["arn"], "CloudFront takes web ACLs of us-east-1")
	assert.Equal(t, acl.Outputs["arn"], get(t, prod, "aws:cloudfront/distribution:Distribution", "portal").Inputs["webAclId"])
	rules := acl.Inputs["rules"].([]any)
	require.Len(t, rules, 2)
	for i, family := range []string{"IPV4", "IPV6"} {
		set := get(t, prod, "aws:wafv2/ipSet:IpSet", "portal-allowed-"+family)
		assert.Equal(t, "CLOUDFRONT", set.Inputs["scope"])
		assert.Equal(t, family, set.Inputs["ipAddressVersion"])
		rule := rules[i].(map[string]any)
		assert.Equal(t, map[string]any{"allow": map[string]any{}}, rule["action"])
		assert.Equal(t, map[string]any{"ipSetReferenceStatement": map[string]any{"arn": set.Outputs["arn"]}}, rule["statement"])
	}
	assert.Equal(t, []any{"192.0.2.0/24"}, get(t, prod, "aws:wafv2/ipSet:IpSet", "portal-allowed-IPV4").Inputs["addresses"])
	assert.Equal(t, []any{"2001:db8::/32"}, get(t, prod, "aws:wafv2/ipSet:IpSet", "portal-allowed-IPV6").Inputs["addresses"])

	dev := plantest.ProjectPlan(t, root, "dev", platform.Program)
	assert.Zero(t, dev.CountByType()["aws:wafv2/webAcl:WebAcl"], "stratum:portalPublic")
	assert.Zero(t, dev.CountByType()["aws:wafv2/ipSet:IpSet"])
	assert.Nil(t, get(t, dev, "aws:cloudfront/distribution:Distribution", "portal").Inputs["webAclId"])

	// Only IPv4 networks: one IP set.
	raw := baseConfig()
	raw["stratum:hostedZoneId"] = config.Setting{Value: "Z0123456789ABCDEFGHIJ"}
	raw["stratum:portalDomain"] = config.Setting{Value: "developer.dev.acme.example"}
	raw["stratum:portalAllowedCidrs"] = config.Setting{Value: `["203.0.113.0/24"]`}
	p, err := plan.Run(plan.Options{Project: "platform", Stack: "dev", Config: raw, Dir: root}, platform.Program)
	require.NoError(t, err)
	assert.Equal(t, 1, p.CountByType()["aws:wafv2/ipSet:IpSet"])
	assert.Len(t, get(t, p, "aws:wafv2/webAcl:WebAcl", "portal").Inputs["rules"], 1)
}

// TestPortalKeyStatement: CloudFront decrypts the pages for this account's distributions
// only; without a portal the key has no such statement.
func TestPortalKeyStatement(t *testing.T) {
	statement := func(p *plan.Plan) *iam.ParsedStatement {
		doc, err := iam.Parse(get(t, p, "aws:kms/key:Key", "platform").String("policy"))
		require.NoError(t, err)
		i := slices.IndexFunc(doc.Statement, func(st iam.ParsedStatement) bool {
			return slices.Equal(st.Principal["Service"], []string{"cloudfront.amazonaws.com"})
		})
		if i < 0 {
			return nil
		}
		return &doc.Statement[i]
	}
	st := statement(plantest.ProjectPlan(t, root, "dev", platform.Program))
	require.NotNil(t, st)
	assert.Equal(t, []string{"kms:Decrypt"}, st.Action)
	assert.Equal(t, map[string]map[string][]string{"ArnLike": {"aws:SourceArn": {"arn:aws:cloudfront::111111111111:distribution/*"}}},
		st.Condition)

	p, err := plan.Run(plan.Options{Project: "platform", Stack: "dev", Config: baseConfig(), Dir: root}, platform.Program)
	require.NoError(t, err)
	assert.Nil(t, statement(p))
}

// TestPortalPages: the stack publishes every file stratum portal renders from the
// repository's specs, one object each, keyed by its path, with its Content-Type; pages
// expire within a minute (no invalidation after a deploy), the style sheet and icon in an
// hour; the bucket's default encrypts them.
func TestPortalPages(t *testing.T) {
	specs, err := portal.Read(root)
	require.NoError(t, err)
	files, err := portal.Render(specs)
	require.NoError(t, err)
	p := plantest.ProjectPlan(t, root, "dev", platform.Program)
	bucketName := get(t, p, "aws:s3/bucketV2:BucketV2", "portal").Inputs["bucket"]
	types := map[string]string{".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
	for _, f := range files {
		obj := get(t, p, "aws:s3/bucketObjectv2:BucketObjectv2", "portal-"+f.Path)
		ext := path.Ext(f.Path)
		cache := "max-age=3600"
		if ext == ".html" {
			cache = "max-age=60, must-revalidate"
		}
		assert.Equal(t, map[string]any{"bucket": bucketName, "key": f.Path, "content": string(f.Data),
			"contentType": types[ext], "cacheControl": cache}, obj.Inputs, f.Path)
	}
	assert.Equal(t, len(files), p.CountByType()["aws:s3/bucketObjectv2:BucketObjectv2"])
	for _, name := range []string{"portalBucketName", "portalDistributionId", "portalDistributionDomainName"} {
		assert.NotEmpty(t, p.Outputs[name], name)
	}

	// Without specs there is no portal to publish: the plan fails and says where it looked.
	// The directory has the platform's handlers and no stacks/<context>/api.
	dir := t.TempDir()
	handlers, err := filepath.Abs(filepath.Join(root, "stacks", "platform", "handlers"))
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "stacks", "platform"), 0o755))
	require.NoError(t, os.Symlink(handlers, filepath.Join(dir, "stacks", "platform", "handlers")))
	raw := baseConfig()
	raw["stratum:hostedZoneId"] = config.Setting{Value: "Z0123456789ABCDEFGHIJ"}
	raw["stratum:portalDomain"] = config.Setting{Value: "developer.dev.acme.example"}
	raw["stratum:portalPublic"] = config.Setting{Value: "true"}
	_, err = plan.Run(plan.Options{Project: "platform", Stack: "dev", Config: raw, Dir: dir}, platform.Program)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "portal pages of "+dir+": portal: no API spec (stacks/<context>/api/v<N>.yaml)")
}
