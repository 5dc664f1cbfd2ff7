package release

import "github.com/stratum-platform/stratum/platform/permission"

// The resources the permissions of this package are on.
const (
	// Function is the unqualified ARN of a released function,
	// arn:aws:lambda:<region>:<account>:function:<name>.
	Function permission.Resource = "function"
	// HookFunction is the unqualified ARN of a hook function CodeDeploy invokes.
	HookFunction permission.Resource = "hookFunction"
	// Application is arn:aws:codedeploy:<region>:<account>:application:<application>.
	Application permission.Resource = "application"
	// DeploymentGroup is
	// arn:aws:codedeploy:<region>:<account>:deploymentgroup:<application>/<group>.
	DeploymentGroup permission.Resource = "deploymentGroup"
	// DeploymentConfig is the deployment group's configuration,
	// arn:aws:codedeploy:<region>:<account>:deploymentconfig:<name>, such as
	// CodeDeployDefault.LambdaCanary10Percent5Minutes.
	DeploymentConfig permission.Resource = "deploymentConfig"
	// Alarm is the ARN of an alarm of the deployment group.
	Alarm permission.Resource = "alarm"
)

// ReleaserPermissions are what the release function calls, one Function, Application,
// DeploymentGroup and DeploymentConfig per released function.
//
// GetAlias and ListVersionsByFunction are granted on the function and on its versions and
// aliases (":*"), because Lambda authorizes calls on an alias or a version against the
// qualified ARN. DeleteFunction is granted on the qualified ARNs only: the release function
// deletes versions, and can never delete the function itself. CreateDeployment also needs
// the application's revision actions (CodeDeploy registers the AppSpec as a revision) and
// the deployment configuration the group uses.
func ReleaserPermissions() []permission.Permission {
	return []permission.Permission{
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
func SmokePermissions(invoke bool) []permission.Permission {
	perms := []permission.Permission{
		{Action: "codedeploy:GetDeployment", On: DeploymentGroup},
		{Action: "codedeploy:PutLifecycleEventHookExecutionStatus", On: DeploymentGroup},
	}
	if invoke {
		perms = append(perms, permission.Permission{Action: "lambda:InvokeFunction", On: Function, Suffix: ":*"})
	}
	return perms
}

// ServiceRolePermissions are what CodeDeploy itself needs in the service role of a Lambda
// deployment group, instead of the managed AWSCodeDeployRoleForLambda (which grants them on
// every function and alarm): shift the alias, invoke the hooks and read the group's alarms.
func ServiceRolePermissions() []permission.Permission {
	return []permission.Permission{
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
