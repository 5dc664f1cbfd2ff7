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
	const logDelivery = "API Gateway's access logging is a CloudWatch Logs vended delivery: AWS " +
		"authorises the delivery and the account's log resource policy on no resource, and " +
		"the deployer of an HTTP API with access logs needs them."
	const signingKeys = "CloudFront's public keys and key groups (the keys of signed cookies) have no " +
		"resource type in IAM: their actions only work on \"*\". The CI deploy role manages the developer " +
		"portal's."
	const scaling = "Application Auto Scaling describes scalable targets and policies of a " +
		"service namespace, never one resource."
	const edgeConfig = "CloudFront authorises creating origin access controls and response headers " +
		"policies on no resource and with no condition key: they have ids, no tags and no names in their ARNs."
	return []WildcardAction{
		{Action: "acm:RequestCertificate", Reason: "A certificate has no ARN before it exists and ACM authorises the " +
			"request on no resource; the CI deploy role requires DNS validation, the configured domain names " +
			"(acm:DomainNames) and its org and env request tags."},
		{Action: "application-autoscaling:DescribeScalableTargets", Reason: scaling},
		{Action: "application-autoscaling:DescribeScalingPolicies", Reason: scaling},
		{Action: "cloudtrail:DescribeTrails", Reason: "It describes the trails of a region and has no " +
			"resource-level permission; the provider reads a trail through it."},
		{Action: "cloudfront:CreateDistribution", Reason: "A distribution's ARN holds an id CloudFront assigns on " +
			"creation, and the action has no resource-level permission; the CI deploy role requires its org and env " +
			"request tags (aws:RequestTag), which every later change of the distribution is scoped by."},
		{Action: "cloudfront:CreateKeyGroup", Reason: signingKeys},
		{Action: "cloudfront:CreateOriginAccessControl", Reason: edgeConfig},
		{Action: "cloudfront:CreatePublicKey", Reason: signingKeys},
		{Action: "cloudfront:CreateResponseHeadersPolicy", Reason: edgeConfig},
		{Action: "cloudfront:DeleteKeyGroup", Reason: signingKeys},
		{Action: "cloudfront:DeletePublicKey", Reason: signingKeys},
		{Action: "cloudfront:GetKeyGroup", Reason: signingKeys},
		{Action: "cloudfront:GetPublicKey", Reason: signingKeys},
		{Action: "cloudfront:UpdateKeyGroup", Reason: signingKeys},
		{Action: "cloudfront:UpdatePublicKey", Reason: signingKeys},
		{Action: "cloudwatch:PutMetricData", Reason: "Metrics have no ARNs; PutMetricData can only be narrowed by " +
			"a cloudwatch:namespace condition, which callers should add."},
		{Action: "kms:CreateKey", Reason: "A key has no ARN before it exists; the CI deploy role requires its " +
			"org and env request tags (aws:RequestTag), which every later use of the key is scoped by."},
		{Action: "kms:ListAliases", Reason: "It lists the account's alias names and has no resource-level " +
			"permission; the provider reads an alias through it."},
		{Action: "lambda:CreateEventSourceMapping", Reason: "The mapping's ARN is assigned on creation; the CI " +
			"deploy role narrows it with lambda:FunctionArn."},
		{Action: "logs:CreateLogDelivery", Reason: logDelivery},
		{Action: "logs:DeleteLogDelivery", Reason: logDelivery},
		{Action: "logs:DescribeResourcePolicies", Reason: logDelivery},
		{Action: "logs:GetLogDelivery", Reason: logDelivery},
		{Action: "logs:ListLogDeliveries", Reason: logDelivery},
		{Action: "logs:PutResourcePolicy", Reason: logDelivery},
		{Action: "logs:UpdateLogDelivery", Reason: logDelivery},
		{Action: "sts:GetCallerIdentity", Reason: "It needs no permission and has no resource; the CI roles name " +
			"it so that their policies list everything they do."},
		{Action: "xray:GetSamplingRules", Reason: xray},
		{Action: "xray:GetSamplingTargets", Reason: xray},
		{Action: "xray:PutTelemetryRecords", Reason: xray},
		{Action: "xray:PutTraceSegments", Reason: xray},
	}
}

// WildcardResourceReason returns why action may be granted on Resource "*", and whether it
// may: tests of policies that use "*" show the reason beside the statement.
func WildcardResourceReason(action string, extra ...WildcardAction) (string, bool) {
	for _, w := range slices.Concat(BuiltinWildcardActions(), extra) {
		if w.Action == action && ValidateWildcardActions([]WildcardAction{w}) == nil {
			return w.Reason, true
		}
	}
	return "", false
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
