package main

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // CloudFront's signed cookies are RSA-SHA1, its only algorithm for them
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"html"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

// Session is how long a reader stays signed in: the signed cookies' policy and lifetime.
const Session = 8 * time.Hour

// Paths the handler answers, under CloudFront's /auth/* behavior.
const (
	PathLogin    = "/auth/login"
	PathCallback = "/auth/callback"
	PathLogout   = "/auth/logout"
	// PathSignIn is the page CloudFront answers a 403 with (its custom error response).
	PathSignIn = "/auth/signin.html"
)

// flowCookie holds the state, nonce and code verifier of one sign-in, for flowMaxAge.
const (
	flowCookie = "portal-signin"
	flowMaxAge = 10 * time.Minute
)

// clockSkew is how far past its exp an ID token is still accepted.
const clockSkew = time.Minute

// CloudFront's signed cookies.
const (
	cookiePolicy    = "CloudFront-Policy"
	cookieSignature = "CloudFront-Signature"
	cookieKeyPairID = "CloudFront-Key-Pair-Id"
)

// handler signs readers in; its fields are what main wires and tests fake.
type handler struct {
	domain, issuer, clientID, keyPairID string
	// signingKey returns the PEM of the RSA private key that signs the cookies.
	signingKey func(context.Context) ([]byte, error)
	http       *http.Client
	// now is the clock (time.Now when nil); random the source of state, nonce and verifier
	// (crypto/rand when nil).
	now    func() time.Time
	random io.Reader
}

// failure is an answer to a request that cannot go on: its status and what the reader is
// told. Nothing of a token or code ever goes in it.
type failure struct {
	status int
	msg    string
}

func (f *failure) Error() string { return f.msg }

func fail(status int, format string, args ...any) *failure {
	return &failure{status: status, msg: fmt.Sprintf(format, args...)}
}

// Handle answers one request of CloudFront's /auth/* behavior.
func (h *handler) Handle(ctx context.Context, req events.LambdaFunctionURLRequest) (events.LambdaFunctionURLResponse, error) {
	var resp events.LambdaFunctionURLResponse
	var err error
	switch req.RawPath {
	case PathLogin:
		resp, err = h.login(ctx)
	case PathCallback:
		resp, err = h.callback(ctx, req)
	case PathLogout:
		resp = page(http.StatusOK, "Signed out", "You are signed out of the developer portal.", "")
		resp.Cookies = []string{clear(cookiePolicy, "/"), clear(cookieSignature, "/"), clear(cookieKeyPairID, "/")}
	case PathSignIn:
		resp = page(http.StatusOK, "Sign-in required", "Signing you in to the developer portal.", PathLogin)
	default:
		resp = page(http.StatusNotFound, "Not found", "There is no such sign-in page.", "")
	}
	if f, ok := errors.AsType[*failure](err); ok {
		lambdakit.Logger(ctx).Warn("sign-in refused", "status", f.status, "reason", f.msg)
		return page(f.status, "Sign-in failed", f.msg, ""), nil
	}
	return resp, err
}

// login redirects to the provider's authorization endpoint with a new state, nonce and PKCE
// challenge, which a cookie keeps until the callback.
func (h *handler) login(ctx context.Context) (events.LambdaFunctionURLResponse, error) {
	disc, err := h.discover(ctx)
	if err != nil {
		return events.LambdaFunctionURLResponse{}, err
	}
	var vals [3]string
	for i := range vals {
		if vals[i], err = h.token(); err != nil {
			return events.LambdaFunctionURLResponse{}, err
		}
	}
	state, nonce, verifier := vals[0], vals[1], vals[2]
	q := url.Values{
		"response_type": {"code"}, "client_id": {h.clientID}, "redirect_uri": {h.redirectURI()},
		"scope": {"openid"}, "state": {state}, "nonce": {nonce},
		"code_challenge": {challenge(verifier)}, "code_challenge_method": {"S256"},
	}
	sep := "?"
	if strings.Contains(disc.AuthorizationEndpoint, "?") {
		sep = "&"
	}
	return events.LambdaFunctionURLResponse{
		StatusCode: http.StatusFound,
		Headers:    map[string]string{"Location": disc.AuthorizationEndpoint + sep + q.Encode(), "Cache-Control": "no-store"},
		Cookies:    []string{cookie(flowCookie, state+"."+nonce+"."+verifier, "/auth/", flowMaxAge)},
	}, nil
}

// callback finishes the flow: it checks the state, exchanges the code, verifies the ID token
// and sets the signed cookies.
func (h *handler) callback(ctx context.Context, req events.LambdaFunctionURLRequest) (events.LambdaFunctionURLResponse, error) {
	q := req.QueryStringParameters
	if e := q["error"]; e != "" {
		return events.LambdaFunctionURLResponse{}, fail(http.StatusUnauthorized, "the identity provider refused the sign-in (%s)", e)
	}
	flow := strings.Split(requestCookie(req, flowCookie), ".")
	if len(flow) != 3 || slices.Contains(flow, "") {
		return events.LambdaFunctionURLResponse{}, fail(http.StatusBadRequest,
			"the sign-in was not started here or took longer than %s; start again", flowMaxAge)
	}
	state, nonce, verifier := flow[0], flow[1], flow[2]
	if subtle.ConstantTimeCompare([]byte(q["state"]), []byte(state)) != 1 {
		return events.LambdaFunctionURLResponse{}, fail(http.StatusBadRequest, "the sign-in's state does not match; start again")
	}
	if q["code"] == "" {
		return events.LambdaFunctionURLResponse{}, fail(http.StatusBadRequest, "the identity provider sent no code")
	}
	disc, err := h.discover(ctx)
	if err != nil {
		return events.LambdaFunctionURLResponse{}, err
	}
	idToken, err := h.exchange(ctx, disc.TokenEndpoint, q["code"], verifier)
	if err != nil {
		return events.LambdaFunctionURLResponse{}, err
	}
	if err := h.verify(ctx, disc.JWKSURI, idToken, nonce); err != nil {
		return events.LambdaFunctionURLResponse{}, err
	}
	cookies, err := h.signedCookies(ctx)
	if err != nil {
		return events.LambdaFunctionURLResponse{}, err
	}
	return events.LambdaFunctionURLResponse{
		StatusCode: http.StatusFound,
		Headers:    map[string]string{"Location": "/", "Cache-Control": "no-store"},
		Cookies:    append(cookies, clear(flowCookie, "/auth/")),
	}, nil
}

// discovery is what the handler reads of the provider's configuration.
type discovery struct {
	Issuer                string `json:"issuer"`
	AuthorizationEndpoint string `json:"authorization_endpoint"`
	TokenEndpoint         string `json:"token_endpoint"`
	JWKSURI               string `json:"jwks_uri"`
}

func (h *handler) discover(ctx context.Context) (discovery, error) {
	var d discovery
	if err := h.getJSON(ctx, strings.TrimSuffix(h.issuer, "/")+"/.well-known/openid-configuration", &d); err != nil {
		return d, err
	}
	if d.Issuer != h.issuer || d.AuthorizationEndpoint == "" || d.TokenEndpoint == "" || d.JWKSURI == "" {
		return d, fail(http.StatusBadGateway, "the identity provider's configuration is not for issuer %s "+
			"or lacks an endpoint", h.issuer)
	}
	return d, nil
}

// getJSON reads a JSON document of the provider; any failure is a 502.
func (h *handler) getJSON(ctx context.Context, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fail(http.StatusBadGateway, "the identity provider's address %q is not valid", u)
	}
	resp, err := h.http.Do(req)
	if err != nil {
		lambdakit.Logger(ctx).Error("identity provider unreachable", lambdakit.LogKeyError, err)
		return fail(http.StatusBadGateway, "the identity provider is unreachable; try again later")
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fail(http.StatusBadGateway, "the identity provider answered %s with %d; try again later", u, resp.StatusCode)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v); err != nil {
		return fail(http.StatusBadGateway, "the identity provider's answer of %s is not JSON", u)
	}
	return nil
}

// exchange trades the code for the ID token at the token endpoint (a public client: the
// code verifier instead of a secret).
func (h *handler) exchange(ctx context.Context, endpoint, code, verifier string) (string, error) {
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {h.redirectURI()},
		"client_id": {h.clientID}, "code_verifier": {verifier}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return "", fail(http.StatusBadGateway, "the identity provider's token endpoint %q is not valid", endpoint)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := h.http.Do(req)
	if err != nil {
		lambdakit.Logger(ctx).Error("identity provider unreachable", lambdakit.LogKeyError, err)
		return "", fail(http.StatusBadGateway, "the identity provider is unreachable; try again later")
	}
	defer resp.Body.Close()
	var body struct {
		IDToken string `json:"id_token"`
		Error   string `json:"error"`
	}
	decodeErr := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body)
	switch {
	case resp.StatusCode >= 400 && resp.StatusCode < 500:
		return "", fail(http.StatusUnauthorized, "the identity provider refused the code (%d %s); start again",
			resp.StatusCode, body.Error)
	case resp.StatusCode != http.StatusOK:
		return "", fail(http.StatusBadGateway, "the identity provider's token endpoint answered %d; try again later", resp.StatusCode)
	case decodeErr != nil || body.IDToken == "":
		return "", fail(http.StatusBadGateway, "the identity provider's token answer has no ID token")
	}
	return body.IDToken, nil
}

// verify checks the ID token: RS256 signed by a key of the provider's JWKS, from the
// issuer, for this client, not expired, with the sign-in's nonce.
func (h *handler) verify(ctx context.Context, jwksURI, token, nonce string) error {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return fail(http.StatusUnauthorized, "the ID token is not a JWT")
	}
	var header struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
	}
	if err := decodeSegment(parts[0], &header); err != nil || header.Alg != "RS256" {
		return fail(http.StatusUnauthorized, "the ID token is not signed with RS256")
	}
	var set struct {
		Keys []jwk `json:"keys"`
	}
	if err := h.getJSON(ctx, jwksURI, &set); err != nil {
		return err
	}
	i := slices.IndexFunc(set.Keys, func(k jwk) bool { return k.Kty == "RSA" && k.Kid == header.Kid })
	if i < 0 {
		return fail(http.StatusUnauthorized, "the ID token's key %q is not one of the identity provider's", header.Kid)
	}
	n, errN := base64.RawURLEncoding.DecodeString(set.Keys[i].N)
	e, errE := base64.RawURLEncoding.DecodeString(set.Keys[i].E)
	if errN != nil || errE != nil || len(e) == 0 || len(e) > 4 {
		return fail(http.StatusBadGateway, "the identity provider's key %q is not a valid RSA key", header.Kid)
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err != nil || rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig) != nil {
		return fail(http.StatusUnauthorized, "the ID token's signature is not valid")
	}
	var claims struct {
		Iss   string          `json:"iss"`
		Aud   json.RawMessage `json:"aud"`
		Exp   float64         `json:"exp"`
		Nonce string          `json:"nonce"`
	}
	if err := decodeSegment(parts[1], &claims); err != nil {
		return fail(http.StatusUnauthorized, "the ID token's claims are not JSON")
	}
	var audiences []string
	if json.Unmarshal(claims.Aud, &audiences) != nil {
		var one string
		_ = json.Unmarshal(claims.Aud, &one)
		audiences = []string{one}
	}
	switch {
	case claims.Iss != h.issuer:
		return fail(http.StatusUnauthorized, "the ID token is from issuer %q, not %s", claims.Iss, h.issuer)
	case !slices.Contains(audiences, h.clientID):
		return fail(http.StatusUnauthorized, "the ID token is not for the portal's client %s", h.clientID)
	case h.clock().After(time.Unix(int64(claims.Exp), 0).Add(clockSkew)):
		return fail(http.StatusUnauthorized, "the ID token has expired; start again")
	case subtle.ConstantTimeCompare([]byte(claims.Nonce), []byte(nonce)) != 1:
		return fail(http.StatusUnauthorized, "the ID token's nonce is not this sign-in's; start again")
	}
	return nil
}

// jwk is what the handler reads of a key of the provider's JWKS.
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	N   string `json:"n"`
	E   string `json:"e"`
}

// cloudFrontPolicy is CloudFront's custom policy: the portal's pages until expiry.
type cloudFrontPolicy struct {
	Statement []policyStatement `json:"Statement"`
}

type policyStatement struct {
	Resource  string `json:"Resource"`
	Condition struct {
		DateLessThan struct {
			EpochTime int64 `json:"AWS:EpochTime"`
		} `json:"DateLessThan"`
	} `json:"Condition"`
}

// signedCookies are CloudFront's three cookies for every page of the portal, for Session.
func (h *handler) signedCookies(ctx context.Context) ([]string, error) {
	pemBytes, err := h.signingKey(ctx)
	if err != nil {
		lambdakit.Logger(ctx).Error("signing key unreadable", lambdakit.LogKeyError, err)
		return nil, fail(http.StatusInternalServerError, "the portal's signing key cannot be read")
	}
	key, err := parseKey(pemBytes)
	if err != nil {
		lambdakit.Logger(ctx).Error("signing key not valid", lambdakit.LogKeyError, err)
		return nil, fail(http.StatusInternalServerError, "the portal's signing key is not an RSA private key")
	}
	var st policyStatement
	st.Resource = "https://" + h.domain + "/*"
	st.Condition.DateLessThan.EpochTime = h.clock().Add(Session).Unix()
	policy, err := json.Marshal(cloudFrontPolicy{Statement: []policyStatement{st}})
	if err != nil {
		return nil, err
	}
	digest := sha1.Sum(policy) //nolint:gosec // CloudFront's algorithm
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA1, digest[:])
	if err != nil {
		return nil, fmt.Errorf("signing the policy: %w", err)
	}
	return []string{
		cookie(cookiePolicy, cloudFrontBase64(policy), "/", Session),
		cookie(cookieSignature, cloudFrontBase64(sig), "/", Session),
		cookie(cookieKeyPairID, h.keyPairID, "/", Session),
	}, nil
}

// parseKey reads an RSA private key in PEM, PKCS #1 or PKCS #8 (openssl genrsa writes the
// latter).
func parseKey(data []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("a %T, not an RSA key", k)
	}
	return rk, nil
}

// cloudFrontBase64 is base64 with the three characters cookies and URLs cannot carry
// replaced as CloudFront expects: + by -, = by _, / by ~.
func cloudFrontBase64(b []byte) string {
	return strings.NewReplacer("+", "-", "=", "_", "/", "~").Replace(base64.StdEncoding.EncodeToString(b))
}

func (h *handler) redirectURI() string { return "https://" + h.domain + PathCallback }

func (h *handler) clock() time.Time {
	if h.now == nil {
		return time.Now()
	}
	return h.now()
}

// token returns 32 random bytes, base64url-encoded: a state, a nonce or a code verifier
// (43 characters, what RFC 7636 asks for).
func (h *handler) token() (string, error) {
	r := h.random
	if r == nil {
		r = rand.Reader
	}
	b := make([]byte, 32)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// challenge is the S256 code challenge of verifier.
func challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func decodeSegment(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// cookie is a Set-Cookie value only this site's HTTPS requests send back, with top-level
// navigations from the provider (SameSite=Lax).
func cookie(name, value, path string, maxAge time.Duration) string {
	return fmt.Sprintf("%s=%s; Path=%s; Max-Age=%d; Secure; HttpOnly; SameSite=Lax", name, value, path, int(maxAge.Seconds()))
}

// clear is a Set-Cookie value that removes cookie name.
func clear(name, path string) string {
	return name + "=; Path=" + path + "; Max-Age=0; Secure; HttpOnly; SameSite=Lax"
}

// requestCookie returns the value of cookie name of the request ("" without it).
func requestCookie(req events.LambdaFunctionURLRequest, name string) string {
	all := slices.Clone(req.Cookies)
	if h := req.Headers["cookie"]; h != "" {
		all = append(all, strings.Split(h, ";")...)
	}
	for _, c := range all {
		if k, v, ok := strings.Cut(strings.TrimSpace(c), "="); ok && k == name {
			return v
		}
	}
	return ""
}

// page is a short HTML answer that fits the portal's CSP (no script, no style); with
// refresh, the browser goes there at once (a meta refresh, which CSP does not govern).
func page(status int, title, msg, refresh string) events.LambdaFunctionURLResponse {
	meta := ""
	if refresh != "" {
		meta = `<meta http-equiv="refresh" content="0; url=` + html.EscapeString(refresh) + `">`
	}
	body := `<!doctype html><html lang="en"><head><meta charset="utf-8">` + meta +
		`<title>` + html.EscapeString(title) + `</title></head><body><h1>` + html.EscapeString(title) +
		`</h1><p>` + html.EscapeString(msg) + `</p></body></html>`
	return events.LambdaFunctionURLResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"},
		Body:       body,
	}
}
