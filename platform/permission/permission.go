// Package permission describes what a handler calls as IAM actions on named resources, free
// of Pulumi so that the handler, its tests and the component granting it share one list:
// the handler's package declares its Permissions on its own Resources, the component maps
// each Resource to ARNs (iam.FromPermissions), and tests compare plans with Resolve.
package permission

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Resource names the ARN a permission is on; whoever grants the permission maps it to the
// ARNs of that resource (outputs of resources, in a Pulumi program).
type Resource string

// Permission is one IAM action on a resource: each ARN of On followed by Suffix.
type Permission struct {
	Action string
	On     Resource
	// Suffix follows the ARN: ":*" is every version and alias of a function.
	Suffix string
}

// Missing names, sorted, every resource of perms that has returns false for; nil when there
// is none.
func Missing(perms []Permission, has func(Resource) bool) error {
	missing := map[Resource]bool{}
	for _, p := range perms {
		if !has(p.On) {
			missing[p.On] = true
		}
	}
	if len(missing) == 0 {
		return nil
	}
	names := make([]string, 0, len(missing))
	for _, r := range slices.Sorted(maps.Keys(missing)) {
		names = append(names, string(r))
	}
	return fmt.Errorf("no ARN for %s", strings.Join(names, ", "))
}

// Resolve turns permissions into the action-to-resources map that function.Permissions reads
// from a plan (resources sorted and unique), given the ARNs of each resource. It names every
// resource the permissions need and arns lacks.
func Resolve(perms []Permission, arns map[Resource][]string) (map[string][]string, error) {
	if err := Missing(perms, func(r Resource) bool { return len(arns[r]) > 0 }); err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, p := range perms {
		for _, arn := range arns[p.On] {
			out[p.Action] = append(out[p.Action], arn+p.Suffix)
		}
	}
	for a, res := range out {
		slices.Sort(res)
		out[a] = slices.Compact(res)
	}
	return out, nil
}
