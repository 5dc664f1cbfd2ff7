package release

import (
	"fmt"
	"strconv"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

// DefaultKeepVersions is how many published versions the release function keeps besides the
// ones the alias uses when a Request does not say: enough to roll back by hand a few
// releases, few enough that the code storage of a busy function stays small.
const DefaultKeepVersions = 5

// Request is the input of the release function: the JSON that the deploy's
// aws.lambda.Invocation sends. The invocation runs again whenever its input changes, which is
// why TargetVersion and Nonce are in it: a new version, or a new nonce to retry.
type Request struct {
	// FunctionName is the name of the released function. Required.
	FunctionName string `json:"functionName"`
	// Alias is the alias CodeDeploy shifts, `live` in Stratum. Required.
	Alias string `json:"alias"`
	// TargetVersion is the published version to release, a number. Required.
	TargetVersion string `json:"targetVersion"`
	// Application is the CodeDeploy application (Lambda compute platform). Required.
	Application string `json:"application"`
	// DeploymentGroup is the function's deployment group in Application. Required.
	DeploymentGroup string `json:"deploymentGroup"`
	// BeforeAllowTraffic names the function CodeDeploy invokes before shifting any traffic.
	// Default: none.
	BeforeAllowTraffic string `json:"beforeAllowTraffic,omitempty"`
	// AfterAllowTraffic names the function CodeDeploy invokes once all traffic is shifted.
	// Default: none.
	AfterAllowTraffic string `json:"afterAllowTraffic,omitempty"`
	// Nonce changes to run the invocation again with the same target, as a retry. It is only
	// logged. Default: none.
	Nonce string `json:"nonce,omitempty"`
	// KeepVersions is how many published versions to keep besides the alias's current and
	// target versions; 0 means DefaultKeepVersions. Default: DefaultKeepVersions.
	KeepVersions int `json:"keepVersions,omitempty"`
}

// Validate reports every invalid field of r at once, as a *lambdakit.ValidationError keyed by
// the JSON names.
func (r Request) Validate() error {
	fields := map[string]string{}
	required := func(name, value string) bool {
		if value == "" {
			fields[name] = "is required"
			return false
		}
		return true
	}
	if required("functionName", r.FunctionName) && !isName(r.FunctionName, 64) {
		fields["functionName"] = fmt.Sprintf("must be a function name (letters, digits, - and _, up to 64), got %q", r.FunctionName)
	}
	if required("alias", r.Alias) && (!isName(r.Alias, 128) || isVersion(r.Alias)) {
		fields["alias"] = fmt.Sprintf("must be an alias name (letters, digits, - and _, not only digits), got %q", r.Alias)
	}
	if required("targetVersion", r.TargetVersion) && !isVersion(r.TargetVersion) {
		fields["targetVersion"] = fmt.Sprintf("must be a published version number such as \"7\" ($LATEST cannot be released), got %q", r.TargetVersion)
	}
	required("application", r.Application)
	required("deploymentGroup", r.DeploymentGroup)
	for name, hook := range map[string]string{"beforeAllowTraffic": r.BeforeAllowTraffic, "afterAllowTraffic": r.AfterAllowTraffic} {
		if hook != "" && !isName(hook, 64) {
			fields[name] = fmt.Sprintf("must be a function name (letters, digits, - and _, up to 64), got %q", hook)
		}
	}
	if r.KeepVersions < 0 {
		fields["keepVersions"] = fmt.Sprintf("must be 0 (the default, %d) or more, got %d", DefaultKeepVersions, r.KeepVersions)
	}
	if len(fields) > 0 {
		return &lambdakit.ValidationError{Fields: fields}
	}
	return nil
}

// Keep returns how many published versions to keep besides the alias's: KeepVersions, or
// DefaultKeepVersions when it is 0.
func (r Request) Keep() int {
	if r.KeepVersions == 0 {
		return DefaultKeepVersions
	}
	return r.KeepVersions
}

// Response is what the release function answers, as JSON; the deploy exports DeploymentID
// so that `stratum release wait` can follow it.
type Response struct {
	// DeploymentID is the deployment that releases the target: the one created, or the one
	// already in flight with the same target. Empty when nothing needs releasing.
	DeploymentID string `json:"deploymentId,omitempty"`
	// Skipped is true when no deployment was created.
	Skipped bool `json:"skipped"`
	// Reason says what was done, or why nothing was.
	Reason string `json:"reason"`
	// Stopped lists the in-flight deployments this release superseded and stopped.
	Stopped []string `json:"stopped,omitempty"`
	// Pruned lists the versions deleted because they were older than the versions kept.
	Pruned []string `json:"pruned,omitempty"`
	// PruneError says why pruning failed. Pruning is housekeeping that the next release
	// retries, so it fails neither the release nor the deploy.
	PruneError string `json:"pruneError,omitempty"`
}

// isName reports whether s is a Lambda function or alias name of up to max characters:
// letters, digits, - and _. Names, not ARNs, because they go into AppSpec content as names.
func isName(s string, maxLen int) bool {
	if s == "" || len(s) > maxLen {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// isVersion reports whether s is a published version number: digits, no sign, not zero.
func isVersion(s string) bool {
	n, err := strconv.ParseUint(s, 10, 64)
	return err == nil && n > 0 && strconv.FormatUint(n, 10) == s
}

// VersionNumber returns the number of published version s, and false for $LATEST or anything
// that is not a version number.
func VersionNumber(s string) (uint64, bool) {
	if !isVersion(s) {
		return 0, false
	}
	n, _ := strconv.ParseUint(s, 10, 64)
	return n, true
}
