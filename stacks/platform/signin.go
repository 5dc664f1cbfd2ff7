package platform

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/components/secret"
	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/project"
)

// The portal's sign-in (stacks/platform/handlers/signin).
const (
	// signInFunction is the sign-in function's logical name and handler directory's.
	signInFunction = "portal-signin"
	signInHandler  = "signin"
	// signInOrigin is the distribution's origin of /auth/*, the function's URL.
	signInOrigin = "portal-signin"
	// signInPaths are the paths the function answers.
	signInPaths = "/auth/*"
	// signInPage is the page a 403 answers with, which sends the browser to /auth/login.
	signInPage = "/auth/signin.html"
	// signingKeySecret is the secret whose value is the PEM of the cookies' private key.
	signingKeySecret = "portal-signing-key"
	// signInTimeout covers three calls to the identity provider of five seconds at most.
	signInTimeout = 20 * time.Second
	// CloudFront's managed policies for the sign-in: CachingDisabled (every request reaches
	// the function) and AllViewerExceptHostHeader (its query strings, cookies and headers,
	// but the Host the function URL needs).
	cachingDisabled           = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
	allViewerExceptHostHeader = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
)

// portalSignIn is what the portal's distribution needs for sign-in: its key group, the
// origin and behavior of /auth/*, and the function a permission lets the distribution invoke.
type portalSignIn struct {
	keyGroup *cloudfront.KeyGroup
	fn       *function.Function
	url      *lambda.FunctionUrl
	oac      *cloudfront.OriginAccessControl
}

// newPortalSignIn creates the portal's sign-in when stratum:portalClientId is set (nil
// otherwise): the public key CloudFront verifies the signed cookies with and its key group;
// the secret an operator puts the private key in (Manual: its value is never in the state);
// the sign-in function, which reads that secret and nothing else, with its URL (AWS_IAM, on
// the live alias) and an origin access control of type lambda that signs CloudFront's
// requests to it.
func newPortalSignIn(ctx *pulumi.Context, cfg *config.Config, sc scope.Scope, account string) (*portalSignIn, error) {
	d := cfg.Domains
	if d.PortalClientID == "" {
		return nil, nil
	}
	s := &portalSignIn{}
	// A new key replaces the old one before it is deleted, and CloudFront's key names are
	// unique: the name is a prefix.
	key, err := cloudfront.NewPublicKey(ctx, signInFunction, &cloudfront.PublicKeyArgs{
		NamePrefix: pulumi.String(sc.Name(edgeKind(), signInFunction) + "-"),
		Comment:    pulumi.String("Verifies the developer portal's signed cookies."),
		EncodedKey: pulumi.String(d.PortalSigningPublicKey),
	})
	if err != nil {
		return nil, fmt.Errorf("portal sign-in: public key: %w", err)
	}
	if s.keyGroup, err = cloudfront.NewKeyGroup(ctx, signInFunction, &cloudfront.KeyGroupArgs{
		Name:    pulumi.String(sc.Name(edgeKind(), signInFunction)),
		Comment: pulumi.String("The keys of the developer portal's signed cookies."),
		Items:   pulumi.StringArray{key.ID()},
	}); err != nil {
		return nil, fmt.Errorf("portal sign-in: key group: %w", err)
	}
	signingKey, err := secret.New(ctx, signingKeySecret, &secret.Args{
		Scope:          sc,
		Description:    "The PEM of the RSA private key that signs the developer portal's cookies; an operator puts it.",
		Manual:         true,
		Readers:        []string{signInFunction},
		Administrators: signingKeyAdministrators(cfg, account),
	})
	if err != nil {
		return nil, fmt.Errorf("portal sign-in: %w", err)
	}
	dir, err := project.Dir(ctx)
	if err != nil {
		return nil, fmt.Errorf("portal sign-in: %w", err)
	}
	if s.fn, err = function.New(ctx, signInFunction, &function.Args{
		Scope:       sc,
		Source:      filepath.Join(dir, filepath.FromSlash(contract.PlatformHandlers), signInHandler),
		Description: "Signs readers of the developer portal in with the enterprise's identity provider.",
		Timeout:     signInTimeout,
		Environment: map[string]pulumi.StringInput{
			"PORTAL_DOMAIN": pulumi.String(d.Portal), "OIDC_ISSUER": pulumi.String(cfg.JWTIssuer),
			"OIDC_CLIENT_ID": pulumi.String(d.PortalClientID), "CLOUDFRONT_KEY_PAIR_ID": key.ID().ToStringOutput(),
			"SIGNING_KEY_SECRET_ARN": signingKey.Arn,
		},
		Grants: signingKey.AllowRead(),
		// CloudFront calls its function URL and waits for the answer.
		Synchronous: true,
	}); err != nil {
		return nil, err
	}
	if s.url, err = lambda.NewFunctionUrl(ctx, signInFunction, &lambda.FunctionUrlArgs{
		FunctionName:      s.fn.Name,
		Qualifier:         pulumi.String(function.AliasName),
		AuthorizationType: pulumi.String("AWS_IAM"),
	}, pulumi.DependsOn([]pulumi.Resource{s.fn.Alias})); err != nil {
		return nil, fmt.Errorf("portal sign-in: function URL: %w", err)
	}
	if s.oac, err = cloudfront.NewOriginAccessControl(ctx, signInFunction, &cloudfront.OriginAccessControlArgs{
		Name:                          pulumi.String(sc.Name(edgeKind(), signInFunction)),
		Description:                   pulumi.String("CloudFront signs every request for the portal's sign-in."),
		OriginAccessControlOriginType: pulumi.String("lambda"),
		SigningBehavior:               pulumi.String("always"),
		SigningProtocol:               pulumi.String("sigv4"),
	}); err != nil {
		return nil, fmt.Errorf("portal sign-in: origin access control: %w", err)
	}
	return s, nil
}

// signingKeyAdministrators are who may put the signing key and administer its secret: the
// deploy role and stratum:keyAdministrators (the operators).
func signingKeyAdministrators(cfg *config.Config, account string) []pulumi.StringInput {
	arns := []string{newCIScope(cfg, account).roleArn(roleDeploy)}
	for _, a := range cfg.KeyAdministrators {
		if !slices.Contains(arns, a) {
			arns = append(arns, a)
		}
	}
	out := make([]pulumi.StringInput, len(arns))
	for i, a := range arns {
		out[i] = pulumi.String(a)
	}
	return out
}

// origin is the distribution's origin of /auth/*: the function URL's host, over HTTPS
// only, through the origin access control.
func (s *portalSignIn) origin() *cloudfront.DistributionOriginArgs {
	host := s.url.FunctionUrl.ApplyT(func(u string) string {
		return strings.TrimSuffix(strings.TrimPrefix(u, "https://"), "/")
	}).(pulumi.StringOutput)
	return &cloudfront.DistributionOriginArgs{
		OriginId:              pulumi.String(signInOrigin),
		DomainName:            host,
		OriginAccessControlId: s.oac.ID(),
		CustomOriginConfig: &cloudfront.DistributionOriginCustomOriginConfigArgs{
			HttpPort: pulumi.Int(80), HttpsPort: pulumi.Int(443),
			OriginProtocolPolicy: pulumi.String("https-only"),
			OriginSslProtocols:   pulumi.ToStringArray([]string{"TLSv1.2"}),
		},
	}
}

// behavior is the distribution's behavior of /auth/*: every request reaches the function
// (no caching) with its query string and cookies, under the portal's security headers.
func (s *portalSignIn) behavior(headers pulumi.StringInput) *cloudfront.DistributionOrderedCacheBehaviorArgs {
	return &cloudfront.DistributionOrderedCacheBehaviorArgs{
		PathPattern:             pulumi.String(signInPaths),
		TargetOriginId:          pulumi.String(signInOrigin),
		ViewerProtocolPolicy:    pulumi.String("redirect-to-https"),
		AllowedMethods:          pulumi.ToStringArray([]string{"GET", "HEAD"}),
		CachedMethods:           pulumi.ToStringArray([]string{"GET", "HEAD"}),
		CachePolicyId:           pulumi.String(cachingDisabled),
		OriginRequestPolicyId:   pulumi.String(allViewerExceptHostHeader),
		ResponseHeadersPolicyId: headers,
		Compress:                pulumi.Bool(true),
	}
}

// errorResponses send a reader without valid signed cookies (CloudFront's 403) to the
// sign-in page, never cached.
func (s *portalSignIn) errorResponses() cloudfront.DistributionCustomErrorResponseArray {
	return cloudfront.DistributionCustomErrorResponseArray{&cloudfront.DistributionCustomErrorResponseArgs{
		ErrorCode: pulumi.Int(403), ResponseCode: pulumi.Int(403), ResponsePagePath: pulumi.String(signInPage),
		ErrorCachingMinTtl: pulumi.Int(0),
	}}
}

// allow lets the distribution, and only it, invoke the function's URL. Function URLs created
// since October 2025 need lambda:InvokeFunction beside lambda:InvokeFunctionUrl; CloudFront
// reaches a function only through its URL, so the second is no wider in practice (the
// provider cannot yet add Lambda's lambda:InvokedViaFunctionUrl condition to it).
func (s *portalSignIn) allow(ctx *pulumi.Context, dist *cloudfront.Distribution) error {
	for _, p := range []struct{ logical, action, authType string }{
		{signInFunction + "-url", "lambda:InvokeFunctionUrl", "AWS_IAM"},
		{signInFunction + "-invoke", "lambda:InvokeFunction", ""},
	} {
		args := &lambda.PermissionArgs{
			Action:    pulumi.String(p.action),
			Function:  s.fn.Name,
			Qualifier: pulumi.String(function.AliasName),
			Principal: pulumi.String(cloudFrontService),
			SourceArn: dist.Arn,
		}
		if p.authType != "" {
			args.FunctionUrlAuthType = pulumi.String(p.authType)
		}
		if _, err := lambda.NewPermission(ctx, p.logical, args, pulumi.DependsOn([]pulumi.Resource{s.fn.Alias})); err != nil {
			return fmt.Errorf("portal sign-in: permission %s: %w", p.action, err)
		}
	}
	return nil
}
