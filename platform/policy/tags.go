package policy

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/tags"
)

func requiredTags() Rule {
	return Rule{
		ID:       "required-tags",
		Severity: Error,
		Rationale: "Every taggable resource carries the default tags with values: " + strings.Join(requiredTagKeys(), ", ") +
			". Cost reports are split by them, access policies and incident routing rely on owner and " +
			"context, and managed-by tells people in the console not to change the resource by hand. A " +
			"resource is taggable when its inputs have tags or its type is one AWS can tag.",
		Types: slices.Sorted(maps.Keys(taggableTypes())),
		Check: checkTags,
	}
}

// requiredTagKeys are the default tag keys of platform/tags, in the order they are reported.
func requiredTagKeys() []string {
	return []string{tags.KeyOrg, tags.KeyEnv, tags.KeyContext, tags.KeyOwner, tags.KeyCostCentre, tags.KeyManagedBy}
}

// taggableTypes are the AWS types the platform creates that take tags, so that one
// created without a tags input is still reported.
func taggableTypes() map[string]bool {
	return map[string]bool{
		"aws:apigatewayv2/domainName:DomainName":       true,
		"aws:apigatewayv2/stage:Stage":                 true,
		"aws:cloudwatch/compositeAlarm:CompositeAlarm": true,
		"aws:iam/policy:Policy":                        true,
		"aws:scheduler/scheduleGroup:ScheduleGroup":    true,
		typeAlarm:              true,
		typeAPI:                true,
		typeEventSourceMapping: true,
		typeFunction:           true,
		typeKey:                true,
		typeLogGroup:           true,
		typeQueue:              true,
		typeRole:               true,
		typeSecret:             true,
		typeTable:              true,
		typeTopic:              true,
	}
}

func checkTags(p *plan.Plan) []Violation {
	taggable := taggableTypes()
	var out []Violation
	for _, r := range p.Resources {
		v, has := r.Inputs["tags"]
		if !r.Custom || (!has && !taggable[r.Type]) {
			continue
		}
		if s, ok := v.(string); ok && (s == plan.Unknown || s == plan.Secret) {
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("tags are %s in the plan, so they "+
				"cannot be checked", s)})
			continue
		}
		set, _ := asMap(v)
		var missing, empty []string
		for _, k := range requiredTagKeys() {
			val, ok := set[k]
			switch {
			case !ok:
				missing = append(missing, k)
			case asString(val) == "":
				empty = append(empty, k)
			}
		}
		if len(missing) > 0 {
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("missing tags %s; tag the resource "+
				"with the scope's default tags", strings.Join(missing, ", "))})
		}
		if len(empty) > 0 {
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("empty tags %s; set them in the "+
				"stratum: config of the project", strings.Join(empty, ", "))})
		}
	}
	return out
}
