// Package accounts is the program of the accounts context: an HTTP API to register, get, list
// and remove a tenant's registrations of cloud accounts, the table that holds them and the
// table of each account's one active registration (its claim), a relay that publishes
// AccountConnected and AccountDisconnected from the registrations table's stream (the
// table is the outbox), and two functions other contexts invoke directly: one for a
// registration's connection details, one to claim an account once its reader role has
// been assumed.
package accounts

import (
	"net/http"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/httpapi"
	"github.com/stratum-platform/stratum/components/service"
	"github.com/stratum-platform/stratum/components/table"
	"github.com/stratum-platform/stratum/components/topic"
	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/release"
	"github.com/stratum-platform/stratum/platform/stackref"
	accountsapi "github.com/stratum-platform/stratum/stacks/accounts/api"
	"github.com/stratum-platform/stratum/stacks/accounts/contract"
)

// Bindings maps each operationId of version 1 of the accounts API (api.V1) to the handler
// that serves it, which is also its function's name: the program binds the routes with it,
// and a test holds it to the spec and to the handlers both ways.
func Bindings() map[string]string {
	return map[string]string{"register": "register", "list": "list", "get": "get", "remove": "remove"}
}

// smokeTenant is the synthetic caller of the smoke checks: no registration has it as tenant.
const smokeTenant = "stratum-smoke"

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
		// The default (the environment's CI deploy role) unless stratum:keyAdministrators is set.
		KeyAdministrators: cfg.KeyAdministrators,
		Release:           cfg.Release,
		TableGenerations:  cfg.TableGenerations,
	})
	if err != nil {
		return err
	}
	// The stream is the outbox of the context's events (see the relay function).
	accounts, err := svc.Table("accounts", table.Args{
		HashKey:  table.Key{Name: "tenantId", Type: table.String},
		RangeKey: table.Key{Name: "accountId", Type: table.String},
		Stream:   table.StreamNewAndOldImages,
	})
	if err != nil {
		return err
	}
	claims, err := svc.Table("claims", table.Args{HashKey: table.Key{Name: "accountId", Type: table.String}})
	if err != nil {
		return err
	}
	events, err := svc.Topic("events", topic.Args{})
	if err != nil {
		return err
	}

	// Each function gets exactly the table operations its handler calls; the transactions
	// of remove and claim need the action of each of their items. register writes on
	// condition; a failed condition returns the stored item, which GetItem covers. remove
	// reads the registration, then deletes it, with the claim when it holds one. claim
	// updates the registration and puts the claim, then reads the claim when refused.
	registerGrants := accounts.Allow(table.GetItem, table.PutItem)
	removeGrants := slices.Concat(accounts.Allow(table.GetItem, table.DeleteItem), claims.Allow(table.DeleteItem))
	connectionGrants := slices.Concat(accounts.Allow(table.GetItem), claims.Allow(table.GetItem))
	claimGrants := slices.Concat(accounts.Allow(table.UpdateItem), claims.Allow(table.PutItem, table.GetItem))

	tables := map[string]pulumi.StringInput{"TABLE_NAME": accounts.Name, "CLAIMS_TABLE": claims.Name}
	register, err := svc.Function("register", function.Args{
		Description: "Registers a tenant's cloud account, pending until its reader role is assumed.",
		Environment: map[string]pulumi.StringInput{
			"TABLE_NAME":       accounts.Name,
			"READER_ROLE_NAME": pulumi.String(contract.ReaderRoleName(cfg.Env)),
		},
		Grants: registerGrants,
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
		// A release runs the handler's read path on the new version, as a tenant with no
		// accounts: the table, the role and the configuration answer, or the release rolls back.
		Release: &function.Release{Smoke: []release.Check{{
			Method: "GET", Path: "/accounts?limit=1", ExpectedStatus: http.StatusOK,
			Claims: map[string]string{"sub": smokeTenant, "scope": "accounts:read", "tenant": smokeTenant},
		}}},
	})
	if err != nil {
		return err
	}
	remove, err := svc.Function("remove", function.Args{
		Description: "Removes a tenant's registration of an account, and its claim.",
		Environment: tables,
		Grants:      removeGrants,
	})
	if err != nil {
		return err
	}
	connection, err := svc.Function("connection", function.Args{
		Description: "Returns a registration's connection details to other contexts (direct invocation).",
		Environment: tables,
		Grants:      connectionGrants,
	})
	if err != nil {
		return err
	}
	claim, err := svc.Function("claim", function.Args{
		Description: "Makes a verified registration the account's active one (direct invocation).",
		Environment: tables,
		Grants:      claimGrants,
	})
	if err != nil {
		return err
	}
	relay, err := svc.Function("relay", function.Args{
		Description: "Publishes AccountConnected and AccountDisconnected from the accounts table's stream.",
		Environment: map[string]pulumi.StringInput{"TOPIC_ARN": events.Arn},
		Grants:      events.AllowPublish(),
	})
	if err != nil {
		return err
	}
	if _, err := svc.StreamConsumer("accounts-relay", accounts, table.StreamConsumerArgs{Function: relay}); err != nil {
		return err
	}

	// The API is its contract: each operation is served by the function Bindings names.
	functions := map[string]*function.Function{"register": register, "get": get, "list": list, "remove": remove}
	operations := map[string]*function.Function{}
	for id, handler := range Bindings() {
		operations[id] = functions[handler]
	}
	api, err := svc.API("api", httpapi.Args{Spec: accountsapi.V1, Operations: operations})
	if err != nil {
		return err
	}

	stackref.ExportString(ctx, contract.EventsTopicArn, events.Arn)
	stackref.ExportString(ctx, contract.ConnectionFunctionArn, connection.AliasArn)
	stackref.ExportString(ctx, contract.ClaimFunctionArn, claim.AliasArn)
	stackref.ExportString(ctx, contract.APIURL, api.URL)
	return svc.Finish()
}
