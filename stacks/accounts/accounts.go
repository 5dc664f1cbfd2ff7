// Package accounts is the program of the accounts context: an HTTP API to register, get, list
// and remove a customer's cloud accounts, the table that holds them, the topic on which it
// publishes AccountConnected and AccountDisconnected, and a function other contexts invoke
// directly for an account's connection details.
package accounts

import (
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/httpapi"
	"github.com/stratum-platform/stratum/components/service"
	"github.com/stratum-platform/stratum/components/table"
	"github.com/stratum-platform/stratum/components/topic"
	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/stackref"
	"github.com/stratum-platform/stratum/stacks/accounts/contract"
)

// byAccountID is the index the connection function finds an account by, without its tenant.
const byAccountID = "byAccountId"

// Program deploys the accounts context.
func Program(ctx *pulumi.Context) error {
	cfg, err := config.Load(ctx)
	if err != nil {
		return err
	}
	svc, err := service.New(ctx, contract.Project, &service.Args{
		Naming:           cfg.Scope(),
		Tags:             cfg.Tags(),
		PlatformStack:    cfg.PlatformStack,
		LogRetentionDays: cfg.LogRetentionDays,
		Protect:          cfg.Protect,
	})
	if err != nil {
		return err
	}
	accounts, err := svc.Table("accounts", table.Args{
		HashKey:  table.Key{Name: "tenantId", Type: table.String},
		RangeKey: table.Key{Name: "accountId", Type: table.String},
		Indexes:  []table.Index{{Name: byAccountID, HashKey: table.Key{Name: "accountId", Type: table.String}}},
	})
	if err != nil {
		return err
	}
	events, err := svc.Topic("events", topic.Args{})
	if err != nil {
		return err
	}

	// Each function gets exactly the table operations its handler calls. register looks the
	// account up by id across tenants (the index), then writes it on condition; a failed
	// condition returns the stored item, which GetItem covers.
	registerGrants := slices.Concat(accounts.Allow(table.QueryIndex, table.GetItem, table.PutItem), events.AllowPublish())
	removeGrants := slices.Concat(accounts.Allow(table.DeleteItem), events.AllowPublish())

	index := pulumi.String(byAccountID)
	register, err := svc.Function("register", function.Args{
		Description: "Registers a customer's cloud account and publishes AccountConnected.",
		Environment: map[string]pulumi.StringInput{"TABLE_NAME": accounts.Name, "INDEX_NAME": index, "TOPIC_ARN": events.Arn},
		Grants:      registerGrants,
	})
	if err != nil {
		return err
	}
	get, err := svc.Function("get", function.Args{
		Description: "Returns one of the tenant's accounts.",
		Environment: map[string]pulumi.StringInput{"TABLE_NAME": accounts.Name},
		Grants:      accounts.Allow(table.GetItem),
	})
	if err != nil {
		return err
	}
	list, err := svc.Function("list", function.Args{
		Description: "Lists the tenant's accounts, a page at a time.",
		Environment: map[string]pulumi.StringInput{"TABLE_NAME": accounts.Name},
		Grants:      accounts.Allow(table.Query),
	})
	if err != nil {
		return err
	}
	remove, err := svc.Function("remove", function.Args{
		Description: "Removes an account and publishes AccountDisconnected.",
		Environment: map[string]pulumi.StringInput{"TABLE_NAME": accounts.Name, "TOPIC_ARN": events.Arn},
		Grants:      removeGrants,
	})
	if err != nil {
		return err
	}
	connection, err := svc.Function("connection", function.Args{
		Description: "Returns an account's connection details to other contexts (direct invocation).",
		Environment: map[string]pulumi.StringInput{"TABLE_NAME": accounts.Name, "INDEX_NAME": index},
		Grants:      accounts.Allow(table.QueryIndex),
	})
	if err != nil {
		return err
	}

	api, err := svc.API("api", httpapi.Args{Routes: []httpapi.Route{
		{Key: "POST /accounts", Function: register, Scopes: []string{"accounts:write"}},
		{Key: "GET /accounts", Function: list, Scopes: []string{"accounts:read"}},
		{Key: "GET /accounts/{accountId}", Function: get, Scopes: []string{"accounts:read"}},
		{Key: "DELETE /accounts/{accountId}", Function: remove, Scopes: []string{"accounts:write"}},
	}})
	if err != nil {
		return err
	}

	stackref.ExportString(ctx, contract.EventsTopicArn, events.Arn)
	stackref.ExportString(ctx, contract.ConnectionFunctionArn, connection.AliasArn)
	stackref.ExportString(ctx, contract.APIURL, api.URL)
	return svc.Finish()
}
