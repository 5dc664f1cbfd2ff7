package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

// ErrNoClaims is returned by ClaimsFrom for a request that no JWT authorizer checked. API
// Gateway refuses unauthenticated requests before they reach a handler, so it means the
// route was deployed without an authorizer: ErrorResponse answers it with 500, not 401,
// and logs it for the platform team.
var ErrNoClaims = errors.New("request has no jwt authorizer claims")

// Claims is what the JWT authorizer of an HTTP API verified about the caller.
type Claims struct {
	// Subject is the "sub" claim: the user, or the client of a machine-to-machine token.
	Subject string
	// Scopes are the OAuth scopes the token grants, from the "scope" and "scp" claims.
	Scopes []string
	// Claims are all the claims as API Gateway passes them: strings, with arrays written
	// as "[a b]".
	Claims map[string]string
}

// ClaimsFrom returns the claims of req. It fails with ErrNoClaims when req has no JWT
// authorizer context, and when the token has no subject, because handlers key data by
// subject and an empty one would be shared by every such caller.
func ClaimsFrom(req events.APIGatewayV2HTTPRequest) (Claims, error) {
	auth := req.RequestContext.Authorizer
	if auth == nil || auth.JWT == nil {
		return Claims{}, ErrNoClaims
	}
	jwt := auth.JWT
	subject := jwt.Claims["sub"]
	if subject == "" {
		return Claims{}, errors.New("jwt claims: no subject")
	}
	scopes := slices.Clone(jwt.Scopes)
	// Identity providers disagree: OAuth's "scope" is space-separated, while Okta and
	// Microsoft Entra use "scp", as an array or a space-separated string.
	scopes = append(scopes, splitScopes(jwt.Claims["scope"])...)
	scopes = append(scopes, splitScopes(jwt.Claims["scp"])...)
	return Claims{
		Subject: subject,
		Scopes:  dedupe(scopes),
		// A copy, so that a handler that edits its claims cannot change the request.
		Claims: maps.Clone(jwt.Claims),
	}, nil
}

// splitScopes reads a scope claim as API Gateway passes it: a space-separated string, an
// array flattened to "[a b]", or an array kept as JSON.
func splitScopes(claim string) []string {
	claim = strings.TrimSpace(claim)
	if !strings.HasPrefix(claim, "[") || !strings.HasSuffix(claim, "]") {
		return strings.Fields(claim)
	}
	var scopes []string
	if json.Unmarshal([]byte(claim), &scopes) == nil {
		return scopes
	}
	return strings.Fields(claim[1 : len(claim)-1])
}

// dedupe drops empty and repeated scopes, keeping the first of each in order.
func dedupe(scopes []string) []string {
	out := make([]string, 0, len(scopes))
	for _, s := range scopes {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// HasScope reports whether the token grants scope. Scopes are compared exactly, because
// OAuth defines them as case-sensitive.
func (c Claims) HasScope(scope string) bool {
	return slices.Contains(c.Scopes, scope)
}

// RequireScope returns the claims of req when its token grants scope, and an error
// wrapping lambdakit.ErrForbidden when it does not, which ErrorResponse answers with 403.
func RequireScope(req events.APIGatewayV2HTTPRequest, scope string) (Claims, error) {
	c, err := ClaimsFrom(req)
	if err != nil {
		return Claims{}, err
	}
	if !c.HasScope(scope) {
		return Claims{}, fmt.Errorf("missing scope %q: %w", scope, lambdakit.ErrForbidden)
	}
	return c, nil
}
