// Command connection is the Lambda function that other contexts invoke directly to learn
// how to reach an account for one tenant: contract.ConnectionRequest in,
// contract.ConnectionResponse out.
//
// Environment: TABLE_NAME (the accounts table) and CLAIMS_TABLE (the claims table).
package main

import (
	"context"
	"errors"
	"fmt"

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
		}
		return h.Handle, nil
	})
}

// handler reads registrations and claims.
type handler struct {
	db     account.Getter
	tables account.Tables
}

// Handle returns how to reach the account req names for the tenant req names: the details
// of the tenant's registration, unless the tenant has none or another registration of the
// account is the active one, which are answered alike, with Error set: a pending
// registration must not reach an account that its owner has connected through another
// tenant. An invalid request is answered with Error too, because retrying cannot help; only
// a failure to read the tables is returned as an error, so that the caller's invocation
// fails and is retried.
func (h *handler) Handle(ctx context.Context, req contract.ConnectionRequest) (contract.ConnectionResponse, error) {
	if err := validate(req); err != nil {
		lambdakit.Logger(ctx).Warn("invalid connection request", lambdakit.LogKeyError, err)
		return contract.ConnectionResponse{Error: "invalid request: " + err.Error()}, nil
	}
	log := lambdakit.Logger(ctx).With("tenant_id", req.TenantID, "account_id", req.AccountID)
	unavailable := contract.ConnectionResponse{Error: fmt.Sprintf("account %s has no usable registration of this tenant", req.AccountID)}
	a, err := account.Get(ctx, h.db, h.tables.Accounts, req.TenantID, req.AccountID)
	if errors.Is(err, lambdakit.ErrNotFound) {
		log.Info("no registration")
		return unavailable, nil
	}
	if err != nil {
		return contract.ConnectionResponse{}, fmt.Errorf("connection of account %q: %w", req.AccountID, err)
	}
	if a.Status != contract.StatusActive {
		holder, claimed, err := account.Holder(ctx, h.db, h.tables.Claims, req.AccountID)
		if err != nil {
			return contract.ConnectionResponse{}, fmt.Errorf("connection of account %q: %w", req.AccountID, err)
		}
		if claimed && (holder.TenantID != a.TenantID || holder.Generation != a.Generation) {
			log.Info("registration pending while another holds the account")
			return unavailable, nil
		}
	}
	return contract.ConnectionResponse{
		TenantID:          a.TenantID,
		AccountID:         a.AccountID,
		Generation:        a.Generation,
		Status:            a.Status,
		Provider:          a.Provider,
		ExternalAccountID: a.ExternalAccountID,
		RoleArn:           a.RoleArn,
		ExternalID:        a.ExternalID,
	}, nil
}

// validate reports every invalid field of req at once.
func validate(req contract.ConnectionRequest) error {
	if fields := account.KeyProblems(req.TenantID, req.AccountID); fields != nil {
		return &lambdakit.ValidationError{Fields: fields}
	}
	return nil
}
