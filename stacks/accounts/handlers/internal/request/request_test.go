package request_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/api"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/fake"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/request"
)

func TestTenant(t *testing.T) {
	got, err := request.Tenant(fake.Request("GET /accounts", "accounts:read accounts:write", "t-1"), request.ScopeWrite)
	if err != nil || got != "t-1" {
		t.Fatalf("Tenant() = %q, %v; want t-1", got, err)
	}

	tests := map[string]struct {
		scope, tenant string
		want          string
	}{
		"missing scope":  {scope: "accounts:read", tenant: "t-1", want: `missing scope "accounts:write": forbidden`},
		"missing tenant": {scope: "accounts:write", want: `token has no "tenant" claim: forbidden`},
		"blank tenant":   {scope: "accounts:write", tenant: " ", want: `token has no "tenant" claim: forbidden`},
	}
	for name, tt := range tests {
		_, err := request.Tenant(fake.Request("GET /accounts", tt.scope, tt.tenant), request.ScopeWrite)
		if !errors.Is(err, lambdakit.ErrForbidden) || err.Error() != tt.want {
			t.Errorf("%s: Tenant() = %v, want %s", name, err, tt.want)
		}
	}

	req := fake.Request("GET /accounts", "accounts:write", "t-1")
	req.RequestContext.Authorizer = nil
	if _, err := request.Tenant(req, request.ScopeWrite); !errors.Is(err, api.ErrNoClaims) {
		t.Errorf("Tenant() without authorizer = %v, want %v", err, api.ErrNoClaims)
	}
}

func TestContext(t *testing.T) {
	ctx := request.Context(context.Background(), fake.Request("GET /accounts", "accounts:read", "t-1"))
	if got := lambdakit.CorrelationID(ctx); got != "req-1" {
		t.Errorf("correlation id = %q, want req-1", got)
	}
}
