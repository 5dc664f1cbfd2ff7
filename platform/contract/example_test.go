package contract_test

import (
	"fmt"

	"github.com/stratum-platform/stratum/platform/contract"
)

// A context's contract package declares each output of its stack once, bound to its
// project. These are the accounts context's declarations, as stacks/accounts/contract makes
// them at package level.
func Example() {
	// Project is the accounts context's Pulumi project name.
	const Project = "accounts"

	// EventsTopicArn is the topic AccountConnected and AccountDisconnected are published on.
	var EventsTopicArn = contract.NewString(Project, "eventsTopicArn")

	fmt.Println(EventsTopicArn.Project(), EventsTopicArn.Name())
	// Output: accounts eventsTopicArn
}
