package function

import (
	"fmt"
	"maps"
	"slices"

	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/plan"
)

// Permissions reads a plan and returns what the role of the function with logical name name
// may do: every allowed action with the resources it is allowed on, across all the role's
// inline policies (its own and the grants integrations added), and not those of the
// function's other roles (its release's CodeDeploy service role). Tests of a context assert
// it against what the function's code calls.
func Permissions(p *plan.Plan, name string) (map[string][]string, error) {
	fn, err := p.Get(TypeToken, name)
	if err != nil {
		return nil, err
	}
	role, err := p.Get("aws:iam/role:Role", naming.Child(name, "role"))
	if err != nil {
		return nil, fmt.Errorf("function %q: %w", name, err)
	}
	perms := map[string][]string{}
	for _, child := range p.Children(fn.URN) {
		if child.Type != "aws:iam/rolePolicy:RolePolicy" || child.Inputs["role"] != role.Inputs["name"] {
			continue
		}
		doc, err := iam.Parse(child.String("policy"))
		if err != nil {
			return nil, fmt.Errorf("function %q: policy %s: %w", name, child.Name, err)
		}
		for _, st := range doc.Statement {
			if st.Effect != string(iam.Allow) {
				continue
			}
			for _, a := range st.Action {
				perms[a] = append(perms[a], st.Resource...)
			}
		}
	}
	for a, res := range perms {
		slices.Sort(res)
		perms[a] = slices.Compact(res)
	}
	return perms, nil
}

// Actions returns the sorted actions of a Permissions result.
func Actions(perms map[string][]string) []string {
	return slices.Sorted(maps.Keys(perms))
}

// Union merges permission maps the way Permissions reports them (resources sorted and
// unique), for tests that compose the expected permissions of a function.
func Union(perms ...map[string][]string) map[string][]string {
	out := map[string][]string{}
	for _, m := range perms {
		for a, res := range m {
			out[a] = append(out[a], res...)
		}
	}
	for a, res := range out {
		slices.Sort(res)
		out[a] = slices.Compact(res)
	}
	return out
}
