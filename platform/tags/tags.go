// Package tags builds the default tags every resource carries and checks tags against
// AWS limits.
//
// Default settings: every resource is tagged with org, env, context, owner, cost-centre
// and managed-by=stratum. Callers may add tags but never change the defaults, because
// cost reports, access policies and compliance rules rely on them.
//
// The package has no Pulumi imports; components pass the result to their resources' Tags.
package tags

import (
	"github.com/stratum-platform/stratum/platform/naming"
)

// Keys of the default tags.
const (
	KeyOrg        = "org"
	KeyEnv        = "env"
	KeyContext    = "context"
	KeyOwner      = "owner"
	KeyCostCentre = "cost-centre"
	KeyManagedBy  = "managed-by"
)

// ManagedBy is the value of the managed-by tag: it tells people in the console not to
// change the resource by hand.
const ManagedBy = "stratum"

// Default returns the default tags of a scope. Owner and cost centre are required by
// policy; they are included as given, even when empty, so that the compliance rules that
// require them see the gap instead of a missing key.
func Default(s naming.Scope, owner, costCentre string) map[string]string {
	return map[string]string{
		KeyOrg:        s.Org,
		KeyEnv:        s.Env,
		KeyContext:    s.Context,
		KeyOwner:      owner,
		KeyCostCentre: costCentre,
		KeyManagedBy:  ManagedBy,
	}
}

// IsDefault reports whether key is one of the default tag keys.
func IsDefault(key string) bool {
	switch key {
	case KeyOrg, KeyEnv, KeyContext, KeyOwner, KeyCostCentre, KeyManagedBy:
		return true
	}
	return false
}

// Merge returns a new map with the tags of base and then of each extra map, later maps
// winning. Default keys are taken from base only: an extra map cannot set or override
// them, so a resource cannot claim another owner or context. Merge never modifies its
// arguments.
func Merge(base map[string]string, extra ...map[string]string) map[string]string {
	out := make(map[string]string, len(base))
	for k, v := range base {
		out[k] = v
	}
	for _, m := range extra {
		for k, v := range m {
			if IsDefault(k) {
				continue
			}
			out[k] = v
		}
	}
	return out
}
