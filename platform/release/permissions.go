package release

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Resource names the ARN a permission is on; whoever grants the permission maps it to the
// ARN of that resource (an output of the resource, in a Pulumi program).
type Resource string

// The resources the permissions of this package are on.
const (
	// Function is the unqualified ARN of a released function,
	// arn:aws:lambda:<region>:<account>:function:<name>.
	Function Resource = "function"
	// HookFunction is the unqualified ARN of a hook function CodeDeploy invokes.
	HookFunction Resource = "hookFunction"
	// Application is arn:aws:codedeploy:<region>:<account>:application:<application>.
	Application Resource = "application"
	// DeploymentGroup is
	// arn:aws:codedeploy:<region>:<account>:deploymentgroup:<application>/<group>.
	DeploymentGroup Resource = "deploymentGroup"
	// DeploymentConfig is the deployment group's configuration,
	// arn:aws:codedeploy:<region>:<account>:deploymentconfig:<name>, such as
	// CodeDeployDefault.LambdaCanary10Percent5Minutes.
	DeploymentConfig Resource = "deploymentConfig"
	// Alarm is the ARN of an alarm of the deployment group.
	Alarm Resource = "alarm"
)

// Permission is one IAM action on a resource: the ARN of On followed by Suffix.
type Permission struct {
	Action string
	On     Resource
	// Suffix follows the ARN: ":*" is every version and alias of a function.
	Suffix string
}

// ReleaserPermissions are what the release function calls, one Function, Application,
// DeploymentGroup and DeploymentConfig per released function.
//
// GetAlias and ListVersionsByFunction are granted on the function and on its versions and
// aliases (":*"), because Lambda authorizes calls on an alias or a version against the
// qualified ARN. DeleteFunction is granted on the qualified ARNs only: the release function
// deletes versions, and can never delete the function itself. CreateDeployment also needs
// the application's revision actions (CodeDeploy registers the AppSpec as a revision) and
// the deployment configuration the group uses.
func ReleaserPermissions() []Permission {
	return []Permission{
		{Action: "lambda:GetAlias", On: Function},
		{Action: "lambda:GetAlias", On: Function, Suffix: ":*"},
		{Action: "lambda:ListVersionsByFunction", On: Function},
		{Action: "lambda:ListVersionsByFunction", On: Function, Suffix: ":*"},
		{Action: "lambda:DeleteFunction", On: Function, Suffix: ":*"},
		{Action: "codedeploy:ListDeployments", On: DeploymentGroup},
		{Action: "codedeploy:GetDeployment", On: DeploymentGroup},
		{Action: "codedeploy:StopDeployment", On: DeploymentGroup},
		{Action: "codedeploy:CreateDeployment", On: DeploymentGroup},
		{Action: "codedeploy:GetDeploymentConfig", On: DeploymentConfig},
		{Action: "codedeploy:RegisterApplicationRevision", On: Application},
		{Action: "codedeploy:GetApplicationRevision", On: Application},
	}
}

// SmokePermissions are what the smoke-check hook calls: the deployment's AppSpec (to learn
// the target version) and the status report, on the deployment group it is a hook of; with
// invoke, also the direct invocation of the released function's versions.
func SmokePermissions(invoke bool) []Permission {
	perms := []Permission{
		{Action: "codedeploy:GetDeployment", On: DeploymentGroup},
		{Action: "codedeploy:PutLifecycleEventHookExecutionStatus", On: DeploymentGroup},
	}
	if invoke {
		perms = append(perms, Permission{Action: "lambda:InvokeFunction", On: Function, Suffix: ":*"})
	}
	return perms
}

// ServiceRolePermissions are what CodeDeploy itself needs in the service role of a Lambda
// deployment group, instead of the managed AWSCodeDeployRoleForLambda (which grants them on
// every function and alarm): shift the alias, invoke the hooks and read the group's alarms.
func ServiceRolePermissions() []Permission {
	return []Permission{
		{Action: "lambda:GetAlias", On: Function},
		{Action: "lambda:GetAlias", On: Function, Suffix: ":*"},
		{Action: "lambda:UpdateAlias", On: Function},
		{Action: "lambda:UpdateAlias", On: Function, Suffix: ":*"},
		{Action: "lambda:GetProvisionedConcurrencyConfig", On: Function, Suffix: ":*"},
		{Action: "lambda:InvokeFunction", On: HookFunction},
		{Action: "lambda:InvokeFunction", On: HookFunction, Suffix: ":*"},
		{Action: "cloudwatch:DescribeAlarms", On: Alarm},
	}
}

// Resolve turns permissions into the action-to-resources map that function.Permissions reads
// from a plan (resources sorted and unique), given the ARNs of each resource. It names every
// resource the permissions need and arns lacks.
func Resolve(perms []Permission, arns map[Resource][]string) (map[string][]string, error) {
	out := map[string][]string{}
	missing := map[Resource]bool{}
	for _, p := range perms {
		if len(arns[p.On]) == 0 {
			missing[p.On] = true
			continue
		}
		for _, arn := range arns[p.On] {
			out[p.Action] = append(out[p.Action], arn+p.Suffix)
		}
	}
	if len(missing) > 0 {
		names := make([]string, 0, len(missing))
		for _, r := range slices.Sorted(maps.Keys(missing)) {
			names = append(names, string(r))
		}
		return nil, fmt.Errorf("release: no ARN for %s", strings.Join(names, ", "))
	}
	for a, res := range out {
		slices.Sort(res)
		out[a] = slices.Compact(res)
	}
	return out, nil
}
