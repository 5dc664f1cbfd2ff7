package platform

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/permission"
	"github.com/stratum-platform/stratum/platform/project"
	"github.com/stratum-platform/stratum/platform/release"
	"github.com/stratum-platform/stratum/platform/stackref"
)

// releaseFunctionName is the release function's logical name.
const releaseFunctionName = "release"

// releaseTimeout lets the release function stop a superseded deployment and wait for its
// rollback (stacks/platform/handlers/release).
const releaseTimeout = 5 * time.Minute

// releaseFunction deploys the function every context's deploy invokes with each new version
// of a function (platform/release), and exports its live alias. It releases itself all at
// once: it is what hands versions to CodeDeploy, so CodeDeploy cannot release it.
func releaseFunction(ctx *pulumi.Context, cfg *config.Config, sc scope.Scope, account string) error {
	dir, err := project.Dir(ctx)
	if err != nil {
		return fmt.Errorf("release function: %w", err)
	}
	grants, err := releaserGrants(newCIScope(cfg, account))
	if err != nil {
		return fmt.Errorf("release function: %w", err)
	}
	f, err := function.New(ctx, releaseFunctionName, &function.Args{
		Scope:       sc,
		Source:      filepath.Join(dir, filepath.FromSlash(contract.PlatformHandlers), releaseFunctionName),
		Description: "Hands each new version of a context's function to CodeDeploy (invoked by deploys).",
		Timeout:     releaseTimeout,
		Grants:      grants,
		// Deploys invoke it through aws.lambda.Invocation (RequestResponse) and wait.
		Synchronous: true,
	})
	if err != nil {
		return err
	}
	stackref.ExportString(ctx, contract.ReleaseFunctionArn, f.AliasArn)
	return nil
}

// DeploySessionSeconds is the longest session of a deploy role (its MaxSessionDuration), which
// the deploy workflow asks for in prod (role-duration-seconds): `stratum up` of every stack,
// each waiting for its canary releases (five minutes of canary, then the rest, with the
// deploy's own steps around it, engine.DefaultWaitTimeout at most), and a rollback that
// redeploys the stacks and waits for their releases again. The default hour would expire in
// the middle of that.
const DeploySessionSeconds = 3 * 60 * 60

// maxSessionSeconds is the MaxSessionDuration of a CI role of kind: the preview role keeps
// AWS's default hour.
func maxSessionSeconds(kind string) int {
	if kind == roleDeploy {
		return DeploySessionSeconds
	}
	return 60 * 60
}

// releaserGrants are release.ReleaserPermissions() on every function, deployment group and
// application of this environment and on the predefined deployment configurations. The
// platform deploys before the contexts and cannot name their functions, so the resources are
// the environment's name prefix, the boundary the deploy role and the permissions boundary
// draw too; the actions stay exact, and DeleteFunction reaches versions only (":*").
func releaserGrants(s ciScope) (iam.Statements, error) {
	var configs []string
	for _, c := range release.ConfigNames() {
		configs = append(configs, s.arn("codedeploy", "deploymentconfig:"+c))
	}
	arns, err := permission.Resolve(release.ReleaserPermissions(), map[permission.Resource][]string{
		release.Function:         {s.arn("lambda", "function:"+s.prefix+"*")},
		release.Application:      {s.arn("codedeploy", "application:"+s.prefix+"*")},
		release.DeploymentGroup:  {s.arn("codedeploy", "deploymentgroup:"+s.prefix+"*")},
		release.DeploymentConfig: configs,
	})
	if err != nil {
		return nil, err
	}
	var stmts iam.Statements
	for _, action := range function.Actions(arns) {
		res := make([]pulumi.StringInput, 0, len(arns[action]))
		for _, r := range arns[action] {
			res = append(res, pulumi.String(r))
		}
		stmts = append(stmts, iam.Statement{Sid: sidOf(action), Actions: []string{action}, Resources: res})
	}
	return stmts, nil
}

// sidOf names the statement of one action: "lambda:GetAlias" is "LambdaGetAlias".
func sidOf(action string) string {
	var out []rune
	upper := true
	for _, c := range action {
		switch {
		case c == ':':
			upper = true
		case upper && c >= 'a' && c <= 'z':
			out = append(out, c-'a'+'A')
			upper = false
		default:
			out = append(out, c)
			upper = false
		}
	}
	return string(out)
}

// releaseFunctionArn is the live alias of the release function, which the deploy role
// invokes (aws.lambda.Invocation) and nothing else.
func (s ciScope) releaseFunctionArn() string {
	return s.arn("lambda", "function:"+s.names.Physical(naming.LambdaFunction, releaseFunctionName)+":"+function.AliasName)
}

// releaseGrants let the deploy role hand versions to the release function, pass the
// deployment groups' service roles to CodeDeploy, and follow the deployments a run started
// (`stratum release wait`); the preview role may follow them too.
func (s ciScope) releaseGrants() []grant {
	return []grant{
		{sid: "InvokeReleaseFunction", write: []string{"lambda:InvokeFunction"}, resources: []string{s.releaseFunctionArn()}},
		{sid: "FollowDeployments", read: []string{"codedeploy:GetDeployment"},
			resources: []string{s.arn("codedeploy", "deploymentgroup:"+s.prefix+"*")}},
		{
			sid: "PassServiceRolesToCodeDeploy", write: []string{"iam:PassRole"},
			resources:  []string{s.global("iam", "role/"+s.prefix+"*")},
			conditions: []iam.Condition{cond("StringEquals", "iam:PassedToService", string(function.ServiceCodeDeploy))},
		},
	}
}

// releaseBoundaryGrants extend the permissions boundary with what the release function,
// CodeDeploy's service roles and the smoke hooks are granted (platform/release), on this
// environment's functions, deployment groups, applications, configurations and alarms.
func (s ciScope) releaseBoundaryGrants() []grant {
	var configs []string
	for _, c := range release.ConfigNames() {
		configs = append(configs, s.arn("codedeploy", "deploymentconfig:"+c))
	}
	return []grant{
		{
			sid: "ReleaseFunctions",
			read: []string{"lambda:DeleteFunction", "lambda:GetAlias", "lambda:GetProvisionedConcurrencyConfig",
				"lambda:ListVersionsByFunction", "lambda:UpdateAlias"},
			resources: []string{s.arn("lambda", "function:"+s.prefix+"*")},
		},
		{
			sid: "ReleaseDeployments",
			read: []string{"codedeploy:CreateDeployment", "codedeploy:GetApplicationRevision", "codedeploy:GetDeployment",
				"codedeploy:GetDeploymentConfig", "codedeploy:ListDeployments", "codedeploy:PutLifecycleEventHookExecutionStatus",
				"codedeploy:RegisterApplicationRevision", "codedeploy:StopDeployment"},
			resources: append([]string{s.arn("codedeploy", "application:"+s.prefix+"*"),
				s.arn("codedeploy", "deploymentgroup:"+s.prefix+"*")}, configs...),
		},
		{sid: "ReadReleaseAlarms", read: []string{"cloudwatch:DescribeAlarms"}, resources: []string{s.arn("cloudwatch", "alarm:"+s.prefix+"*")}},
	}
}
