// Command claim is the Lambda function that the inventory context invokes directly once it
// has assumed an account's reader role with a pending registration's external id: it makes
// that registration the account's active one unless another registration is
// (contract.ClaimRequest in, contract.ClaimResponse out; see package account).
//
// Only the inventory scan's role may invoke it. What it trusts from the caller is that the
// external id worked; the registration's own conditions (still pending, same generation)
// and the claim's (none yet) are checked here.
//
// Environment: TABLE_NAME (the accounts table) and CLAIMS_TABLE (the claims table).
package main

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/stacks/accounts/contract"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/account"
)

func main() {
	lambdakit.Main([]string{"TABLE_NAME", "CLAIMS_TABLE"}, func(s lambdakit.Setup) (any, error) {
		h := &handler{
			db:     dynamodb.NewFromConfig(s.AWS),
			tables: account.Tables{Accounts: s.Env["TABLE_NAME"], Claims: s.Env["CLAIMS_TABLE"]},
			now:    time.Now,
		}
		return h.Handle, nil
	})
}

// handler claims accounts.
type handler struct {
	db     account.Claimer
	tables account.Tables
	now    func() time.Time
}

// Handle claims the account for the registration req names. An invalid request is answered
// with Error set, because retrying cannot help; a failure to write is returned as an error,
// so that the caller's invocation fails and is retried.
func (h *handler) Handle(ctx context.Context, req contract.ClaimRequest) (contract.ClaimResponse, error) {
	fields := account.KeyProblems(req.TenantID, req.AccountID)
	if req.Generation <= 0 {
		if fields == nil {
			fields = map[string]string{}
		}
		fields["generation"] = fmt.Sprintf("must be a registration's generation, above 0, got %d", req.Generation)
	}
	if fields != nil {
		err := &lambdakit.ValidationError{Fields: fields}
		lambdakit.Logger(ctx).Warn("invalid claim request", lambdakit.LogKeyError, err)
		return contract.ClaimResponse{Error: "invalid request: " + err.Error()}, nil
	}
	claimed, err := account.ClaimAccount(ctx, h.db, h.tables, req.TenantID, req.AccountID, req.Generation, h.now())
	if err != nil {
		return contract.ClaimResponse{}, err
	}
	lambdakit.Logger(ctx).Info("account claim", "tenant_id", req.TenantID, "account_id", req.AccountID,
		"generation", req.Generation, "claimed", claimed)
	return contract.ClaimResponse{Claimed: claimed}, nil
}
