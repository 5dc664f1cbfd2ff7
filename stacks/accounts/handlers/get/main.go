// Command get is the Lambda handler of GET /accounts/{accountId}: it returns one of the
// caller's tenant's accounts.
//
// Environment: TABLE_NAME (the accounts table).
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
	lambdakit.Main([]string{"TABLE_NAME"}, func(s lambdakit.Setup) (any, error) {
		// Requests reach the handler only when they match the contract.
		contract, err := openapi.Load(accountsapi.V1)
		if err != nil {
			return nil, err
		}
		h := &handler{db: dynamodb.NewFromConfig(s.AWS), table: s.Env["TABLE_NAME"]}
		return contract.Wrap(h.Handle), nil
	})
}

// handler reads accounts.
type handler struct {
	db    account.Getter
	table string
}

// Handle answers GET /accounts/{accountId}: 200 with the account, 404 when the tenant has
// no such account (another tenant's account included: which accounts exist is not the
// caller's business).
func (h *handler) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	ctx = request.Context(ctx, req)
	a, err := h.get(ctx, req)
	if err != nil {
		return api.ErrorResponse(ctx, err), nil
	}
	return api.JSON(http.StatusOK, a), nil
}

func (h *handler) get(ctx context.Context, req events.APIGatewayV2HTTPRequest) (account.Account, error) {
	tenant, err := request.Tenant(req, request.ScopeRead)
	if err != nil {
		return account.Account{}, err
	}
	id := req.PathParameters["accountId"]
	if err := account.ValidateID(id); err != nil {
		return account.Account{}, err
	}
	return account.Get(ctx, h.db, h.table, tenant, id)
}
