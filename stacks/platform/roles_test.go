package platform_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
)

// access is what a plan says one role (or the boundary) may do: the actions of its Allow and
// Deny statements with their resources, and the conditions of every statement by Sid.
type access struct {
	allow, deny map[string][]string
	conditions  map[string]map[string]map[string][]string
	statements  []iam.ParsedStatement
	documents   []string
}

// roleAccess reads the managed policies attached to the role with logical name logical.
func roleAccess(t *testing.T, p *plan.Plan, logical string) access {
	t.Helper()
	role, err := p.Get("aws:iam/role:Role", logical)
	require.NoError(t, err)
	arns, ok := role.Inputs["managedPolicyArns"].([]any)
	require.True(t, ok, "role %s has managed policies", logical)
	var docs []string
	for _, arn := range arns {
		found := false
		for _, r := range p.Resources {
			if r.Type == "aws:iam/policy:Policy" && r.Outputs["arn"] == arn {
				docs = append(docs, r.String("policy"))
				found = true
			}
		}
		require.True(t, found, "policy %v of role %s is in the plan", arn, logical)
	}
	return parseAccess(t, docs...)
}

// policyAccess reads the managed policy with logical name logical.
func policyAccess(t *testing.T, p *plan.Plan, logical string) access {
	t.Helper()
	r, err := p.Get("aws:iam/policy:Policy", logical)
	require.NoError(t, err)
	return parseAccess(t, r.String("policy"))
}

func parseAccess(t *testing.T, docs ...string) access {
	t.Helper()
	a := access{allow: map[string][]string{}, deny: map[string][]string{},
		conditions: map[string]map[string]map[string][]string{}, documents: docs}
	for _, d := range docs {
		doc, err := iam.Parse(d)
		require.NoError(t, err)
		for _, st := range doc.Statement {
			require.NotEmpty(t, st.Sid, "every statement is named")
			require.NotContains(t, a.conditions, st.Sid, "Sids are unique across a role's policies")
			a.conditions[st.Sid] = st.Condition
			a.statements = append(a.statements, st)
			target := a.allow
			if st.Effect == string(iam.Deny) {
				target = a.deny
			}
			for _, action := range st.Action {
				target[action] = union(target[action], st.Resource)
			}
		}
	}
	for sid, c := range a.conditions {
		if c == nil {
			delete(a.conditions, sid)
		}
	}
	return a
}

// grants adds actions on resources to want, the way access reports them.
func grants(want map[string][]string, resources []string, actions ...string) {
	for _, a := range actions {
		want[a] = union(want[a], resources)
	}
}

func union(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

// matches reports whether IAM's pattern (with * and ?) matches value, as IAM matches ARNs.
func matches(pattern, value string) bool {
	re := "^" + strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(regexp.QuoteMeta(pattern)) + "$"
	return regexp.MustCompile(re).MatchString(value)
}

// c builds a condition map: test -> variable -> values.
func c(test, variable string, values ...string) map[string]map[string][]string {
	return map[string]map[string][]string{test: {variable: values}}
}

// and merges condition maps.
func and(conds ...map[string]map[string][]string) map[string]map[string][]string {
	out := map[string]map[string][]string{}
	for _, m := range conds {
		for test, vars := range m {
			if out[test] == nil {
				out[test] = map[string][]string{}
			}
			for v, vals := range vars {
				out[test][v] = vals
			}
		}
	}
	return out
}
