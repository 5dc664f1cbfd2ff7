// Package policy holds the compliance rules every offline plan is evaluated against: the
// defaults of docs/design.md section 4 stated as checks on the recorded inputs, so that a
// context that loses one (through an Overrides hook, a hand-written resource or a component
// bug) is stopped in review rather than in production.
//
// Default settings: every rule of Rules runs on every plan. Error findings fail the plan:
//   - security: encryption-at-rest, tls-only, iam-no-wildcards, iam-no-aws-managed-policies,
//     function-own-role;
//   - reliability: queue-dead-letter, async-dead-letter, table-point-in-time-recovery,
//     stateful-protection (tables and keys in prod, or wherever the plan protects any);
//   - operations: alarm-coverage, alarm-actions, log-retention, required-tags, function-arm64.
//
// Warning findings are reported: function-on-failure (asynchronous callers may be outside
// the plan) and route-authorization (a public route looks like one that lost its authorizer). A finding is silenced only by a Suppression that names
// its rule and resource and says why; a suppression that no longer matches a finding is an
// error, so stale exceptions do not pile up.
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

// Rules returns every rule, sorted by ID.
func Rules() []Rule {
	rules := []Rule{
		alarmActions(),
		alarmCoverage(),
		asyncDeadLetter(),
		encryptionAtRest(),
		functionArm64(),
		functionOnFailure(),
		functionOwnRole(),
		iamNoAWSManagedPolicies(),
		iamNoWildcards(),
		logRetention(),
		queueDeadLetter(),
		requiredTags(),
		routeAuthorization(),
		statefulProtection(),
		tablePointInTimeRecovery(),
		tlsOnly(),
	}
	slices.SortFunc(rules, func(a, b Rule) int { return strings.Compare(a.ID, b.ID) })
	return rules
}

// Evaluate runs every rule over p and replaces p.Findings with the result, sorted by rule,
// URN and message. Findings matched by a suppression keep their severity and record the
// suppression's reason in Suppressed.
//
// An invalid suppression (unknown rule, no URN, no reason, a duplicate, or one that
// matches no finding) is an error; every valid suppression is still applied, so p.Findings
// is complete either way.
func Evaluate(p *plan.Plan, suppressions []Suppression) error {
	if p == nil {
		return errors.New("policy: no plan to evaluate")
	}
	rules := Rules()
	findings := []plan.Finding{}
	for _, r := range rules {
		for _, v := range r.Check(p) {
			findings = append(findings, plan.Finding{
				Rule: r.ID, Severity: string(r.Severity), URN: v.URN, Message: v.Message,
			})
		}
	}
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
	known := make(map[string]bool, len(rules))
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
			fail("unknown rule; the rules are %s", strings.Join(ids(rules), ", "))
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
