// Package inventory is the program of the inventory context: it follows the accounts context's
// events through its own queue, and hourly sends one scan job per registration to a queue
// whose consumer scans one account per invocation (asking the accounts context for
// connection details, and to claim an account, by direct invocation); it keeps the
// discovered resources in tables keyed by tenant, serves them through an HTTP API and
// publishes InventoryChanged.
package inventory

import (
	"maps"
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
	outputs "github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/stackref"
	accounts "github.com/stratum-platform/stratum/stacks/accounts/contract"
	inventoryapi "github.com/stratum-platform/stratum/stacks/inventory/api"
	"github.com/stratum-platform/stratum/stacks/inventory/contract"
)

// byAccountID is the index of the tenant-accounts table by account alone, through which
// ingest finds every tenant's registration of an account (store.IndexByAccountID).
const byAccountID = "byAccountId"

// Timeouts of the functions; the queues' visibility timeouts follow their consumers'.
// scanTimeout is one account's time budget: each scan invocation handles one job.
const (
	ingestTimeout   = 30 * time.Second
	dispatchTimeout = time.Minute
	scanTimeout     = 5 * time.Minute
)

// handlerAPI is the handler of every major version of the API.
const handlerAPI = "api"

// Bindings maps each operationId of a major version of the inventory API ("1", "2") to the
// handler that serves it: the program binds the routes with it, and a test holds it to the
// spec and to the handlers both ways.
func Bindings(major string) map[string]string {
	switch major {
	case "1", "2":
		return map[string]string{"listResources": handlerAPI}
	}
	return nil
}

// version is one major version of the API: its contract and the function that serves it.
type version struct {
	major, function string
	spec            []byte
}

// versions are the major versions served side by side; v1 keeps its function's and API's
// names from before v2.
func versions() []version {
	return []version{
		{major: "1", function: "api", spec: inventoryapi.V1},
		{major: "2", function: "api-v2", spec: inventoryapi.V2},
	}
}

// withVersion returns env with API_VERSION set to major.
func withVersion(env map[string]pulumi.StringInput, major string) map[string]pulumi.StringInput {
	out := maps.Clone(env)
	out["API_VERSION"] = pulumi.String(major)
	return out
}

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
		// The default (the environment's CI deploy role) unless stratum:keyAdministrators is set.
		KeyAdministrators: cfg.KeyAdministrators,
		Release:           cfg.Release,
		TableGenerations:  cfg.TableGenerations,
	})
	if err != nil {
		return err
	}
	accountsStack, err := stackref.New(ctx, stackref.StackName(cfg.PlatformStack, accounts.Project))
	if err != nil {
		return err
	}

	// Both tables are keyed by tenant: no read or write of one tenant's data can name
	// another's. A removed registration stays as a tombstone until expiresAt, so that a late
	// AccountConnected cannot bring it back; TTL then removes it. The names are new because
	// the keys are: DynamoDB cannot change a table's keys, and a protected table refuses the
	// replacement.
	known, err := svc.Table("tenant-accounts", table.Args{
		HashKey:      table.Key{Name: "tenantId", Type: table.String},
		RangeKey:     table.Key{Name: "accountId", Type: table.String},
		Indexes:      []table.Index{{Name: byAccountID, HashKey: table.Key{Name: "accountId", Type: table.String}, Projection: table.ProjectKeysOnly}},
		TTLAttribute: "expiresAt",
	})
	if err != nil {
		return err
	}
	resources, err := svc.Table("tenant-resources", table.Args{
		HashKey:  table.Key{Name: "accountKey", Type: table.String},
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
	// registrations (a removal leaves a tombstone), finds the other tenants' items of an
	// account through the index, and deletes resources; scan writes resources in
	// transactions that check the registration's item.
	ingestGrants := slices.Concat(known.Allow(table.PutItem, table.QueryIndex), resources.Allow(table.Query, table.BatchWriteItem))
	dispatchGrants := known.Allow(table.Scan)
	scanGrants := slices.Concat(known.Allow(table.ConditionCheckItem), resources.Allow(table.Query, table.PutItem, table.DeleteItem))
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
		Description: "Keeps the tenants' registrations in step with the accounts context's events.",
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

	// Fan-out: the schedule sends one job per registration; the scan takes one per
	// invocation, so one tenant's large account delays nobody else's.
	jobs, err := svc.Queue("scan-jobs", queue.Args{VisibilityTimeout: 6 * scanTimeout})
	if err != nil {
		return err
	}
	dispatch, err := svc.Function("dispatch", function.Args{
		Description: "Sends one scan job per registration to the scan queue.",
		Timeout:     dispatchTimeout,
		Environment: map[string]pulumi.StringInput{"ACCOUNTS_TABLE": known.Name, "QUEUE_URL": jobs.URL},
		Grants:      slices.Concat(dispatchGrants, jobs.AllowSend()),
	})
	if err != nil {
		return err
	}
	if _, err := svc.Schedule("scan-hourly", schedule.Args{
		Function:    dispatch,
		Expression:  "rate(1 hour)",
		TimeZone:    "UTC",
		Input:       "{}",
		Description: "Hourly inventory scan: one job per registration.",
	}); err != nil {
		return err
	}

	// Direct invocation: the scan asks the accounts context how to reach each account, and
	// to claim it once its reader role was assumed.
	readerRole := accounts.ReaderRoleName(cfg.Env)
	for _, fn := range []struct {
		name string
		arn  outputs.String
	}{{"accounts-connection", accounts.ConnectionFunctionArn}, {"accounts-claim", accounts.ClaimFunctionArn}} {
		existing, err := function.Existing(fn.name, function.ExistingArgs{Arn: accountsStack.String(fn.arn)})
		if err != nil {
			return err
		}
		scanGrants = append(scanGrants, existing.AllowInvoke()...)
	}
	scanGrants = append(scanGrants, iam.Statements{
		// The reader role lives in each customer's account, so the account is the one part
		// of the ARN that cannot be named; the role name is the environment's, and the role's
		// trust policy names this function's role and demands the registration's external
		// id, which only the scan obtains. sts:SetSourceIdentity names the tenant in the
		// customer's CloudTrail.
		{Sid: "AssumeCustomerReaderRole", Actions: []string{"sts:AssumeRole", "sts:SetSourceIdentity"},
			Resources: []pulumi.StringInput{pulumi.String("arn:aws:iam::*:role/" + readerRole)}},
	}...)
	scanGrants = append(scanGrants, events.AllowPublish()...)
	scan, err := svc.Function("scan", function.Args{
		Description: "Scans one registration's account per job and publishes InventoryChanged.",
		MemoryMB:    512,
		Timeout:     scanTimeout,
		Environment: map[string]pulumi.StringInput{
			"ACCOUNTS_TABLE":          known.Name,
			"RESOURCES_TABLE":         resources.Name,
			"CONNECTION_FUNCTION_ARN": accountsStack.String(accounts.ConnectionFunctionArn),
			"CLAIM_FUNCTION_ARN":      accountsStack.String(accounts.ClaimFunctionArn),
			"TOPIC_ARN":               events.Arn,
			"ENVIRONMENT":             pulumi.String(cfg.Env),
			"READER_ROLE_NAME":        pulumi.String(readerRole),
		},
		Grants: scanGrants,
	})
	if err != nil {
		return err
	}
	if _, err := svc.Consumer("scan-jobs-scan", jobs, queue.ConsumerArgs{Function: scan, BatchSize: 1}); err != nil {
		return err
	}

	// Both major versions of the API are served side by side, each by its own function of
	// the one handler (API_VERSION says which contract it answers), so that retiring v1 is
	// deleting its function and API.
	apiEnv := map[string]pulumi.StringInput{"ACCOUNTS_TABLE": known.Name, "RESOURCES_TABLE": resources.Name}
	urls := map[string]pulumi.StringOutput{}
	for _, v := range versions() {
		fn, err := svc.Function(v.function, function.Args{
			Description: "Serves an account's discovered resources (API version " + v.major + ").",
			Source:      svc.Handler(handlerAPI),
			Environment: withVersion(apiEnv, v.major),
			Grants:      apiGrants,
		})
		if err != nil {
			return err
		}
		operations := map[string]*function.Function{}
		for id := range Bindings(v.major) {
			operations[id] = fn
		}
		api, err := svc.API(v.function, httpapi.Args{Spec: v.spec, Operations: operations})
		if err != nil {
			return err
		}
		urls[v.major] = api.URL
	}

	stackref.ExportString(ctx, contract.EventsTopicArn, events.Arn)
	stackref.ExportString(ctx, contract.APIURL, urls["1"])
	stackref.ExportString(ctx, contract.APIV2URL, urls["2"])
	stackref.ExportString(ctx, contract.ScanRoleArn, scan.Role.Arn)
	return svc.Finish()
}
