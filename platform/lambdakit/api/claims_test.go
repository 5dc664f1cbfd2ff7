package api

import (
	"errors"
	"reflect"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

// jwtRequest returns a request that a JWT authorizer passed with claims and scopes.
func jwtRequest(claims map[string]string, scopes []string) events.APIGatewayV2HTTPRequest {
	var req events.APIGatewayV2HTTPRequest
	req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims, Scopes: scopes},
	}
	return req
}

func TestClaimsFrom(t *testing.T) {
	iamOnly := events.APIGatewayV2HTTPRequest{}
	iamOnly.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		IAM: &events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription{UserARN: "arn:aws:iam::123456789012:user/ann"},
	}
	tests := []struct {
		name    string
		req     events.APIGatewayV2HTTPRequest
		want    Claims
		wantErr string
		wantIs  error
	}{
		{
			name: "scope claim",
			req:  jwtRequest(map[string]string{"sub": "u-1", "scope": "accounts:read  accounts:write", "iss": "https://id.example"}, nil),
			want: Claims{
				Subject: "u-1",
				Scopes:  []string{"accounts:read", "accounts:write"},
				Claims:  map[string]string{"sub": "u-1", "scope": "accounts:read  accounts:write", "iss": "https://id.example"},
			},
		},
		{
			name: "scp as a string",
			req:  jwtRequest(map[string]string{"sub": "u-1", "scp": "accounts:read"}, nil),
			want: Claims{Subject: "u-1", Scopes: []string{"accounts:read"}, Claims: map[string]string{"sub": "u-1", "scp": "accounts:read"}},
		},
		{
			name: "scp as an array flattened by API Gateway",
			req:  jwtRequest(map[string]string{"sub": "u-1", "scp": "[accounts:read accounts:write]"}, nil),
			want: Claims{Subject: "u-1", Scopes: []string{"accounts:read", "accounts:write"}, Claims: map[string]string{"sub": "u-1", "scp": "[accounts:read accounts:write]"}},
		},
		{
			name: "scp as a JSON array",
			req:  jwtRequest(map[string]string{"sub": "u-1", "scp": `["accounts:read","accounts:write"]`}, nil),
			want: Claims{Subject: "u-1", Scopes: []string{"accounts:read", "accounts:write"}, Claims: map[string]string{"sub": "u-1", "scp": `["accounts:read","accounts:write"]`}},
		},
		{
			name: "scopes from every source, once each",
			req:  jwtRequest(map[string]string{"sub": "u-1", "scope": "b a", "scp": "[a c]"}, []string{"a", ""}),
			want: Claims{Subject: "u-1", Scopes: []string{"a", "b", "c"}, Claims: map[string]string{"sub": "u-1", "scope": "b a", "scp": "[a c]"}},
		},
		{
			name: "no scopes",
			req:  jwtRequest(map[string]string{"sub": "u-1"}, nil),
			want: Claims{Subject: "u-1", Scopes: []string{}, Claims: map[string]string{"sub": "u-1"}},
		},
		{name: "no authorizer", req: events.APIGatewayV2HTTPRequest{}, wantErr: "request has no jwt authorizer claims", wantIs: ErrNoClaims},
		{name: "an IAM authorizer", req: iamOnly, wantErr: "request has no jwt authorizer claims", wantIs: ErrNoClaims},
		{name: "no subject", req: jwtRequest(map[string]string{"scope": "a"}, nil), wantErr: "jwt claims: no subject"},
		{name: "no claims at all", req: jwtRequest(nil, nil), wantErr: "jwt claims: no subject"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ClaimsFrom(tt.req)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
					t.Errorf("errors.Is(%v, %v) = false", err, tt.wantIs)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("claims:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestClaimsAreACopy(t *testing.T) {
	req := jwtRequest(map[string]string{"sub": "u-1"}, []string{"a"})
	c, err := ClaimsFrom(req)
	if err != nil {
		t.Fatal(err)
	}
	c.Claims["sub"] = "u-2"
	c.Scopes[0] = "b"
	jwt := req.RequestContext.Authorizer.JWT
	if jwt.Claims["sub"] != "u-1" || jwt.Scopes[0] != "a" {
		t.Errorf("changing the claims changed the request: %+v", jwt)
	}
}

func TestHasScope(t *testing.T) {
	c := Claims{Scopes: []string{"accounts:read", "accounts:write"}}
	tests := []struct {
		scope string
		want  bool
	}{
		{"accounts:read", true},
		{"accounts:write", true},
		{"accounts:admin", false},
		{"Accounts:Read", false},
		{"accounts", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := c.HasScope(tt.scope); got != tt.want {
			t.Errorf("HasScope(%q) = %t, want %t", tt.scope, got, tt.want)
		}
	}
}

func TestRequireScope(t *testing.T) {
	tests := []struct {
		name    string
		req     events.APIGatewayV2HTTPRequest
		scope   string
		wantSub string
		wantErr string
		wantIs  error
	}{
		{name: "granted", req: jwtRequest(map[string]string{"sub": "u-1", "scope": "accounts:write"}, nil), scope: "accounts:write", wantSub: "u-1"},
		{
			name:    "missing",
			req:     jwtRequest(map[string]string{"sub": "u-1", "scope": "accounts:read"}, nil),
			scope:   "accounts:write",
			wantErr: `missing scope "accounts:write": forbidden`,
			wantIs:  lambdakit.ErrForbidden,
		},
		{name: "no claims", req: events.APIGatewayV2HTTPRequest{}, scope: "accounts:write", wantErr: "request has no jwt authorizer claims", wantIs: ErrNoClaims},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RequireScope(tt.req, tt.scope)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				if !errors.Is(err, tt.wantIs) {
					t.Errorf("errors.Is(%v, %v) = false", err, tt.wantIs)
				}
				if !reflect.DeepEqual(got, Claims{}) {
					t.Errorf("claims = %+v on error, want none", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Subject != tt.wantSub {
				t.Errorf("subject = %q, want %q", got.Subject, tt.wantSub)
			}
		})
	}
}
