package policy

import (
	"fmt"
	"strings"

	"github.com/stratum-platform/stratum/platform/plan"
)

// ProtectedStack is the stack (environment) whose stateful resources are always protected:
// the environment where the stratum:protect config key defaults to true.
const ProtectedStack = "prod"

func tablePointInTimeRecovery() Rule {
	return Rule{
		ID:       "table-point-in-time-recovery",
		Severity: Error,
		Rationale: "Every DynamoDB table has point-in-time recovery, in every environment: it is the only " +
			"way back from a bad deployment or a faulty handler that overwrote or deleted items, and it " +
			"must be on before the mistake happens.",
		Types: []string{typeTable},
		Check: checkPointInTimeRecovery,
	}
}

func checkPointInTimeRecovery(p *plan.Plan) []Violation {
	var out []Violation
	for _, r := range ofType(p, typeTable) {
		if !inputTrue(r, "pointInTimeRecovery", "enabled") {
			out = append(out, Violation{URN: r.URN, Message: "pointInTimeRecovery.enabled is not true: " +
				"overwritten or deleted items cannot be restored; enable it"})
		}
	}
	return out
}

func statefulProtection() Rule {
	return Rule{
		ID:       "stateful-protection",
		Severity: Error,
		Rationale: "In a protected environment every stateful resource survives mistakes: DynamoDB tables " +
			"have deletionProtectionEnabled; tables, KMS keys (data encrypted with a deleted key is lost), " +
			"secrets and the queues that hold failed messages and events (dead-letter queues and " +
			"on-failure destinations) have Pulumi's protect and retainOnDelete, so neither a destroy, a " +
			"replacement nor a resource removed from the program deletes data; log groups are retained on " +
			"delete (retainOnDelete; not protected, so that a function or an API can still be renamed) and " +
			"expire with their retention. The plan does not record config, so a plan is a protected " +
			"environment when its stack is \"" + ProtectedStack + "\" (where stratum:protect defaults to true) " +
			"or when any of its stateful resources is protected (its config turned protection on, so an " +
			"unprotected one is an omission). A prod stack that turns protection off on purpose suppresses " +
			"the findings with its reason.",
		Types: []string{typeTable, typeKey, typeSecret, typeQueue, typeLogGroup},
		Check: checkStatefulProtection,
	}
}

// statefulResources returns the resources of p that hold data: tables, keys, secrets, log
// groups, and the queues that something sends failed messages or events to.
func statefulResources(p *plan.Plan) []plan.Resource {
	targets := deadLetterTargets(p)
	var out []plan.Resource
	for _, r := range p.Resources {
		switch r.Type {
		case typeTable, typeKey, typeSecret, typeLogGroup:
			out = append(out, r)
		case typeQueue:
			if targets[outputString(r, "arn")] {
				out = append(out, r)
			}
		}
	}
	return out
}

func checkStatefulProtection(p *plan.Plan) []Violation {
	stateful := statefulResources(p)
	why := protectedPlan(p)
	if why == "" {
		return nil
	}
	var out []Violation
	for _, r := range stateful {
		var missing []string
		if r.Type == typeTable && !inputTrue(r, "deletionProtectionEnabled") {
			missing = append(missing, "deletionProtectionEnabled")
		}
		if !r.Protect && r.Type != typeLogGroup {
			missing = append(missing, "protect")
		}
		if !r.RetainOnDelete {
			missing = append(missing, "retainOnDelete")
		}
		if len(missing) > 0 {
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("%s not set although %s",
				strings.Join(missing, ", "), why)})
		}
	}
	return out
}
