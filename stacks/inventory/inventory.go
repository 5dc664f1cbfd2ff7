// Package inventory is the program of the inventory context: it follows the accounts context's
// events through its own queue, scans every connected account hourly (asking the accounts
// context for connection details by direct invocation), keeps the discovered resources in a
// table, serves them through an HTTP API and publishes InventoryChanged.
package inventory

import (
	"slices"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/httpapi"
	"github.com/stratum-platform/stratum/components/queue"
	"github.com/stratum-platform/stratum/components/schedule"
	"github.com/stratum-platform/stratum/components/service"
	"github.com/stratum-platform/stratum/components/table"
	"github.com/stratum-platform/stratum/components/topic"
	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/stackref"
	accounts "github.com/stratum-platform/stratum/stacks/accounts/contract"
	"github.com/stratum-platform/stratum/stacks/inventory/contract"
)

// Timeouts of the functions; the inbox's visibility timeout follows ingest's.
const (
	ingestTimeout = 30 * time.Second
	scanTimeout   = 5 * time.Minute
)

// Program deploys the inventory context.
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
	accountsStack, err := stackref.New(ctx, stackref.StackName(cfg.PlatformStack, accounts.Project))
	if err != nil {
		return err
	}

	// A disconnected account stays as a marker until expiresAt, so that a late
	// AccountConnected cannot bring it back; TTL then removes it.
	known, err := svc.Table("accounts", table.Args{
		HashKey:      table.Key{Name: "accountId", Type: table.String},
		TTLAttribute: "expiresAt",
	})
	if err != nil {
		return err
	}
	resources, err := svc.Table("resources", table.Args{
		HashKey:  table.Key{Name: "accountId", Type: table.String},
		RangeKey: table.Key{Name: "resourceArn", Type: table.String},
	})
	if err != nil {
		return err
	}
	events, err := svc.Topic("events", topic.Args{})
	if err != nil {
		return err
	}

	// Each function gets exactly the table operations its handler calls. ingest upserts
	// accounts (a disconnect leaves a marker) and drops their resources; scan walks the
	// accounts and rewrites what changed in each account's resources.
	ingestGrants := slices.Concat(known.Allow(table.PutItem), resources.Allow(table.Query, table.BatchWriteItem))
	scanGrants := slices.Concat(known.Allow(table.Scan), resources.Allow(table.Query, table.BatchWriteItem))
	apiGrants := slices.Concat(known.Allow(table.GetItem), resources.Allow(table.Query))

	// Queue pattern: the accounts context's events arrive through inventory's own queue.
	accountEvents, err := topic.Existing("accounts-events", topic.ExistingArgs{Arn: accountsStack.String(accounts.EventsTopicArn)})
	if err != nil {
		return err
	}
	inbox, err := svc.Queue("inbox", queue.Args{
		VisibilityTimeout: 6 * ingestTimeout,
		Publishers:        []queue.Publisher{accountEvents.QueuePublisher()},
	})
	if err != nil {
		return err
	}
	if _, err := svc.Subscribe("inbox-accounts", accountEvents, topic.QueueSubscriptionArgs{
		Queue:      inbox,
		EventTypes: []string{accounts.AccountConnectedType, accounts.AccountDisconnectedType},
	}); err != nil {
		return err
	}
	ingest, err := svc.Function("ingest", function.Args{
		Description: "Keeps the connected accounts in step with the accounts context's events.",
		Timeout:     ingestTimeout,
		Environment: map[string]pulumi.StringInput{"ACCOUNTS_TABLE": known.Name, "RESOURCES_TABLE": resources.Name},
		Grants:      ingestGrants,
	})
	if err != nil {
		return err
	}
	if _, err := svc.Consumer("inbox-ingest", inbox, queue.ConsumerArgs{Function: ingest}); err != nil {
		return err
	}

	// Direct invocation: the scan asks the accounts context how to reach each account.
	connection, err := function.Existing("accounts-connection", function.ExistingArgs{
		Arn: accountsStack.String(accounts.ConnectionFunctionArn)})
	if err != nil {
		return err
	}
	scanGrants = append(scanGrants, connection.AllowInvoke()...)
	scanGrants = append(scanGrants, iam.Statements{
		// The reader role lives in each customer's account, so the account is the one part
		// of the ARN that cannot be named; the role name is fixed and the role's trust
		// policy demands the account's external id, which only the scan obtains.
		{Sid: "AssumeCustomerReaderRole", Actions: []string{"sts:AssumeRole"},
			Resources: []pulumi.StringInput{pulumi.String("arn:aws:iam::*:role/" + accounts.ReaderRoleName)}},
	}...)
	scanGrants = append(scanGrants, events.AllowPublish()...)
	scan, err := svc.Function("scan", function.Args{
		Description: "Scans every connected account's resources and publishes InventoryChanged.",
		MemoryMB:    512,
		Timeout:     scanTimeout,
		Environment: map[string]pulumi.StringInput{
			"ACCOUNTS_TABLE":          known.Name,
			"RESOURCES_TABLE":         resources.Name,
			"CONNECTION_FUNCTION_ARN": accountsStack.String(accounts.ConnectionFunctionArn),
			"TOPIC_ARN":               events.Arn,
		},
		Grants: scanGrants,
	})
	if err != nil {
		return err
	}
	if _, err := svc.Schedule("scan-hourly", schedule.Args{
		Function:    scan,
		Expression:  "rate(1 hour)",
		TimeZone:    "UTC",
		Input:       "{}",
		Description: "Hourly inventory scan of every connected account.",
	}); err != nil {
		return err
	}

	read, err := svc.Function("api", function.Args{
		Description: "Serves an account's discovered resources.",
		Environment: map[string]pulumi.StringInput{"ACCOUNTS_TABLE": known.Name, "RESOURCES_TABLE": resources.Name},
		Grants:      apiGrants,
	})
	if err != nil {
		return err
	}
	api, err := svc.API("api", httpapi.Args{Routes: []httpapi.Route{
		{Key: "GET /accounts/{accountId}/resources", Function: read, Scopes: []string{"inventory:read"}},
	}})
	if err != nil {
		return err
	}

	stackref.ExportString(ctx, contract.EventsTopicArn, events.Arn)
	stackref.ExportString(ctx, contract.APIURL, api.URL)
	return svc.Finish()
}
