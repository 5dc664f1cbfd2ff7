// Command get is the Lambda handler of GET /accounts/{accountId}: it returns one of the
// caller's tenant's accounts.
//
// Environment: TABLE_NAME (the accounts table).
package main

import (
	"context"
	"net/http"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/stratum-platform/stratum/platform/runtime"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/account"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/request"
)

func main() {
	ctx := runtime.WithLogger(context.Background(), runtime.NewLogger(os.Stdout))
	vars, err := runtime.RequireEnv(os.Getenv, "TABLE_NAME")
	if err != nil {
		runtime.Logger(ctx).Error("cannot start", runtime.LogKeyError, err)
		os.Exit(1)
	}
	h := &handler{table: vars["TABLE_NAME"]}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		runtime.Logger(ctx).Error("cannot start: load aws config", runtime.LogKeyError, err)
		os.Exit(1)
	}
	h.db = dynamodb.NewFromConfig(cfg)
	lambda.StartWithOptions(h.Handle, lambda.WithContext(ctx))
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
		return runtime.ErrorResponse(ctx, err), nil
	}
	return runtime.JSON(http.StatusOK, a), nil
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
