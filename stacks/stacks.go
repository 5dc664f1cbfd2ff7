// Package stacks is the registry of every Pulumi project in the repository: its name, its
// directory (relative to the repository root) and its program. Tools import it to plan, graph
// and order every project in one process; a project's own `main` imports only its program.
package stacks

import (
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/extensions/bucket"
	"github.com/stratum-platform/stratum/extensions/provisioned"
	"github.com/stratum-platform/stratum/platform/policy"
	"github.com/stratum-platform/stratum/stacks/accounts"
	"github.com/stratum-platform/stratum/stacks/bootstrap"
	"github.com/stratum-platform/stratum/stacks/inventory"
	"github.com/stratum-platform/stratum/stacks/notifications"
	"github.com/stratum-platform/stratum/stacks/platform"
)

// Project is one Pulumi project.
type Project struct {
	// Name is the project name in its Pulumi.yaml.
	Name string
	// Dir is the directory holding its Pulumi.yaml, relative to the repository root.
	Dir string
	// Program is what `pulumi up` runs for it.
	Program pulumi.RunFunc
	// Suppressions silence policy findings of its plans, each with a written reason that
	// the plan records. Reviewed like code, because they are code.
	Suppressions []policy.Suppression
}

// Rules returns the policy rules every project's plans are checked against: the platform's
// (policy.Builtin) and those of the extensions the projects use, so that a plan with a
// bucket is held to the bucket's rules wherever it comes from.
func Rules() []policy.Rule {
	return slices.Concat(policy.Builtin(), bucket.Rules(), provisioned.Rules())
}

// All returns every project in deploy order: the platform first, then each context after
// the contexts it references.
func All() []Project {
	return []Project{
		{Name: "platform", Dir: ".", Program: platform.Program},
		{Name: "accounts", Dir: "stacks/accounts", Program: accounts.Program},
		{Name: "inventory", Dir: "stacks/inventory", Program: inventory.Program},
		{Name: "notifications", Dir: "stacks/notifications", Program: notifications.Program},
	}
}

// Bootstrap returns the state backend project: once per AWS account, with local state, by an
// administrator (README, State backend). It is in no environment and so not in All: no
// `stratum` command plans, orders or deploys it.
func Bootstrap() Project {
	const key, bucket = "urn:pulumi:" + bootstrap.Stack + "::bootstrap::aws:kms/key:Key::state",
		"urn:pulumi:" + bootstrap.Stack + "::bootstrap::aws:s3/bucketV2:BucketV2::state"
	const noEnv = "the state backend belongs to every environment of the account, and the CI roles act on " +
		"resources by their environment's env tag: an env tag would put it in one environment's reach"
	return Project{
		Name: "bootstrap", Dir: "stacks/bootstrap", Program: bootstrap.Program,
		Suppressions: []policy.Suppression{
			{Rule: "required-tags", URN: key, Reason: noEnv},
			{Rule: "required-tags", URN: bucket, Reason: noEnv},
			{Rule: "s3-bucket-alarm", URN: bucket, Reason: "no alarm topic exists before the platform stacks, which " +
				"need this bucket first; only the Pulumi CLI writes it, and it reports a failed write itself"},
		},
	}
}
