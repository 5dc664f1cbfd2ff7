// Command remove is the Lambda handler of DELETE /accounts/{accountId}: a tenant removes
// its registration of an account, and with it the account's claim when the registration
// held it. The table's stream announces the removal (the relay function), so this handler
// publishes nothing.
//
// Environment: TABLE_NAME (the accounts table) and CLAIMS_TABLE (the claims table).
package main

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/api"
	"github.com/stratum-platform/stratum/platform/lambdakit/openapi"
	accountsapi "github.com/stratum-platform/stratum/stacks/accounts/api"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/account"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/request"
)

func main() {
	lambdakit.Main([]string{"TABLE_NAME", "CLAIMS_TABLE"}, func(s lambdakit.Setup) (any, error) {
		// Requests reach the handler only when they match the contract.
		contract, err := openapi.Load(accountsapi.V1)
		if err != nil {
			return nil, err
		}
		h := &handler{
			db:     dynamodb.NewFromConfig(s.AWS),
			tables: account.Tables{Accounts: s.Env["TABLE_NAME"], Claims: s.Env["CLAIMS_TABLE"]},
		}
		return contract.Wrap(h.Handle), nil
	})
}

// handler removes registrations.
type handler struct {
	db     account.Remover
	tables account.Tables
}

// Handle answers DELETE /accounts/{accountId}: 204 once the registration is deleted, 404
// when the tenant has no such registration, as for a repeated request (another tenant's
// registration of the account included, which stays as it is).
func (h *handler) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	ctx = request.Context(ctx, req)
	if err := h.remove(ctx, req); err != nil {
		return api.ErrorResponse(ctx, err), nil
	}
	return api.JSON(http.StatusNoContent, nil), nil
}

func (h *handler) remove(ctx context.Context, req events.APIGatewayV2HTTPRequest) error {
	tenant, err := request.Tenant(req, request.ScopeWrite)
	if err != nil {
		return err
	}
	id := req.PathParameters["accountId"]
	if err := account.ValidateID(id); err != nil {
		return err
	}
	old, err := account.Remove(ctx, h.db, h.tables, tenant, id)
	if err != nil {
		return err
	}
	lambdakit.Logger(ctx).Info("account removed", "account_id", old.AccountID, "status", old.Status)
	return nil
}
