// Package local is a Pulumi resource provider that the real Pulumi engine loads as `aws` to
// rehearse a deploy with no AWS account: it answers Check, Diff, Create, Read, Update, Delete
// and Invoke with the offline engine's AWS-shaped answers (platform/plan), decides
// replacements from the Terraform AWS provider's ForceNew facts
// (aws-replace-on-change.json) and keeps what exists in a local "account", a JSON file. It
// emulates the releases of platform/release: the release function's invocations move the
// alias in the account through CodeDeploy-like deployments that the account records
// (release.go).
//
// It is for local rehearsal only. The binary built from cmd/pulumi-resource-aws is put on the
// engine's PATH by Stratum's local mode and never installed where a real deploy could pick
// it up: anything it "creates" exists only in its account file.
package local

import (
	"os"

	"github.com/stratum-platform/stratum/platform/plan"
)

// Version is the version the provider reports: the pulumi-aws SDK version Stratum pins, so
// that the engine takes it for the plugin the programs ask for.
const Version = "6.83.4"

// EnvAccount names the environment variable holding the path of the local account file.
const EnvAccount = "STRATUM_LOCAL_ACCOUNT"

// EnvAccountID names the environment variable holding the account id used in ARNs
// (default plan.DefaultAccount).
const EnvAccountID = "STRATUM_LOCAL_ACCOUNT_ID"

// EnvFaults names the environment variable holding injected faults: a JSON object from URN
// to the message the Create or Update of that URN fails with, or from ReleaseFault(function)
// to the reason the local CodeDeploy deployments of that function roll back with (see
// FaultsValue).
const EnvFaults = "STRATUM_LOCAL_FAULTS"

// Options configures a Provider.
type Options struct {
	// AccountPath is the local account file. Required by the first Create, Read, Update or
	// Delete (previews do not need it).
	AccountPath string
	// AccountID is the account id in ARNs. Default: plan.DefaultAccount.
	AccountID string
	// Faults is the JSON of injected faults, as in EnvFaults. Default: none.
	Faults string
}

// OptionsFromEnv reads the options from EnvAccount, EnvAccountID and EnvFaults.
func OptionsFromEnv() Options {
	return Options{
		AccountPath: os.Getenv(EnvAccount),
		AccountID:   os.Getenv(EnvAccountID),
		Faults:      os.Getenv(EnvFaults),
	}
}

func (o Options) withDefaults() Options {
	if o.AccountID == "" {
		o.AccountID = plan.DefaultAccount
	}
	return o
}
