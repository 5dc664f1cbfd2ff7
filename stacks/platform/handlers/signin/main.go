// Command signin signs readers of the developer portal in with the enterprise's OpenID
// Connect provider (the issuer of the platform's JWT authorizer) and gives them CloudFront's
// signed cookies, without which the portal's distribution serves no page. CloudFront routes
// /auth/* to it through its function URL (AWS_IAM, an origin access control).
//
//   - /auth/login starts the authorization-code flow with PKCE (S256): state, nonce and the
//     code verifier go in a short-lived HttpOnly, Secure, SameSite=Lax cookie on /auth/.
//   - /auth/callback checks the state, exchanges the code at the token endpoint (from the
//     issuer's /.well-known/openid-configuration), verifies the ID token (RS256 against the
//     issuer's JWKS; iss, aud = the client id, exp, nonce) and sets CloudFront's three signed
//     cookies: a custom policy for https://<portal domain>/* that expires after Session,
//     signed with RSA-SHA1 by the key whose public half is the distribution's key group.
//   - /auth/logout clears them; /auth/signin.html is the page CloudFront answers a 403 with,
//     which sends the browser to /auth/login.
//
// Every failure (the provider unreachable, a bad state, a bad, expired or foreign token)
// answers a short page with a 4xx or 5xx status that names the problem and never a token.
//
// IAM: secretsmanager:GetSecretValue on the signing key's secret and kms:Decrypt through
// Secrets Manager for that secret (components/secret's AllowRead).
//
// Environment: PORTAL_DOMAIN, OIDC_ISSUER, OIDC_CLIENT_ID, CLOUDFRONT_KEY_PAIR_ID (the
// distribution's public key id) and SIGNING_KEY_SECRET_ARN (the secret whose value is the
// PEM of the RSA private key), all required.
package main

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/secret"
)

// Environment variables the platform stack sets.
const (
	EnvDomain    = "PORTAL_DOMAIN"
	EnvIssuer    = "OIDC_ISSUER"
	EnvClientID  = "OIDC_CLIENT_ID"
	EnvKeyPairID = "CLOUDFRONT_KEY_PAIR_ID"
	EnvKeySecret = "SIGNING_KEY_SECRET_ARN"
)

// idpTimeout bounds each call to the identity provider.
const idpTimeout = 5 * time.Second

func main() {
	lambdakit.Main([]string{EnvDomain, EnvIssuer, EnvClientID, EnvKeyPairID, EnvKeySecret}, func(s lambdakit.Setup) (any, error) {
		keys := secret.New(secretsmanager.NewFromConfig(s.AWS), s.Env[EnvKeySecret], secret.Options{})
		h := &handler{
			domain: s.Env[EnvDomain], issuer: s.Env[EnvIssuer], clientID: s.Env[EnvClientID],
			keyPairID: s.Env[EnvKeyPairID],
			signingKey: func(ctx context.Context) ([]byte, error) {
				v, err := keys.Current(ctx)
				return v.Value, err
			},
			http: &http.Client{Timeout: idpTimeout},
		}
		return h.Handle, nil
	})
}
