// Command register is the Lambda handler of POST /accounts: a tenant registers an AWS
// account for the platform to inventory. The registration is pending until the platform
// has assumed the account's reader role with its external id (see package account); the
// table's stream announces it (the relay function), so this handler publishes nothing.
//
// Environment: TABLE_NAME (the accounts table) and READER_ROLE_NAME (the role the customer
// creates in the account, contract.ReaderRoleName of the environment).
package main

import (
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"time"

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
	lambdakit.Main([]string{"TABLE_NAME", "READER_ROLE_NAME"}, func(s lambdakit.Setup) (any, error) {
		// Requests reach the handler only when they match the contract.
		contract, err := openapi.Load(accountsapi.V1)
		if err != nil {
			return nil, err
		}
		h := &handler{
			db:       dynamodb.NewFromConfig(s.AWS),
			table:    s.Env["TABLE_NAME"],
			roleName: s.Env["READER_ROLE_NAME"],
			now:      time.Now,
			random:   rand.Reader,
		}
		return contract.Wrap(h.Handle), nil
	})
}

// handler registers accounts.
type handler struct {
	db       account.Putter
	table    string
	roleName string
	now      func() time.Time
	random   io.Reader // the source of external ids
}

// Handle answers POST /accounts: 201 with the pending registration and its Location for a
// new one, 200 with the stored registration when the tenant has registered the account
// already (a retry). The answer is the same whether or not other tenants registered the
// account, or one of them holds it: which AWS accounts are customers' is nobody's business.
func (h *handler) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	ctx = request.Context(ctx, req)
	a, created, err := h.register(ctx, req)
	if err != nil {
		return api.ErrorResponse(ctx, err), nil
	}
	if !created {
		return api.JSON(http.StatusOK, a), nil
	}
	resp := api.JSON(http.StatusCreated, a)
	if resp.StatusCode == http.StatusCreated {
		resp.Headers["Location"] = "/accounts/" + a.AccountID
	}
	return resp, nil
}

// register stores the registration the request makes. It returns the stored registration
// and whether this request created it.
func (h *handler) register(ctx context.Context, req events.APIGatewayV2HTTPRequest) (account.Account, bool, error) {
	tenant, err := request.Tenant(req, request.ScopeWrite)
	if err != nil {
		return account.Account{}, false, err
	}
	in, err := api.DecodeBody[account.Registration](req)
	if err != nil {
		return account.Account{}, false, err
	}
	if err := in.Validate(); err != nil {
		return account.Account{}, false, err
	}
	a, err := account.New(tenant, in, h.now(), h.random, h.roleName)
	if err != nil {
		return account.Account{}, false, err
	}
	// The item is the tenant's own: another tenant's registration of the same AWS account
	// is another item, which this write neither sees nor reports.
	stored, created, err := account.Create(ctx, h.db, h.table, a)
	if err != nil {
		return account.Account{}, false, err
	}
	lambdakit.Logger(ctx).Info("account registered", "account_id", a.AccountID, "created", created)
	return stored, created, nil
}
