package iam

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Effect is the effect of a statement.
type Effect string

// Effects a statement may have. The empty Effect means Allow.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Principal types a statement may name.
const (
	PrincipalService   = "Service"
	PrincipalAWS       = "AWS"
	PrincipalFederated = "Federated"
)

// Principal is who a resource or trust policy statement applies to.
type Principal struct {
	// Type is PrincipalService, PrincipalAWS or PrincipalFederated.
	Type string
	// Identifiers are service principals, account or role ARNs, or identity providers.
	Identifiers []pulumi.StringInput
}

// Condition narrows a statement, for example {Test: "StringEquals", Variable:
// "aws:SourceAccount", Values: account}. The values of one condition are alternatives.
type Condition struct {
	Test     string
	Variable string
	Values   []pulumi.StringInput
}

// Statement is one statement of a policy document.
type Statement struct {
	// Sid names the statement in messages and in the console; [A-Za-z0-9]*, unique.
	Sid string
	// Effect is Allow or Deny; empty means Allow.
	Effect Effect
	// Principals are set in resource and trust policies, never in identity policies.
	Principals []Principal
	// Actions are exact "service:Action" names.
	Actions []string
	// Resources are ARNs; empty only in trust statements.
	Resources []pulumi.StringInput
	// Conditions all have to hold for the statement to apply.
	Conditions []Condition
	// Err, when set, says why the grant that returned the statement could not grant what
	// its caller asked for (an operation the resource does not support, say). Grants
	// cannot fail where they are called, so they carry their mistakes here, and Validate
	// reports them with every other problem where the statements are used: the grantee's
	// Args. A statement with Err has nothing else worth checking.
	Err error
}

// Statements is a list of statements: what a grant returns and a document is built from.
type Statements []Statement

// Validate reports every static problem of the statements at once, each naming the
// statement by index and Sid. Values of outputs are checked when the document is rendered.
func (s Statements) Validate() error {
	if len(s) == 0 {
		return errors.New("iam: no statements")
	}
	var errs []error
	sids := map[string]int{}
	for i, st := range s {
		label := st.label(i)
		if st.Sid != "" {
			if first, dup := sids[st.Sid]; dup {
				errs = append(errs, fmt.Errorf("iam: %s: sid is also used by statement %d; sids must be unique", label, first))
			} else {
				sids[st.Sid] = i
			}
		}
		if st.Err != nil {
			errs = append(errs, fmt.Errorf("iam: %s: %w", label, st.Err))
			continue
		}
		errs = append(errs, st.validate(label)...)
	}
	return errors.Join(errs...)
}

func (st Statement) label(i int) string {
	if st.Sid == "" {
		return fmt.Sprintf("statement %d", i)
	}
	return fmt.Sprintf("statement %d (%q)", i, st.Sid)
}

func (st Statement) effect() Effect {
	if st.Effect == "" {
		return Allow
	}
	return st.Effect
}

func (st Statement) validate(label string) []error {
	var errs []error
	// label holds caller text (the Sid), so it is an argument, never part of the format.
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("iam: %s: "+format, append([]any{label}, args...)...))
	}
	if !alphanumeric(st.Sid) {
		fail("sid must match [A-Za-z0-9]*")
	}
	effect := st.effect()
	if effect != Allow && effect != Deny {
		fail("effect %q is invalid; use Allow or Deny", st.Effect)
	}
	if len(st.Actions) == 0 {
		fail("has no actions")
	}
	for _, a := range st.Actions {
		// Deny statements list exact actions too: one rule is easier to review and to
		// check in plans than a rule with exceptions.
		switch {
		case strings.ContainsAny(a, "*?"):
			fail("action %q has a wildcard; grant exact actions", a)
		case !wellFormedAction(a):
			fail("action %q must look like service:Action ([a-z0-9-]+:[A-Za-z0-9]+)", a)
		}
	}
	for j, p := range st.Principals {
		switch p.Type {
		case PrincipalService, PrincipalAWS, PrincipalFederated:
		default:
			fail("principal %d type %q is invalid; use Service, AWS or Federated", j, p.Type)
		}
		if len(p.Identifiers) == 0 {
			fail("principal %d (%s) has no identifiers", j, p.Type)
		}
		for k, id := range p.Identifiers {
			if id == nil {
				fail("principal %d (%s) identifier %d is nil", j, p.Type, k)
			}
		}
	}
	if len(st.Resources) == 0 && !st.isTrust() {
		fail("has no resources; only sts:AssumeRole statements with principals may omit them")
	}
	for j, r := range st.Resources {
		if r == nil {
			fail("resource %d is nil", j)
		}
	}
	errs = append(errs, st.validateConditions(label)...)
	return errs
}

func (st Statement) validateConditions(label string) []error {
	var errs []error
	seen := map[[2]string]int{}
	for j, c := range st.Conditions {
		name := fmt.Sprintf("condition %d (%s %s)", j, c.Test, c.Variable)
		fail := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("iam: %s: %s: "+format, append([]any{label, name}, args...)...))
		}
		if c.Test == "" || c.Variable == "" {
			fail("needs both a test (such as StringEquals) and a variable (such as aws:SourceArn)")
		}
		if len(c.Values) == 0 {
			fail("has no values")
		}
		for k, v := range c.Values {
			if v == nil {
				fail("value %d is nil", k)
			}
		}
		// JSON cannot hold the key twice; merging the values would OR them and widen the grant.
		key := [2]string{c.Test, c.Variable}
		if first, dup := seen[key]; dup {
			fail("repeats condition %d; put all values in one condition", first)
		} else {
			seen[key] = j
		}
	}
	return errs
}

// isTrust reports whether st is a role trust statement, the one kind of statement AWS
// requires to have no Resource.
func (st Statement) isTrust() bool {
	if len(st.Principals) == 0 || len(st.Actions) == 0 {
		return false
	}
	for _, a := range st.Actions {
		if !strings.HasPrefix(a, "sts:AssumeRole") {
			return false
		}
	}
	return true
}

// wellFormedAction checks "service:Action".
func wellFormedAction(a string) bool {
	service, name, ok := strings.Cut(a, ":")
	if !ok || service == "" || name == "" {
		return false
	}
	for _, c := range service {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	for _, c := range name {
		if !isAlnum(c) {
			return false
		}
	}
	return true
}

func alphanumeric(s string) bool {
	for _, c := range s {
		if !isAlnum(c) {
			return false
		}
	}
	return true
}

func isAlnum(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
