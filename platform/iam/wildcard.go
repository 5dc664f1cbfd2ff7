package iam

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// WildcardAction is an entry of the allow-list of actions that may be granted on Resource
// "*" outside key policies: an action AWS offers no resource-level permission for, with the
// reason. The platform's entries are BuiltinWildcardActions; a package outside platform that
// needs another (say ec2:DescribeNetworkInterfaces for functions in a VPC) declares it with
// its reason, and passes it both to the documents that grant it (Document, function.Args)
// and to the policy rules that check the plans (policy.Builtin), so that both read one list.
type WildcardAction struct {
	// Action is the exact "service:Action". Required.
	Action string
	// Reason says why the action cannot be scoped to resources, for reviewers. Required.
	Reason string
}

// BuiltinWildcardActions returns the platform's allow-list. Add an action only when AWS
// offers no resource-level permission for it, and say so.
func BuiltinWildcardActions() []WildcardAction {
	const xray = "X-Ray has no resource-level permissions for sending traces or sampling: the action only " +
		"works on \"*\". Lambda active tracing needs PutTraceSegments and PutTelemetryRecords."
	return []WildcardAction{
		{Action: "cloudwatch:PutMetricData", Reason: "Metrics have no ARNs; PutMetricData can only be narrowed by " +
			"a cloudwatch:namespace condition, which callers should add."},
		{Action: "xray:GetSamplingRules", Reason: xray},
		{Action: "xray:GetSamplingTargets", Reason: xray},
		{Action: "xray:PutTelemetryRecords", Reason: xray},
		{Action: "xray:PutTraceSegments", Reason: xray},
	}
}

// ValidateWildcardActions reports every entry of extra that cannot extend the allow-list
// at once: an action that is not one exact "service:Action", or no written reason.
func ValidateWildcardActions(extra []WildcardAction) error {
	var errs []error
	for i, w := range extra {
		switch {
		case strings.ContainsAny(w.Action, "*?"):
			errs = append(errs, fmt.Errorf("iam: wildcard action %d: %q has a wildcard; allow-list exact actions", i, w.Action))
		case !wellFormedAction(w.Action):
			errs = append(errs, fmt.Errorf("iam: wildcard action %d: %q must look like service:Action ([a-z0-9-]+:[A-Za-z0-9]+)", i, w.Action))
		}
		if strings.TrimSpace(w.Reason) == "" {
			errs = append(errs, fmt.Errorf("iam: wildcard action %d (%s): reason is required: say why AWS offers no resource-level permission for it", i, w.Action))
		}
	}
	return errors.Join(errs...)
}

// WildcardResourceAllowed reports whether action may be granted on Resource "*": it is on
// the built-in allow-list or a valid entry of extra. An invalid entry never allows
// anything. The policy rules that read plans use it, so the platform has one list.
func WildcardResourceAllowed(action string, extra ...WildcardAction) bool {
	for _, w := range slices.Concat(BuiltinWildcardActions(), extra) {
		if w.Action == action && ValidateWildcardActions([]WildcardAction{w}) == nil {
			return true
		}
	}
	return false
}

// wildcardProblem explains why a statement may not use Resource "*", or returns nil when
// every action is allow-listed.
func wildcardProblem(label string, actions []string, extra []WildcardAction) error {
	var refused []string
	for _, a := range actions {
		if !WildcardResourceAllowed(a, extra...) {
			refused = append(refused, a)
		}
	}
	if len(refused) == 0 {
		return nil
	}
	slices.Sort(refused)
	refused = slices.Compact(refused)
	return fmt.Errorf("iam: %s: resource \"*\" is not allowed for %s; scope the statement to resource ARNs",
		label, strings.Join(refused, ", "))
}
