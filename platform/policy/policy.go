// Package policy holds the compliance rules every offline plan is evaluated against: the
// defaults of docs/design.md section 4 stated as checks on the recorded inputs, so that a
// context that loses one (through an Overrides hook, a hand-written resource or a component
// bug) is stopped in review rather than in production.
//
// Default settings: Evaluate runs the rules it is given, usually Builtin() and the rules of
// the extensions a registry uses (a Rule is a value any package can declare). Builtin's
// error findings fail the plan:
//   - security: encryption-at-rest, tls-only, iam-no-wildcards, iam-no-aws-managed-policies,
//     iam-role-boundary, function-own-role, lambda-permission-source, oidc-trust-pinned,
//     secret-baseline, key-policy-separation, portal-distribution, audit-trail (exactly one per environment, the
//     platform's), log-pipeline-encryption (the platform key);
//   - reliability: queue-dead-letter, async-dead-letter, table-point-in-time-recovery,
//     stateful-protection (tables, keys, secrets, dead-letter queues and log groups in prod, or
//     wherever the plan protects any);
//   - operations: alarm-coverage, alarm-actions, log-retention, log-subscription (every log
//     group to the platform's log destination), required-tags, function-arm64.
//
// Warning findings are reported: function-on-failure (asynchronous callers may be outside
// the plan), route-authorization (a public route looks like one that lost its authorizer)
// and policy-coverage, once for every AWS type of the plan that no rule covers (Rule.Types),
// so that a type nobody has reviewed is never passed in silence. A finding is silenced only
// by a Suppression that names its rule and resource and says why; a suppression that no
// longer matches a finding is an error, so stale exceptions do not pile up.
//
// Rules read only the plan: resource types, the inputs under their Pulumi property names,
// the outputs the offline engine answered and the resource options. They know no component
// and no context.
package policy

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
)

// Severity says whether a finding fails the plan.
type Severity string

// Severities of rules.
const (
	// Error findings fail the plan unless suppressed.
	Error Severity = "error"
	// Warning findings are reported and never fail the plan.
	Warning Severity = "warning"
)

// Rule is one compliance rule.
type Rule struct {
	// ID names the rule in findings and suppressions; stable, lowercase, dash-separated.
	ID string
	// Severity applies to every violation of the rule.
	Severity Severity
	// Rationale says what the rule protects against, for reviewers and for the reason of a
	// suppression.
	Rationale string
	// Types are the resource types (Pulumi type tokens) whose settings the rule checks. An
	// AWS type of a plan that no rule lists gets a policy-coverage warning.
	Types []string
	// Check returns the rule's violations in p. It must not modify p.
	Check func(p *plan.Plan) []Violation
}

// Violation is one resource breaking a rule.
type Violation struct {
	// URN is the resource that breaks the rule.
	URN string
	// Message says what is wrong and what to do instead.
	Message string
}

// Suppression accepts the findings of one rule on one resource, for a written reason.
type Suppression struct {
	// Rule is the ID of the rule. Required.
	Rule string
	// URN is the resource whose findings are accepted. Required: a rule is never silenced
	// for a whole plan, so a new resource breaking it is still reported.
	URN string
	// Reason says why the finding is acceptable; it is recorded in the finding. Required.
	Reason string
}

// Coverage is the ID of the warning Evaluate reports for an AWS type of a plan that no
// rule covers.
const Coverage = "policy-coverage"

// Builtin returns the platform's rules, sorted by ID. extra extends the allow-list of
// actions that iam-no-wildcards accepts on Resource "*" (iam.BuiltinWildcardActions): pass
// the entries the plans' programs give their documents, so that both read one list.
func Builtin(extra ...iam.WildcardAction) []Rule {
	rules := []Rule{
		alarmActions(),
		alarmCoverage(),
		apiFromDefinition(),
		asyncDeadLetter(),
		customDomainTLS(),
		portalDistribution(),
		auditTrail(),
		encryptionAtRest(),
		functionArm64(),
		functionOnFailure(),
		functionRelease(),
		functionOwnRole(),
		iamNoAWSManagedPolicies(),
		iamNoWildcards(extra),
		iamRoleBoundary(),
		keyPolicySeparation(),
		lambdaPermissionSource(),
		logPipelineEncryption(),
		logRetention(),
		logSubscription(),
		observeReviewed(),
		oidcTrust(),
		queueDeadLetter(),
		releaseRollback(),
		requiredTags(),
		reviewedTypes(),
		routeAuthorization(),
		secretBaseline(),
		statefulProtection(),
		tablePointInTimeRecovery(),
		tlsOnly(),
	}
	slices.SortFunc(rules, func(a, b Rule) int { return strings.Compare(a.ID, b.ID) })
	return rules
}

// Reviewed returns a rule that checks nothing and covers types: for AWS types whose
// resources hold no setting a rule could check (a name that points at another resource, a
// dashboard), so that they are not reported by the policy-coverage warning. The rationale
// is the review: it says why each type needs no check.
func Reviewed(id, rationale string, types ...string) Rule {
	return Rule{ID: id, Severity: Warning, Rationale: rationale, Types: types,
		Check: func(*plan.Plan) []Violation { return nil }}
}

// Evaluate runs rules over p and replaces p.Findings with the result, sorted by rule, URN
// and message, with one policy-coverage warning for each AWS type of p that no rule covers.
// Findings matched by a suppression keep their severity and record the suppression's
// reason in Suppressed.
//
// Invalid rules are an error and nothing is evaluated. An invalid suppression (unknown
// rule, no URN, no reason, a duplicate, or one that matches no finding) is an error; every
// valid suppression is still applied, so p.Findings is complete either way.
func Evaluate(p *plan.Plan, rules []Rule, suppressions ...Suppression) error {
	if p == nil {
		return errors.New("policy: no plan to evaluate")
	}
	if err := validateRules(rules); err != nil {
		return err
	}
	findings := []plan.Finding{}
	for _, r := range rules {
		for _, v := range r.Check(p) {
			findings = append(findings, plan.Finding{
				Rule: r.ID, Severity: string(r.Severity), URN: v.URN, Message: v.Message,
			})
		}
	}
	findings = append(findings, uncovered(p, rules)...)
	slices.SortFunc(findings, func(a, b plan.Finding) int {
		return cmp.Or(strings.Compare(a.Rule, b.Rule), strings.Compare(a.URN, b.URN),
			strings.Compare(a.Message, b.Message))
	})
	findings = slices.Compact(findings)
	err := suppress(findings, suppressions, rules)
	p.Findings = findings
	return err
}

// HasErrors reports whether p has an error finding that is not suppressed.
func HasErrors(p *plan.Plan) bool {
	return slices.ContainsFunc(p.Findings, func(f plan.Finding) bool {
		return f.Severity == string(Error) && f.Suppressed == ""
	})
}

// suppress records the reason of every valid suppression in the findings it matches and
// reports every invalid one.
func suppress(findings []plan.Finding, suppressions []Suppression, rules []Rule) error {
	known := map[string]bool{Coverage: true}
	for _, r := range rules {
		known[r.ID] = true
	}
	seen := map[[2]string]int{}
	var errs []error
	for i, s := range suppressions {
		fail := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("policy: suppression %d (rule %q, urn %q): %s",
				i, s.Rule, s.URN, fmt.Sprintf(format, args...)))
		}
		switch {
		case !known[s.Rule]:
			fail("unknown rule; the rules are %s", strings.Join(slices.Sorted(slices.Values(append(ids(rules), Coverage))), ", "))
			continue
		case s.URN == "":
			fail("urn is required: a rule is suppressed for one resource, never a whole plan")
			continue
		case strings.TrimSpace(s.Reason) == "":
			fail("reason is required: say why the finding is acceptable")
			continue
		}
		key := [2]string{s.Rule, s.URN}
		if first, dup := seen[key]; dup {
			fail("duplicates suppression %d", first)
			continue
		}
		seen[key] = i
		matched := false
		for j := range findings {
			if findings[j].Rule == s.Rule && findings[j].URN == s.URN {
				findings[j].Suppressed = s.Reason
				matched = true
			}
		}
		if !matched {
			fail("matches no finding; the resource complies or is gone, so remove the suppression")
		}
	}
	return errors.Join(errs...)
}

func ids(rules []Rule) []string {
	out := make([]string, len(rules))
	for i, r := range rules {
		out[i] = r.ID
	}
	return out
}
