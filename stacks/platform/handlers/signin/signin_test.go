package main

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // CloudFront's algorithm
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	domain   = "developer.acme.example"
	clientID = "portal-client"
	kid      = "idp-key-1"
)

var now = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

// idp is an OpenID Connect provider: discovery, JWKS and a token endpoint that checks the
// PKCE verifier against the challenge of the authorization request and answers with an ID
// token that claims holds (what a test changes to break it), signed with signer.
type idp struct {
	t      *testing.T
	srv    *httptest.Server
	key    *rsa.PrivateKey
	signer *rsa.PrivateKey
	// challenge and nonce are those of the last authorization request (login's redirect).
	challenge, nonce string
	claims           map[string]any
	tokenStatus      int
}

func newIDP(t *testing.T) *idp {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	p := &idp{t: t, key: key, signer: key, tokenStatus: http.StatusOK}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": p.srv.URL, "authorization_endpoint": p.srv.URL + "/authorize",
			"token_endpoint": p.srv.URL + "/token", "jwks_uri": p.srv.URL + "/jwks"})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{"kty": "RSA", "kid": kid, "use": "sig",
			"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()),
			"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes())}}})
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		assert.Equal(t, "authorization_code", r.PostForm.Get("grant_type"))
		assert.Equal(t, clientID, r.PostForm.Get("client_id"))
		assert.Equal(t, "https://"+domain+"/auth/callback", r.PostForm.Get("redirect_uri"))
		assert.Equal(t, p.challenge, challenge(r.PostForm.Get("code_verifier")), "PKCE: the verifier of the challenge")
		if r.PostForm.Get("code") != "the-code" || p.tokenStatus != http.StatusOK {
			w.WriteHeader(max(p.tokenStatus, http.StatusBadRequest))
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant"})
			return
		}
		claims := map[string]any{"iss": p.srv.URL, "sub": "alice", "aud": clientID, "exp": now.Add(time.Hour).Unix(),
			"iat": now.Unix(), "nonce": p.nonce}
		for k, v := range p.claims {
			claims[k] = v
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"id_token": p.sign(claims), "token_type": "Bearer"})
	})
	p.srv = httptest.NewTLSServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

// sign returns an RS256 JWT of claims signed with p.signer.
func (p *idp) sign(claims map[string]any) string {
	h, err := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": kid})
	require.NoError(p.t, err)
	c, err := json.Marshal(claims)
	require.NoError(p.t, err)
	input := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c)
	digest := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(nil, p.signer, crypto.SHA256, digest[:])
	require.NoError(p.t, err)
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// portal is the handler as deployed, against provider p, with its signing key's public half.
func portal(t *testing.T, p *idp) (*handler, *rsa.PublicKey) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	return &handler{domain: domain, issuer: p.srv.URL, clientID: clientID, keyPairID: "K2JCJMDEHXQW5F",
		signingKey: func(context.Context) ([]byte, error) { return pemBytes, nil },
		http:       p.srv.Client(), now: func() time.Time { return now }}, &key.PublicKey
}

func get(t *testing.T, h *handler, path string, query url.Values, cookies ...string) events.LambdaFunctionURLResponse {
	t.Helper()
	params := map[string]string{}
	for k := range query {
		params[k] = query.Get(k)
	}
	resp, err := h.Handle(t.Context(), events.LambdaFunctionURLRequest{RawPath: path, RawQueryString: query.Encode(),
		QueryStringParameters: params, Cookies: cookies})
	require.NoError(t, err)
	return resp
}

// login starts a sign-in and returns the flow cookie (name=value) and the authorization
// request's query; the provider remembers its challenge and nonce.
func login(t *testing.T, h *handler, p *idp) (string, url.Values) {
	t.Helper()
	resp := get(t, h, "/auth/login", nil)
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc, err := url.Parse(resp.Headers["Location"])
	require.NoError(t, err)
	require.Len(t, resp.Cookies, 1)
	p.challenge, p.nonce = loc.Query().Get("code_challenge"), loc.Query().Get("nonce")
	return strings.SplitN(resp.Cookies[0], ";", 2)[0], loc.Query()
}

func TestLoginStartsPKCE(t *testing.T) {
	p := newIDP(t)
	h, _ := portal(t, p)
	resp := get(t, h, "/auth/login", nil)
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc, err := url.Parse(resp.Headers["Location"])
	require.NoError(t, err)
	assert.Equal(t, p.srv.URL+"/authorize", loc.Scheme+"://"+loc.Host+loc.Path)
	q := loc.Query()
	assert.Equal(t, "code", q.Get("response_type"))
	assert.Equal(t, clientID, q.Get("client_id"))
	assert.Equal(t, "https://"+domain+"/auth/callback", q.Get("redirect_uri"))
	assert.Equal(t, "openid", q.Get("scope"))
	assert.Equal(t, "S256", q.Get("code_challenge_method"))

	require.Len(t, resp.Cookies, 1)
	c := resp.Cookies[0]
	assert.Contains(t, c, "; Path=/auth/; Max-Age=600; Secure; HttpOnly; SameSite=Lax")
	flow := strings.Split(strings.TrimPrefix(strings.SplitN(c, ";", 2)[0], "portal-signin="), ".")
	require.Len(t, flow, 3)
	assert.Equal(t, q.Get("state"), flow[0])
	assert.Equal(t, q.Get("nonce"), flow[1])
	assert.Len(t, flow[2], 43, "a verifier of 32 random bytes")
	assert.Equal(t, q.Get("code_challenge"), challenge(flow[2]))
	assert.NotEqual(t, flow[0], flow[1])
}

// TestCallbackSetsSignedCookies: a sign-in ends with CloudFront's three cookies, whose
// signature verifies with the public key the way CloudFront verifies it (RSA-SHA1 over the
// policy), for every page of the portal until the session ends.
func TestCallbackSetsSignedCookies(t *testing.T) {
	p := newIDP(t)
	h, pub := portal(t, p)
	flow, q := login(t, h, p)
	resp := get(t, h, "/auth/callback", url.Values{"code": {"the-code"}, "state": {q.Get("state")}}, flow)
	require.Equal(t, http.StatusFound, resp.StatusCode, resp.Body)
	assert.Equal(t, "/", resp.Headers["Location"])

	values := map[string]string{}
	for _, c := range resp.Cookies {
		name, rest, _ := strings.Cut(c, "=")
		value, attrs, _ := strings.Cut(rest, ";")
		values[name] = value
		if name == "portal-signin" {
			assert.Contains(t, attrs, "Max-Age=0", "the flow's cookie is cleared")
			continue
		}
		assert.Equal(t, " Path=/; Max-Age=28800; Secure; HttpOnly; SameSite=Lax", attrs, name)
	}
	assert.Equal(t, "K2JCJMDEHXQW5F", values["CloudFront-Key-Pair-Id"])
	unsafe := strings.NewReplacer("-", "+", "_", "=", "~", "/")
	policy, err := base64.StdEncoding.DecodeString(unsafe.Replace(values["CloudFront-Policy"]))
	require.NoError(t, err)
	sig, err := base64.StdEncoding.DecodeString(unsafe.Replace(values["CloudFront-Signature"]))
	require.NoError(t, err)
	digest := sha1.Sum(policy) //nolint:gosec // CloudFront's algorithm
	require.NoError(t, rsa.VerifyPKCS1v15(pub, crypto.SHA1, digest[:], sig))
	assert.JSONEq(t, `{"Statement":[{"Resource":"https://developer.acme.example/*",`+
		`"Condition":{"DateLessThan":{"AWS:EpochTime":`+big.NewInt(now.Add(8*time.Hour).Unix()).String()+`}}}]}`, string(policy))
	assert.NotContains(t, string(policy), " ", "CloudFront takes the policy without white space")
}

// TestCallbackFailures: each failure answers a page with its status and reason, sets no
// signed cookie and shows no token.
func TestCallbackFailures(t *testing.T) {
	for name, tc := range map[string]struct {
		claims map[string]any
		spoil  func(p *idp, h *handler)
		query  func(state string) url.Values
		noFlow bool
		// forged replaces the flow cookie's value, and the query's state with an empty one.
		forged  string
		status  int
		message string
	}{
		"bad state": {query: func(string) url.Values { return url.Values{"code": {"the-code"}, "state": {"forged"}} },
			status: 400, message: "the sign-in&#39;s state does not match; start again"},
		"empty flow cookie": {forged: "..", query: func(string) url.Values { return url.Values{"code": {"the-code"}, "state": {""}} },
			status: 400, message: "the sign-in was not started here"},
		"no flow cookie": {noFlow: true, status: 400, message: "the sign-in was not started here or took longer than 10m0s"},
		"provider refused": {query: func(s string) url.Values { return url.Values{"error": {"access_denied"}, "state": {s}} },
			status: 401, message: "the identity provider refused the sign-in (access_denied)"},
		"code refused": {query: func(s string) url.Values { return url.Values{"code": {"replayed"}, "state": {s}} },
			status: 401, message: "the identity provider refused the code (400 invalid_grant); start again"},
		"token endpoint down": {spoil: func(p *idp, _ *handler) { p.tokenStatus = http.StatusServiceUnavailable },
			status: 502, message: "the identity provider&#39;s token endpoint answered 503"},
		"bad signature": {spoil: func(p *idp, _ *handler) {
			other, err := rsa.GenerateKey(rand.Reader, 2048)
			require.NoError(p.t, err)
			p.signer = other
		}, status: 401, message: "the ID token&#39;s signature is not valid"},
		"expired":        {claims: map[string]any{"exp": now.Add(-2 * time.Minute).Unix()}, status: 401, message: "the ID token has expired"},
		"wrong audience": {claims: map[string]any{"aud": []string{"another-client"}}, status: 401, message: "the ID token is not for the portal&#39;s client portal-client"},
		"wrong issuer":   {claims: map[string]any{"iss": "https://evil.example"}, status: 401, message: "the ID token is from issuer &#34;https://evil.example&#34;"},
		"replayed nonce": {claims: map[string]any{"nonce": "another"}, status: 401, message: "the ID token&#39;s nonce is not this sign-in&#39;s"},
	} {
		t.Run(name, func(t *testing.T) {
			p := newIDP(t)
			h, _ := portal(t, p)
			p.claims = tc.claims
			if tc.spoil != nil {
				tc.spoil(p, h)
			}
			flow, q := login(t, h, p)
			query := url.Values{"code": {"the-code"}, "state": {q.Get("state")}}
			if tc.query != nil {
				query = tc.query(q.Get("state"))
			}
			var cookies []string
			switch {
			case tc.forged != "":
				cookies = []string{flowCookie + "=" + tc.forged}
			case !tc.noFlow:
				cookies = []string{flow}
			}
			resp := get(t, h, "/auth/callback", query, cookies...)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Contains(t, resp.Body, tc.message)
			assert.Equal(t, "text/html; charset=utf-8", resp.Headers["Content-Type"])
			assert.Empty(t, resp.Cookies, "no signed cookie")
			assert.NotContains(t, resp.Body, "eyJ", "no token in the page")
			assert.NotContains(t, resp.Body, "the-code")
		})
	}
}

// TestProviderUnreachable: with the provider down, sign-in answers 502 and says so.
func TestProviderUnreachable(t *testing.T) {
	p := newIDP(t)
	h, _ := portal(t, p)
	flow, q := login(t, h, p)
	p.srv.Close()
	for _, resp := range []events.LambdaFunctionURLResponse{
		get(t, h, "/auth/login", nil),
		get(t, h, "/auth/callback", url.Values{"code": {"the-code"}, "state": {q.Get("state")}}, flow),
	} {
		assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
		assert.Contains(t, resp.Body, "the identity provider is unreachable; try again later")
		assert.Empty(t, resp.Cookies)
	}
}

// TestUnreadableSigningKey: without the key (the operator has not put it yet) a sign-in
// answers 500 and sets nothing.
func TestUnreadableSigningKey(t *testing.T) {
	p := newIDP(t)
	h, _ := portal(t, p)
	h.signingKey = func(context.Context) ([]byte, error) { return nil, errors.New("ResourceNotFoundException") }
	flow, q := login(t, h, p)
	resp := get(t, h, "/auth/callback", url.Values{"code": {"the-code"}, "state": {q.Get("state")}}, flow)
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	assert.Contains(t, resp.Body, "the portal&#39;s signing key cannot be read")
	assert.Empty(t, resp.Cookies)
}

func TestSignInPageAndLogout(t *testing.T) {
	p := newIDP(t)
	h, _ := portal(t, p)
	resp := get(t, h, "/auth/signin.html", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, resp.Body, `<meta http-equiv="refresh" content="0; url=/auth/login">`)
	assert.NotContains(t, resp.Body, "<script")
	assert.NotContains(t, resp.Body, "style")

	resp = get(t, h, "/auth/logout", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, []string{
		"CloudFront-Policy=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax",
		"CloudFront-Signature=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax",
		"CloudFront-Key-Pair-Id=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax",
	}, resp.Cookies)

	assert.Equal(t, http.StatusNotFound, get(t, h, "/auth/other", nil).StatusCode)
}
