package platform_test

import (
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/secret"
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
			require.Len(t, st, 3, "TLS only, CloudFront's read and its listing")
			assert.Equal(t, "DenyInsecureTransport", st[0].Sid)
			read := st[1]
			assert.Equal(t, "Allow", read.Effect)
			assert.Equal(t, map[string][]string{"Service": {"cloudfront.amazonaws.com"}}, read.Principal)
			assert.Equal(t, []string{"s3:GetObject"}, read.Action)
			assert.Equal(t, []string{"arn:aws:s3:::" + bucketName + "/*"}, read.Resource)
			assert.Equal(t, map[string]map[string][]string{"StringEquals": {"aws:SourceArn": {dist.Outputs["arn"].(string)}}},
				read.Condition)
			list := st[2]
			assert.Equal(t, "CloudFrontFindsMissingPages", list.Sid)
			assert.Equal(t, read.Principal, list.Principal)
			assert.Equal(t, []string{"s3:ListBucket"}, list.Action, "a missing page is a 404, not a 403 that means sign in")
			assert.Equal(t, []string{"arn:aws:s3:::" + bucketName}, list.Resource)
			assert.Equal(t, read.Condition, list.Condition)
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
			origin := origins[0].(map[string]any)
			assert.Equal(t, "portal-pages", origin["originId"])
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

// statementBySid returns the statement of doc with sid.
func statementBySid(t *testing.T, doc string, sid string) iam.ParsedStatement {
	t.Helper()
	parsed, err := iam.Parse(doc)
	require.NoError(t, err)
	i := slices.IndexFunc(parsed.Statement, func(st iam.ParsedStatement) bool { return st.Sid == sid })
	require.GreaterOrEqual(t, i, 0, "statement %s", sid)
	return parsed.Statement[i]
}

// TestPortalSignIn: prod signs its readers in. The default behavior trusts only the key
// group of the configured public key; /auth/* goes, uncached, to the sign-in function's URL
// (AWS_IAM) through an origin access control of type lambda, which only this distribution
// may invoke; a 403 answers with the sign-in page; the function reads the signing key's
// secret (an operator's value, no rotation) and nothing else.
func TestPortalSignIn(t *testing.T) {
	p := plantest.ProjectPlan(t, root, "prod", platform.Program)
	dist := get(t, p, "aws:cloudfront/distribution:Distribution", "portal")
	pub := get(t, p, "aws:cloudfront/publicKey:PublicKey", "portal-signin")
	group := get(t, p, "aws:cloudfront/keyGroup:KeyGroup", "portal-signin")
	url := get(t, p, "aws:lambda/functionUrl:FunctionUrl", "portal-signin")
	oac := get(t, p, "aws:cloudfront/originAccessControl:OriginAccessControl", "portal-signin")
	fn := get(t, p, "aws:lambda/function:Function", "portal-signin")
	sec := get(t, p, "aws:secretsmanager/secret:Secret", "portal-signing-key")

	proj, err := config.ReadProject(root, "prod")
	require.NoError(t, err)
	assert.Equal(t, strings.TrimSpace(proj.Raw["stratum:portalSigningPublicKey"].Value)+"\n", pub.Inputs["encodedKey"])
	assert.Contains(t, pub.Inputs["encodedKey"], "-----BEGIN PUBLIC KEY-----\nMIIB")
	assert.Equal(t, "acme-prod-platform-portal-signin-", pub.Inputs["namePrefix"], "a new key is created before the old one goes")
	env := fn.Inputs["environment"].(map[string]any)["variables"].(map[string]any)
	assert.Equal(t, []any{env["CLOUDFRONT_KEY_PAIR_ID"]}, group.Inputs["items"], "the key group holds the key the cookies name")
	behavior := dist.Inputs["defaultCacheBehavior"].(map[string]any)
	groups := behavior["trustedKeyGroups"].([]any)
	require.Len(t, groups, 1, "no page without signed cookies")
	assert.Regexp(t, `^acme-prod-platform-portal-signin-`, groups[0])

	assert.Equal(t, map[string]any{"functionName": fn.Outputs["name"], "qualifier": "live",
		"authorizationType": "AWS_IAM"}, url.Inputs)
	assert.Equal(t, "lambda", oac.Inputs["originAccessControlOriginType"])
	assert.Equal(t, "always", oac.Inputs["signingBehavior"])
	origins := dist.Inputs["origins"].([]any)
	require.Len(t, origins, 2)
	host := strings.TrimSuffix(strings.TrimPrefix(url.Outputs["functionUrl"].(string), "https://"), "/")
	assert.Regexp(t, `^[0-9a-f]{32}\.lambda-url\.eu-west-1\.on\.aws$`, host)
	signInOrigin := origins[1].(map[string]any)
	assert.Regexp(t, `^acme-prod-platform-portal-signin-`, signInOrigin["originAccessControlId"])
	assert.NotEqual(t, origins[0].(map[string]any)["originAccessControlId"], signInOrigin["originAccessControlId"])
	delete(signInOrigin, "originAccessControlId")
	assert.Equal(t, map[string]any{"originId": "portal-signin", "domainName": host,
		"customOriginConfig": map[string]any{"httpPort": 80.0, "httpsPort": 443.0, "originProtocolPolicy": "https-only",
			"originSslProtocols": []any{"TLSv1.2"}}}, origins[1])
	assert.Equal(t, []any{map[string]any{"pathPattern": "/auth/*", "targetOriginId": "portal-signin",
		"viewerProtocolPolicy": "redirect-to-https", "allowedMethods": []any{"GET", "HEAD"}, "cachedMethods": []any{"GET", "HEAD"},
		"cachePolicyId": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", "originRequestPolicyId": "b689b0a8-53d0-40ab-baf2-68738e2966ac",
		"responseHeadersPolicyId": behavior["responseHeadersPolicyId"], "compress": true}}, dist.Inputs["orderedCacheBehaviors"])
	assert.Equal(t, []any{map[string]any{"errorCode": 403.0, "responseCode": 403.0, "responsePagePath": "/auth/signin.html",
		"errorCachingMinTtl": 0.0}}, dist.Inputs["customErrorResponses"])

	perm := get(t, p, "aws:lambda/permission:Permission", "portal-signin-url")
	assert.Equal(t, map[string]any{"action": "lambda:InvokeFunctionUrl", "function": fn.Outputs["name"],
		"qualifier": "live", "principal": "cloudfront.amazonaws.com", "sourceArn": dist.Outputs["arn"],
		"functionUrlAuthType": "AWS_IAM"}, perm.Inputs)
	// Function URLs created since October 2025 also need InvokeFunction, from the same
	// distribution only.
	invoke := get(t, p, "aws:lambda/permission:Permission", "portal-signin-invoke")
	assert.Equal(t, map[string]any{"action": "lambda:InvokeFunction", "function": fn.Outputs["name"],
		"qualifier": "live", "principal": "cloudfront.amazonaws.com", "sourceArn": dist.Outputs["arn"]}, invoke.Inputs)

	assert.Equal(t, map[string]any{"PORTAL_DOMAIN": "developer.acme.example", "OIDC_ISSUER": "https://login.acme.example/prod",
		"OIDC_CLIENT_ID": "stratum-developer-portal", "CLOUDFRONT_KEY_PAIR_ID": env["CLOUDFRONT_KEY_PAIR_ID"],
		"SIGNING_KEY_SECRET_ARN": sec.Outputs["arn"]}, withoutKit(env))
	policy := get(t, p, "aws:iam/rolePolicy:RolePolicy", "portal-signin-policy").String("policy")
	read := statementBySid(t, policy, iam.GrantSid(secret.TypeToken, "portal-signing-key", "Read"))
	assert.Equal(t, []string{"secretsmanager:GetSecretValue"}, read.Action)
	assert.Equal(t, []string{sec.Outputs["arn"].(string)}, read.Resource)
	decrypt := statementBySid(t, policy, iam.GrantSid(secret.TypeToken, "portal-signing-key", "ReadKey"))
	assert.Equal(t, []string{"kms:Decrypt"}, decrypt.Action)
	assert.Equal(t, []string{"secretsmanager.eu-west-1.amazonaws.com"}, decrypt.Condition["StringEquals"]["kms:ViaService"])

	assert.Equal(t, "operator", sec.Inputs["tags"].(map[string]any)["rotation"])
	assert.Empty(t, p.Find("aws:secretsmanager/secretRotation:SecretRotation", "portal-signing-key-rotation"))
	assert.Empty(t, p.Find("aws:secretsmanager/secretVersion:SecretVersion", ""), "the private key never passes through the state")

	// The deploy role manages the keys (no resource-level permissions) and the URL of this
	// function only.
	deploy := roleAccess(t, p, "ci-deploy")
	for _, a := range []string{"cloudfront:CreateKeyGroup", "cloudfront:CreatePublicKey", "cloudfront:DeleteKeyGroup",
		"cloudfront:DeletePublicKey", "cloudfront:GetKeyGroup", "cloudfront:GetPublicKey", "cloudfront:UpdateKeyGroup",
		"cloudfront:UpdatePublicKey"} {
		assert.Equal(t, []string{"*"}, deploy.allow[a], a)
	}
	signIn := "arn:aws:lambda:eu-west-1:111111111111:function:acme-prod-platform-portal-signin"
	for _, a := range []string{"lambda:CreateFunctionUrlConfig", "lambda:DeleteFunctionUrlConfig", "lambda:GetFunctionUrlConfig",
		"lambda:UpdateFunctionUrlConfig"} {
		assert.Equal(t, []string{signIn, signIn + ":live"}, deploy.allow[a], a)
	}
}

// withoutKit drops the environment variables every function gets from the component.
func withoutKit(env map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range env {
		switch k {
		case "PORTAL_DOMAIN", "OIDC_ISSUER", "OIDC_CLIENT_ID", "CLOUDFRONT_KEY_PAIR_ID", "SIGNING_KEY_SECRET_ARN":
			out[k] = v
		}
	}
	return out
}

// TestPortalWithoutSignIn: dev configures no sign-in: no key, no /auth/*, no error page, no
// function URL; its distribution says it is public.
func TestPortalWithoutSignIn(t *testing.T) {
	p := plantest.ProjectPlan(t, root, "dev", platform.Program)
	for _, typ := range []string{"aws:cloudfront/publicKey:PublicKey", "aws:cloudfront/keyGroup:KeyGroup",
		"aws:lambda/functionUrl:FunctionUrl", "aws:secretsmanager/secret:Secret"} {
		assert.Zero(t, p.CountByType()[typ], typ)
	}
	assert.Empty(t, p.Find("aws:lambda/function:Function", "portal-signin"))
	dist := get(t, p, "aws:cloudfront/distribution:Distribution", "portal")
	for _, absent := range []string{"orderedCacheBehaviors", "customErrorResponses"} {
		assert.NotContains(t, dist.Inputs, absent)
	}
	assert.NotContains(t, dist.Inputs["defaultCacheBehavior"], "trustedKeyGroups")
	assert.Len(t, dist.Inputs["origins"], 1)
	assert.Equal(t, "public", dist.Inputs["tags"].(map[string]any)["access"], "stratum:portalPublic")
	deploy := roleAccess(t, p, "ci-deploy")
	assert.NotContains(t, deploy.allow, "cloudfront:CreatePublicKey")
	assert.NotContains(t, deploy.allow, "lambda:CreateFunctionUrlConfig")
}
