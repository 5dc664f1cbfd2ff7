package iam

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Version is the policy language version of every rendered document.
const Version = "2012-10-17"

// Document validates the statements and returns the policy document as JSON. Static
// problems are returned at once; problems with resolved values (Resource "*" outside the
// allow-list, an empty ARN, an unconditioned public principal) fail the output. During a
// preview with unknown values the output stays unknown and those checks run at deployment,
// which is why literal "*" resources are also checked here, before any output resolves.
//
// Resource "*" is allowed for the actions of the built-in allow-list
// (BuiltinWildcardActions) and of extra, the entries a package outside platform adds with
// its reasons; an invalid entry is an error.
func Document(stmts Statements, extra ...WildcardAction) (pulumi.StringOutput, error) {
	return build(stmts, false, extra)
}

// KeyPolicy is Document for KMS key policies, where Resource "*" means "this key" and is
// therefore allowed for any action. Every statement of a key policy needs principals.
func KeyPolicy(stmts Statements) (pulumi.StringOutput, error) {
	return build(stmts, true, nil)
}

func build(stmts Statements, keyPolicy bool, extra []WildcardAction) (pulumi.StringOutput, error) {
	err := stmts.Validate()
	switch {
	case err != nil:
	case keyPolicy:
		err = missingPrincipals(stmts)
	default:
		err = literalWildcards(stmts, extra)
	}
	if err := errors.Join(ValidateWildcardActions(extra), err); err != nil {
		return pulumi.StringOutput{}, err
	}
	extra = slices.Clone(extra)
	// The caller may reuse its slices after this call; the apply runs later.
	snapshot := stmts.clone()
	out := pulumi.All(snapshot.inputs()...).ApplyT(func(vals []any) (string, error) {
		strs := make([]string, len(vals))
		for i, v := range vals {
			s, ok := v.(string)
			if !ok {
				return "", fmt.Errorf("iam: input %d resolved to %T, not a string", i, v)
			}
			strs[i] = s
		}
		return render(snapshot.resolve(strs), keyPolicy, extra)
	})
	return out.(pulumi.StringOutput), nil
}

// literalWildcards finds Resource "*" written as a literal, so the mistake is reported when
// the program runs, not only when the output resolves.
func literalWildcards(stmts Statements, extra []WildcardAction) error {
	var errs []error
	for i, st := range stmts {
		for _, r := range st.Resources {
			if lit, ok := r.(pulumi.String); ok && lit == "*" {
				errs = append(errs, wildcardProblem(st.label(i), st.Actions, extra))
				break
			}
		}
	}
	return errors.Join(errs...)
}

// missingPrincipals reports key policy statements without principals, which KMS rejects:
// a key policy is a resource policy and must say who it applies to.
func missingPrincipals(stmts Statements) error {
	var errs []error
	for i, st := range stmts {
		if len(st.Principals) == 0 {
			errs = append(errs, fmt.Errorf("iam: %s: has no principals; every key policy statement needs them", st.label(i)))
		}
	}
	return errors.Join(errs...)
}

func (s Statements) clone() Statements {
	out := make(Statements, len(s))
	for i, st := range s {
		st.Actions = slices.Clone(st.Actions)
		st.Resources = slices.Clone(st.Resources)
		st.Principals = slices.Clone(st.Principals)
		for j := range st.Principals {
			st.Principals[j].Identifiers = slices.Clone(st.Principals[j].Identifiers)
		}
		st.Conditions = slices.Clone(st.Conditions)
		for j := range st.Conditions {
			st.Conditions[j].Values = slices.Clone(st.Conditions[j].Values)
		}
		out[i] = st
	}
	return out
}

// inputs lists every input of the statements in the order resolve consumes them.
func (s Statements) inputs() []any {
	var in []any
	for _, st := range s {
		for _, p := range st.Principals {
			for _, id := range p.Identifiers {
				in = append(in, id)
			}
		}
		for _, r := range st.Resources {
			in = append(in, r)
		}
		for _, c := range st.Conditions {
			for _, v := range c.Values {
				in = append(in, v)
			}
		}
	}
	return in
}

// resolve rebuilds the statements with the resolved values of their inputs, in the order
// of inputs.
func (s Statements) resolve(vals []string) []ParsedStatement {
	next := func(n int) []string {
		taken := vals[:n:n]
		vals = vals[n:]
		return taken
	}
	out := make([]ParsedStatement, len(s))
	for i, st := range s {
		ps := ParsedStatement{Sid: st.Sid, Effect: string(st.effect()), Action: slices.Clone(st.Actions)}
		for _, p := range st.Principals {
			if ps.Principal == nil {
				ps.Principal = map[string][]string{}
			}
			ps.Principal[p.Type] = append(ps.Principal[p.Type], next(len(p.Identifiers))...)
		}
		ps.Resource = next(len(st.Resources))
		for _, c := range st.Conditions {
			if ps.Condition == nil {
				ps.Condition = map[string]map[string][]string{}
			}
			if ps.Condition[c.Test] == nil {
				ps.Condition[c.Test] = map[string][]string{}
			}
			ps.Condition[c.Test][c.Variable] = next(len(c.Values))
		}
		out[i] = ps
	}
	return out
}

// jsonDocument and jsonStatement fix the key order of rendered documents; encoding/json
// sorts map keys, so Principal and Condition are stable too.
type jsonDocument struct {
	Version   string          `json:"Version"`
	Statement []jsonStatement `json:"Statement"`
}

type jsonStatement struct {
	Sid       string                         `json:"Sid,omitempty"`
	Effect    string                         `json:"Effect"`
	Principal map[string][]string            `json:"Principal,omitempty"`
	Action    []string                       `json:"Action"`
	Resource  []string                       `json:"Resource,omitempty"`
	Condition map[string]map[string][]string `json:"Condition,omitempty"`
}

// render checks resolved statements and renders them as a deterministic policy document:
// lists sorted, de-duplicated and always lists, no HTML escaping, no trailing newline.
// keyPolicy permits Resource "*" for any action, extra for its actions.
func render(stmts []ParsedStatement, keyPolicy bool, extra []WildcardAction) (string, error) {
	doc := jsonDocument{Version: Version, Statement: make([]jsonStatement, len(stmts))}
	var errs []error
	for i, st := range stmts {
		label := st.label(i)
		js := jsonStatement{
			Sid:      st.Sid,
			Effect:   st.Effect,
			Action:   normalise(st.Action),
			Resource: normalise(st.Resource),
		}
		if len(st.Principal) > 0 {
			js.Principal = make(map[string][]string, len(st.Principal))
			for typ, ids := range st.Principal {
				js.Principal[typ] = normalise(ids)
			}
		}
		if len(st.Condition) > 0 {
			js.Condition = make(map[string]map[string][]string, len(st.Condition))
			for test, vars := range st.Condition {
				js.Condition[test] = make(map[string][]string, len(vars))
				for v, vals := range vars {
					js.Condition[test][v] = normalise(vals)
				}
			}
		}
		errs = append(errs, js.check(label, keyPolicy, extra)...)
		doc.Statement[i] = js
	}
	if err := errors.Join(errs...); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// ARNs and conditions may contain "&" or "<"; escaping them would make the policy
	// harder to read in plans and differ from what AWS shows.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return "", fmt.Errorf("iam: render: %w", err)
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

// check reports the problems only visible once values are resolved.
func (js jsonStatement) check(label string, keyPolicy bool, extra []WildcardAction) []error {
	var errs []error
	if slices.Contains(js.Resource, "") {
		errs = append(errs, fmt.Errorf("iam: %s: a resource is empty; an ARN did not resolve", label))
	}
	for _, typ := range slices.Sorted(maps.Keys(js.Principal)) {
		if slices.Contains(js.Principal[typ], "") {
			errs = append(errs, fmt.Errorf("iam: %s: a %s principal is empty", label, typ))
		}
	}
	if !keyPolicy && slices.Contains(js.Resource, "*") {
		if err := wildcardProblem(label, js.Action, extra); err != nil {
			errs = append(errs, err)
		}
	}
	// A Deny for everyone is how TLS-only policies are written; only an Allow is public.
	if js.Effect == string(Allow) && slices.Contains(js.Principal[PrincipalAWS], "*") && len(js.Condition) == 0 {
		errs = append(errs, fmt.Errorf("iam: %s: principal \"*\" allows anyone; add a condition such as aws:SourceAccount", label))
	}
	return errs
}

// normalise sorts and de-duplicates a list; an empty list becomes nil.
func normalise(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	out := slices.Clone(list)
	slices.Sort(out)
	return slices.Compact(out)
}
