package graph

import (
	"testing"

	"github.com/stratum-platform/stratum/platform/plan"
)

// contextPlans are small copies of the platform, accounts, inventory and notifications
// plans: the same members, subscriptions, grants and references, with ARNs that match
// across plans as the offline engine's stack references make them.
func contextPlans(t *testing.T) []*plan.Plan {
	platform := newFixture(t, "platform")
	alarms := platform.arn("sns", platform.physical("alarms"))
	platform.add("aws:sns/topic:Topic", "alarms", "", true, nil, map[string]any{"arn": alarms})
	platformOutputs := map[string]any{"alarmTopicArn": alarms}

	accounts := newFixture(t, "accounts")
	accounts.reference("platform", platformOutputs)
	accountEvents := accounts.topic("events")
	table := accounts.table("accounts")
	accounts.function("register")
	connection := accounts.function("connection")
	accounts.policy("register", "policy", allow([]string{"dynamodb:PutItem"}, table), allow([]string{"sns:Publish"}, accountEvents))
	accounts.policy("connection", "policy", allow([]string{"dynamodb:Query"}, table+"/index/byAccountId"))
	accountsOutputs := map[string]any{"connectionFunctionArn": connection, "eventsTopicArn": accountEvents}

	inventory := newFixture(t, "inventory")
	inventory.reference("accounts", accountsOutputs)
	inventory.reference("platform", platformOutputs)
	inventoryEvents := inventory.topic("events")
	inbox := inventory.queue("inbox")
	inventory.subscribe("inbox-accounts", accountEvents, inbox, "AccountConnected", "AccountDisconnected")
	ingest := inventory.function("ingest")
	inventory.consume("inbox-ingest", inbox, ingest)
	inventory.function("scan")
	inventory.policy("scan", "policy",
		allow([]string{"lambda:InvokeFunction"}, connection),
		allow([]string{"sts:AssumeRole"}, "arn:aws:iam::*:role/stratum-inventory-reader"),
		allow([]string{"sns:Publish"}, inventoryEvents))

	notifications := newFixture(t, "notifications")
	notifications.reference("accounts", accountsOutputs)
	notifications.reference("inventory", map[string]any{"eventsTopicArn": inventoryEvents})
	notifications.reference("platform", platformOutputs)
	queue := notifications.queue("inbox")
	notifications.subscribe("inbox-accounts", accountEvents, queue, "AccountConnected", "AccountDisconnected")
	notifications.subscribe("inbox-inventory", inventoryEvents, queue, "InventoryChanged")
	notifications.consume("inbox-deliver", queue, notifications.function("deliver"))

	return []*plan.Plan{notifications.p, platform.p, inventory.p, accounts.p}
}

func TestPlatform(t *testing.T) {
	got, err := Platform(contextPlans(t))
	if err != nil {
		t.Fatal(err)
	}
	want := `flowchart LR
  project_accounts["accounts"]
  project_inventory["inventory"]
  project_notifications["notifications"]
  project_platform["platform"]
  project_accounts -->|"publishes AccountConnected, AccountDisconnected"| project_inventory
  project_accounts -->|"publishes AccountConnected, AccountDisconnected"| project_notifications
  project_inventory -->|"publishes InventoryChanged"| project_notifications
  project_inventory -->|"invokes"| project_accounts
  project_accounts -.->|"reads outputs of"| project_platform
  project_inventory -.->|"reads outputs of"| project_accounts
  project_inventory -.->|"reads outputs of"| project_platform
  project_notifications -.->|"reads outputs of"| project_accounts
  project_notifications -.->|"reads outputs of"| project_inventory
  project_notifications -.->|"reads outputs of"| project_platform
  subgraph deploy_order["deploy order"]
    direction TB
    step_1["1. platform"]
    step_2["2. accounts"]
    step_3["3. inventory"]
    step_4["4. notifications"]
    step_1 --> step_2
    step_2 --> step_3
    step_3 --> step_4
  end
`
	diff(t, got, want)
}
