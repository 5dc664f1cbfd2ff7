// Package request reads what the accounts API's handlers need from an API Gateway request
// besides its body: the calling tenant and the correlation id.
package request

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/api"
)

// The OAuth scopes of the accounts API.
const (
	ScopeRead  = "accounts:read"
	ScopeWrite = "accounts:write"
)

// TenantClaim is the JWT claim that names the caller's tenant.
const TenantClaim = "tenant"

// Context returns ctx with the API Gateway request id as its correlation id, so that the
// logs of the request and the events it publishes can be joined.
func Context(ctx context.Context, req events.APIGatewayV2HTTPRequest) context.Context {
	return lambdakit.WithCorrelationID(ctx, req.RequestContext.RequestID)
}

// Tenant returns the caller's tenant after checking that its token grants scope. A token
// without a tenant fails with an error wrapping lambdakit.ErrForbidden (403): the caller is
// authenticated, but is no tenant's, so no account is theirs.
func Tenant(req events.APIGatewayV2HTTPRequest, scope string) (string, error) {
	claims, err := api.RequireScope(req, scope)
	if err != nil {
		return "", err
	}
	tenant := claims.Claims[TenantClaim]
	if strings.TrimSpace(tenant) == "" {
		return "", fmt.Errorf("token has no %q claim: %w", TenantClaim, lambdakit.ErrForbidden)
	}
	return tenant, nil
}
