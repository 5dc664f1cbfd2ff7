// Command list is the Lambda handler of GET /accounts?limit=N&next=TOKEN: it returns the
// caller's tenant's accounts a page at a time, in account id order.
//
// Environment: TABLE_NAME (the accounts table).
package main

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/api"
	"github.com/stratum-platform/stratum/platform/lambdakit/openapi"
	accountsapi "github.com/stratum-platform/stratum/stacks/accounts/api"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/account"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/request"
)

// The page sizes a client may ask for, and the one it gets when it does not ask.
const (
	minLimit     = 1
	maxLimit     = 100
	defaultLimit = 25
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

// handler lists accounts.
type handler struct {
	db    account.Querier
	table string
}

// Handle answers GET /accounts: 200 with {"items": [...], "next": "..."}, where next, absent
// on the last page, is the token of the next page.
func (h *handler) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	ctx = request.Context(ctx, req)
	page, err := h.list(ctx, req)
	if err != nil {
		return api.ErrorResponse(ctx, err), nil
	}
	return api.JSON(http.StatusOK, page), nil
}

func (h *handler) list(ctx context.Context, req events.APIGatewayV2HTTPRequest) (account.Page, error) {
	tenant, err := request.Tenant(req, request.ScopeRead)
	if err != nil {
		return account.Page{}, err
	}
	limit, err := parseLimit(req.QueryStringParameters["limit"])
	if err != nil {
		return account.Page{}, err
	}
	return account.List(ctx, h.db, h.table, tenant, limit, req.QueryStringParameters["next"])
}

// parseLimit returns the page size that the query parameter limit asks for, or
// defaultLimit when it is empty.
func parseLimit(s string) (int32, error) {
	if s == "" {
		return defaultLimit, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < minLimit || n > maxLimit {
		if len(s) > 20 {
			s = s[:20] + "..."
		}
		return 0, &lambdakit.ValidationError{Fields: map[string]string{
			"limit": fmt.Sprintf("must be an integer from %d to %d, got %q", minLimit, maxLimit, s),
		}}
	}
	return int32(n), nil
}
