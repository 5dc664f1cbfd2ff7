package stackref_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/stackref"
)

// The accounts context exports an output its contract declares, and the inventory context
// reads it through a typed stack reference. Offline, the reference resolves to the
// producer's plan.
func Example() {
	// Declared by the accounts context's contract package (stacks/accounts/contract).
	eventsTopicArn := contract.NewString("accounts", "eventsTopicArn")

	accounts := func(ctx *pulumi.Context) error {
		events, err := sns.NewTopic(ctx, "events", &sns.TopicArgs{Name: pulumi.String("acme-dev-accounts-events")})
		if err != nil {
			return err
		}
		stackref.ExportString(ctx, eventsTopicArn, events.Arn)
		return nil
	}
	inventory := func(ctx *pulumi.Context) error {
		accountsStack, err := stackref.New(ctx, stackref.StackName("organization/platform/dev", "accounts"))
		if err != nil {
			return err
		}
		topicArn := accountsStack.String(eventsTopicArn) // a pulumi.StringOutput
		stackref.Export(ctx, "subscribedTo", topicArn)
		return nil
	}

	produced, err := plan.Run(plan.Options{Project: "accounts", Stack: "dev"}, accounts)
	if err != nil {
		fmt.Println(err)
		return
	}
	outputs := func(string) (map[string]any, error) { return produced.Outputs, nil }
	consumed, err := plan.Run(plan.Options{Project: "inventory", Stack: "dev", Reference: outputs}, inventory)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(consumed.Outputs["subscribedTo"])
	// Output: arn:aws:sns:eu-west-1:111111111111:acme-dev-accounts-events
}
