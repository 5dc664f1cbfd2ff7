// Package notifications is the program of the notifications context: it follows the accounts
// and inventory contexts' events through its own queue and delivers them to a legacy HTTPS
// endpoint (`notifications:endpointUrl`), signed with a key kept in Secrets Manager and
// rotated every 30 days (components/secret), with retries and a dead-letter queue.
package notifications

import (
	"fmt"
	"net/url"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/queue"
	"github.com/stratum-platform/stratum/components/secret"
	"github.com/stratum-platform/stratum/components/service"
	"github.com/stratum-platform/stratum/components/topic"
	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/stackref"
	accounts "github.com/stratum-platform/stratum/stacks/accounts/contract"
	inventory "github.com/stratum-platform/stratum/stacks/inventory/contract"
	"github.com/stratum-platform/stratum/stacks/notifications/contract"
)

// deliverTimeout bounds one batch of deliverBatch messages; one message takes at most about
// 41 s (four requests of at most 10 s, plus backoff).
const (
	deliverTimeout = 4 * time.Minute
	deliverBatch   = 5
)

// Program deploys the notifications context.
func Program(ctx *pulumi.Context) error {
	cfg, err := config.Load(ctx)
	if err != nil {
		return err
	}
	endpoint, err := endpointURL(cfg)
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
	inventoryStack, err := stackref.New(ctx, stackref.StackName(cfg.PlatformStack, inventory.Project))
	if err != nil {
		return err
	}

	// The signing key is written only by its rotation function, so it never passes through
	// Pulumi state; the receiver reads it from the secret too (AWSCURRENT and AWSPREVIOUS).
	signing, err := svc.Secret("signing-secret", secret.Args{
		Description: "HMAC key that signs deliveries to the legacy endpoint.",
		Readers:     []string{"deliver"},
	}, adoptedFromTheService(svc))
	if err != nil {
		return err
	}

	// Topic notification pattern: both contexts' events arrive through one queue.
	accountEvents, err := topic.Existing("accounts-events", topic.ExistingArgs{Arn: accountsStack.String(accounts.EventsTopicArn)})
	if err != nil {
		return err
	}
	inventoryEvents, err := topic.Existing("inventory-events", topic.ExistingArgs{Arn: inventoryStack.String(inventory.EventsTopicArn)})
	if err != nil {
		return err
	}
	inbox, err := svc.Queue("inbox", queue.Args{
		VisibilityTimeout: 6 * deliverTimeout,
		MaxReceiveCount:   5,
		Publishers:        []queue.Publisher{accountEvents.QueuePublisher(), inventoryEvents.QueuePublisher()},
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
	if _, err := svc.Subscribe("inbox-inventory", inventoryEvents, topic.QueueSubscriptionArgs{
		Queue:      inbox,
		EventTypes: []string{inventory.InventoryChangedType},
	}); err != nil {
		return err
	}
	deliver, err := svc.Function("deliver", function.Args{
		Description: "Delivers events to the legacy endpoint, signed, with retries.",
		Timeout:     deliverTimeout,
		Environment: map[string]pulumi.StringInput{"ENDPOINT_URL": pulumi.String(endpoint), "SECRET_ARN": signing.Arn},
		Grants:      signing.AllowRead(),
	})
	if err != nil {
		return err
	}
	if _, err := svc.Consumer("inbox-deliver", inbox, queue.ConsumerArgs{Function: deliver, BatchSize: deliverBatch}); err != nil {
		return err
	}

	stackref.ExportString(ctx, contract.DeadLetterQueueArn, inbox.DLQArn)
	return svc.Finish()
}

// endpointURL reads and checks notifications:endpointUrl: deliveries are HTTPS only.
func endpointURL(cfg *config.Config) (string, error) {
	v, ok := cfg.Setting("endpointUrl")
	if !ok {
		return "", fmt.Errorf("%s:endpointUrl is required: the legacy HTTPS endpoint events are delivered to", contract.Project)
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("%s:endpointUrl: %q is not an https:// URL", contract.Project, v)
	}
	return v, nil
}
