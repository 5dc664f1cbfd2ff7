// Command remove is the Lambda handler of DELETE /accounts/{accountId}: a tenant removes
// one of its accounts, and the accounts context announces it with AccountDisconnected.
//
// Environment: TABLE_NAME (the accounts table) and TOPIC_ARN (the events topic).
package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/api"
	"github.com/stratum-platform/stratum/stacks/accounts/contract"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/account"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/event"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/request"
)

func main() {
	lambdakit.Main([]string{"TABLE_NAME", "TOPIC_ARN"}, func(s lambdakit.Setup) (any, error) {
		h := &handler{
			db:     dynamodb.NewFromConfig(s.AWS),
			events: sns.NewFromConfig(s.AWS),
			table:  s.Env["TABLE_NAME"],
			topic:  s.Env["TOPIC_ARN"],
			now:    time.Now,
		}
		return h.Handle, nil
	})
}

// handler removes accounts.
type handler struct {
	db     account.Deleter
	events event.Publisher
	table  string
	topic  string
	now    func() time.Time
}

// Handle answers DELETE /accounts/{accountId}: 204 once the account is deleted and
// announced, 404 when the tenant has no such account, as for a repeated request.
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
	// Only the request that deletes the item gets it back, so a repeated request finds
	// nothing (404) and the account is announced once.
	old, err := account.Delete(ctx, h.db, h.table, tenant, id)
	if err != nil {
		return err
	}
	lambdakit.Logger(ctx).Info("account removed", "account_id", old.AccountID)
	// Known gap, as in register: when publishing fails the account is gone but not
	// announced, the client gets 500 and its retry gets 404, so subscribers keep
	// inventorying the account. An outbox (the table's stream) would close it.
	_, err = event.Publish(ctx, h.events, h.topic, contract.AccountDisconnectedType, contract.AccountDisconnectedVersion,
		contract.AccountDisconnected{
			Version:        contract.AccountDisconnectedVersion,
			AccountID:      old.AccountID,
			TenantID:       old.TenantID,
			DisconnectedAt: h.now().UTC().Truncate(time.Millisecond),
		})
	if err != nil {
		// ErrorResponse logs it at error level, which alarms watch.
		return fmt.Errorf("account %q removed but not announced: %w", id, err)
	}
	return nil
}
