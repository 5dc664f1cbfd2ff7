package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/tokens"
)

// Types of gradual releases.
const (
	typeApplication     = "aws:codedeploy/application:Application"
	typeDeploymentGroup = "aws:codedeploy/deploymentGroup:DeploymentGroup"
	typeInvocation      = "aws:lambda/invocation:Invocation"
)

// rollbackEvents are the events on which every deployment group rolls back.
func rollbackEvents() []string { return []string{"DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"} }

func releaseRollback() Rule {
	return Rule{
		ID:       "release-rollback",
		Severity: Error,
		Rationale: "A function's new version reaches traffic through CodeDeploy (platform/release), which rolls it " +
			"back by itself: every deployment group shifts a Lambda alias with traffic control, rolls back on a " +
			"failed deployment and on an alarm, and watches at least one alarm; every CodeDeploy application is " +
			"for Lambda. A group without them would let a bad version take all the traffic and stay.",
		Types: []string{typeApplication, typeDeploymentGroup},
		Check: checkReleaseRollback,
	}
}

func checkReleaseRollback(p *plan.Plan) []Violation {
	var out []Violation
	for _, r := range ofType(p, typeApplication) {
		if platform := inputString(r, "computePlatform"); platform != "Lambda" {
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("computePlatform is %q; set it to \"Lambda\"", platform)})
		}
	}
	for _, r := range ofType(p, typeDeploymentGroup) {
		var problems []string
		if !inputTrue(r, "autoRollbackConfiguration", "enabled") {
			problems = append(problems, "autoRollbackConfiguration.enabled is not true")
		}
		events := asStrings(input(r, "autoRollbackConfiguration", "events"))
		for _, e := range rollbackEvents() {
			if !slices.Contains(events, e) {
				problems = append(problems, "autoRollbackConfiguration.events lacks "+e)
			}
		}
		if !inputTrue(r, "alarmConfiguration", "enabled") || len(asList(input(r, "alarmConfiguration", "alarms"))) == 0 {
			problems = append(problems, "alarmConfiguration has no enabled alarms")
		}
		if inputString(r, "deploymentStyle", "deploymentOption") != "WITH_TRAFFIC_CONTROL" {
			problems = append(problems, "deploymentStyle.deploymentOption is not WITH_TRAFFIC_CONTROL")
		}
		if len(problems) > 0 {
			out = append(out, Violation{URN: r.URN, Message: strings.Join(problems, "; ") +
				": a bad version would not be rolled back"})
		}
	}
	return out
}

func functionRelease() Rule {
	return Rule{
		ID:       "function-release",
		Severity: Warning,
		Rationale: "Every function of a context releases gradually (function.Args.Release, which the service " +
			"fills): a deployment group of its own and an invocation of the platform's release function that " +
			"hands each new version to CodeDeploy. A function without them moves all its traffic to a new " +
			"version at once, with no alarm watching and nothing to roll it back. The rule reads the functions a " +
			"service creates (a context's); a release's own hooks and the platform's release function are not " +
			"released.",
		Types: []string{typeFunction, typeInvocation},
		Check: checkFunctionRelease,
	}
}

func checkFunctionRelease(p *plan.Plan) []Violation {
	released := map[string]bool{}
	for _, r := range ofType(p, typeInvocation) {
		if name := inputString(r, "triggers", "functionName"); name != "" {
			released[name] = true
		}
	}
	groups := map[string]bool{}
	for _, r := range ofType(p, typeDeploymentGroup) {
		groups[r.Parent] = true
	}
	byURN := map[string]plan.Resource{}
	for _, r := range p.Resources {
		byURN[r.URN] = r
	}
	var out []Violation
	for _, r := range ofType(p, typeFunction) {
		component := byURN[r.Parent]
		if component.Type != tokens.Function || byURN[component.Parent].Type != tokens.Service {
			continue // not a context's function: a release hook, the release function
		}
		var missing []string
		if !groups[r.Parent] {
			missing = append(missing, "a deployment group")
		}
		if !released[physicalName(r)] {
			missing = append(missing, "a release invocation")
		}
		if len(missing) > 0 {
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("function %s has no %s: a new version takes all "+
				"traffic at once with nothing to roll it back; set function.Args.Release", physicalName(r),
				strings.Join(missing, " and no "))})
		}
	}
	return out
}
