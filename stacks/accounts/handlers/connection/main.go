// Command connection is the Lambda function that other contexts invoke directly to learn
// how to reach a registered account: contract.ConnectionRequest in,
// contract.ConnectionResponse out.
//
// Environment: TABLE_NAME (the accounts table) and INDEX_NAME (its index byAccountId).
package main

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/stacks/accounts/contract"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/account"
)

func main() {
	lambdakit.Main([]string{"TABLE_NAME", "INDEX_NAME"}, func(s lambdakit.Setup) (any, error) {
		h := &handler{
			db:    dynamodb.NewFromConfig(s.AWS),
			table: s.Env["TABLE_NAME"],
			index: s.Env["INDEX_NAME"],
		}
		return h.Handle, nil
	})
}

// handler looks accounts up by id, whatever their tenant.
type handler struct {
	db    account.Querier
	table string
	index string
}

// Handle returns how to reach the account req names. An invalid request and an unknown
// account are answered with Error set, because retrying cannot help; only a failure to
// read the table is returned as an error, so that the caller's invocation fails and is
// retried.
func (h *handler) Handle(ctx context.Context, req contract.ConnectionRequest) (contract.ConnectionResponse, error) {
	if err := account.ValidateID(req.AccountID); err != nil {
		lambdakit.Logger(ctx).Warn("invalid connection request", lambdakit.LogKeyError, err)
		return contract.ConnectionResponse{Error: "invalid request: " + err.Error()}, nil
	}
	accounts, err := account.ByAccountID(ctx, h.db, h.table, h.index, req.AccountID)
	if err != nil {
		return contract.ConnectionResponse{}, fmt.Errorf("connection of account %q: %w", req.AccountID, err)
	}
	switch len(accounts) {
	case 0:
		lambdakit.Logger(ctx).Info("account not found", "account_id", req.AccountID)
		return contract.ConnectionResponse{Error: fmt.Sprintf("account %s not found", req.AccountID)}, nil
	case 1:
	default:
		// Two tenants registered the account at the same moment (see register). Either
		// tenant's external id could be the one the role trusts; answering with one would
		// inventory the account for the wrong tenant, so an operator must settle it.
		lambdakit.Logger(ctx).Error("account registered by more than one tenant", "account_id", req.AccountID)
		return contract.ConnectionResponse{Error: fmt.Sprintf("account %s is registered by more than one tenant", req.AccountID)}, nil
	}
	a := accounts[0]
	return contract.ConnectionResponse{
		AccountID:         a.AccountID,
		Provider:          a.Provider,
		ExternalAccountID: a.ExternalAccountID,
		RoleArn:           a.RoleArn,
		ExternalID:        a.ExternalID,
	}, nil
}
