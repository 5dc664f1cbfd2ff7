package function

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/codedeploy"
	awsiam "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/alarm"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/permission"
	"github.com/stratum-platform/stratum/platform/release"
)

// Release hands every new version of the function to AWS CodeDeploy instead of moving the
// live alias itself: a deployment group of the function, with its alarms and automatic
// rollback, and an aws.lambda.Invocation of the platform's release function for each new
// version (platform/release explains the hand-off).
type Release struct {
	// Traffic is how CodeDeploy shifts the alias to a new version: one of
	// release.Traffics(), such as release.Canary10Percent5Minutes(). Default: all at once.
	Traffic release.Traffic
	// Application is the name of the CodeDeploy application (Lambda compute platform) that
	// the function's deployment group belongs to; the service creates one per context.
	// Required.
	Application pulumi.StringInput
	// Releaser is the ARN of the live alias of the platform's release function
	// (contract.ReleaseFunctionArn), which the deploy invokes with each new version. Required.
	Releaser pulumi.StringInput
	// KeepVersions is how many published versions the release function keeps besides the
	// ones the alias uses, 1 to 100. Default: release.DefaultKeepVersions.
	KeepVersions int
	// Smoke are checks of the function's API routes (method, path, expected status) that a
	// hook function runs against the new version once all traffic is on it (AfterAllowTraffic,
	// invoking the version directly with an API Gateway request); a failing check fails the
	// deployment, and CodeDeploy rolls it back. Default: none.
	Smoke []release.Check
	// SmokeSource is the Go main package of the smoke hook (the platform's
	// handlers/smoke); required with Smoke. Default: none.
	SmokeSource string
	// Nonce, when changed, hands the current version to CodeDeploy again: a retry of a
	// release that failed for a reason outside the code. Default: none.
	Nonce string
}

// Releasing holds the children of a function that releases through CodeDeploy.
type Releasing struct {
	// Group is the function's deployment group.
	Group *codedeploy.DeploymentGroup
	// Role is the service role CodeDeploy uses for the group.
	Role *awsiam.Role
	// Invocation hands the function's current version to the release function; its result
	// is a release.Response naming the deployment it started.
	Invocation *lambda.Invocation
	// Smoke is the after-traffic hook that runs Release.Smoke; nil without checks.
	Smoke *Function
	// VersionAlarms watch errors, throttles and duration of the version being released.
	VersionAlarms []*cloudwatch.MetricAlarm
}

// Limits of Release.
const (
	maxKeepVersions = 100
	// smokeTimeout bounds the hook: every check has its own DefaultCheckTimeout, and
	// CodeDeploy waits an hour for a hook's report.
	smokeTimeout = time.Minute
)

// validate reports every problem of the release settings at once.
func (r *Release) validate() []error {
	if r == nil {
		return nil
	}
	var errs []error
	if err := r.Traffic.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("Release.Traffic: %w", err))
	}
	if r.Application == nil {
		errs = append(errs, errors.New("Release.Application: is required (the CodeDeploy application of the deployment group)"))
	}
	if r.Releaser == nil {
		errs = append(errs, errors.New("Release.Releaser: is required (the ARN of the platform release function's live alias)"))
	}
	if lit, ok := r.Releaser.(pulumi.String); ok && !strings.HasSuffix(string(lit), ":"+AliasName) {
		errs = append(errs, fmt.Errorf("Release.Releaser: %q is not the ARN of a function's %s alias", lit, AliasName))
	}
	if r.KeepVersions < 0 || r.KeepVersions > maxKeepVersions {
		errs = append(errs, fmt.Errorf("Release.KeepVersions: %d is not between 1 and %d (0 is the default, %d)",
			r.KeepVersions, maxKeepVersions, release.DefaultKeepVersions))
	}
	if len(r.Smoke) > 0 {
		if _, err := release.EncodeChecks(r.Smoke); err != nil {
			errs = append(errs, fmt.Errorf("Release.Smoke: %w", err))
		}
		if r.SmokeSource == "" {
			errs = append(errs, errors.New("Release.SmokeSource: is required with Smoke (the smoke hook's main package)"))
		} else if err := isDir(r.SmokeSource); err != nil {
			errs = append(errs, fmt.Errorf("Release.SmokeSource: %w", err))
		}
	}
	if r.SmokeSource != "" && len(r.Smoke) == 0 {
		errs = append(errs, errors.New("Release.SmokeSource: is set but Smoke has no checks"))
	}
	return errs
}

// aliasOptions are the live alias's resource options: once CodeDeploy owns the alias, its
// version and traffic weights are set when it is created and never again by Pulumi, which
// would otherwise move it back to its own idea of the version on the next deploy. Its
// description is ignored too, so that Pulumi never updates the alias at all: an update
// sends the ignored fields as they were at creation (UpdateAlias takes the version with the
// description), which would move the alias back to its first version. A description set by
// Overrides.Alias (extensions/provisioned's, say) therefore applies when the alias is created.
func aliasOptions(s settings) []pulumi.ResourceOption {
	if s.Release == nil {
		return nil
	}
	return []pulumi.ResourceOption{pulumi.IgnoreChanges([]string{"functionVersion", "routingConfig", "description"})}
}

// release creates what hands each new version to CodeDeploy.
func (f *Function) release(ctx *pulumi.Context, name string, s settings) error {
	if s.Release == nil {
		return nil
	}
	r := s.Release
	parent := pulumi.Parent(f)
	rel := &Releasing{}
	var err error
	if rel.VersionAlarms, err = f.versionAlarms(ctx, name, s); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	identity, err := aws.GetCallerIdentity(ctx, nil, parent)
	if err != nil {
		return fmt.Errorf("release: reading the account: %w", err)
	}
	region, err := aws.GetRegion(ctx, nil, parent)
	if err != nil {
		return fmt.Errorf("release: reading the region: %w", err)
	}
	groupName := s.Scope.Name(release.DeploymentGroupKind(), name)
	groupArn := pulumi.Sprintf("arn:aws:codedeploy:%s:%s:deploymentgroup:%s/%s", region.Name, identity.AccountId, r.Application, groupName)
	if len(r.Smoke) > 0 {
		if rel.Smoke, err = f.smokeHook(ctx, name, s, groupArn); err != nil {
			return fmt.Errorf("release: smoke hook: %w", err)
		}
	}
	alarms := slices.Concat(f.Alarms, rel.VersionAlarms)
	if rel.Role, err = f.serviceRole(ctx, name, s, pulumi.String(identity.AccountId), groupArn, alarms, rel.Smoke); err != nil {
		return fmt.Errorf("release: service role: %w", err)
	}
	alarmNames := pulumi.StringArray{}
	for _, a := range alarms {
		alarmNames = append(alarmNames, a.Name)
	}
	rel.Group, err = codedeploy.NewDeploymentGroup(ctx, naming.Child(name, "release"), &codedeploy.DeploymentGroupArgs{
		AppName:              r.Application,
		DeploymentGroupName:  pulumi.String(groupName),
		ServiceRoleArn:       rel.Role.Arn,
		DeploymentConfigName: pulumi.String(r.Traffic.ConfigName()),
		DeploymentStyle: &codedeploy.DeploymentGroupDeploymentStyleArgs{
			DeploymentOption: pulumi.String("WITH_TRAFFIC_CONTROL"),
			DeploymentType:   pulumi.String("BLUE_GREEN"),
		},
		AutoRollbackConfiguration: &codedeploy.DeploymentGroupAutoRollbackConfigurationArgs{
			Enabled: pulumi.Bool(true),
			Events:  pulumi.StringArray{pulumi.String("DEPLOYMENT_FAILURE"), pulumi.String("DEPLOYMENT_STOP_ON_ALARM")},
		},
		AlarmConfiguration: &codedeploy.DeploymentGroupAlarmConfigurationArgs{Enabled: pulumi.Bool(true), Alarms: alarmNames},
		Tags:               s.Scope.TagMap(),
	}, parent)
	if err != nil {
		return fmt.Errorf("release: deployment group: %w", err)
	}
	if rel.Invocation, err = f.handOff(ctx, name, r, rel); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	f.Releasing = rel
	return nil
}

// versionAlarms watch the version being released, on the live alias: what sets a bad
// version apart while a canary still sends most traffic to the old one. Their
// ExecutedVersion follows each new version.
func (f *Function) versionAlarms(ctx *pulumi.Context, name string, s settings) ([]*cloudwatch.MetricAlarm, error) {
	dims := pulumi.StringMap{
		"FunctionName":    f.Function.Name,
		"Resource":        pulumi.Sprintf("%s:%s", f.Function.Name, AliasName),
		"ExecutedVersion": f.Function.Version,
	}
	var out []*cloudwatch.MetricAlarm
	for _, spec := range alarmSpecs(name, s.Timeout) {
		spec.Name = "version-" + spec.Name
		spec.Description = strings.Replace(spec.Description, "Function "+name, "The released version of function "+name, 1)
		spec.Namespace, spec.Dimensions = "AWS/Lambda", dims
		a, err := alarm.New(ctx, name, s.Scope, spec, f)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// smokeHook creates the function that runs the smoke checks as the deployments'
// AfterAllowTraffic hook, with exactly release.SmokePermissions(true).
func (f *Function) smokeHook(ctx *pulumi.Context, name string, s settings, groupArn pulumi.StringOutput) (*Function, error) {
	checks, err := release.EncodeChecks(s.Release.Smoke)
	if err != nil {
		return nil, err
	}
	grants, err := iam.FromPermissions(release.SmokePermissions(true), map[permission.Resource][]pulumi.StringInput{
		release.DeploymentGroup: {groupArn},
		release.Function:        {f.Function.Arn},
	}, prefixed("Smoke"))
	if err != nil {
		return nil, err
	}
	return New(ctx, naming.Child(name, "smoke"), &Args{
		Scope:       s.Scope,
		Source:      s.Release.SmokeSource,
		Description: "Smoke checks of function " + name + "'s new version, after CodeDeploy shifts traffic to it.",
		Timeout:     smokeTimeout,
		Environment: map[string]pulumi.StringInput{
			release.EnvSmokeChecks: pulumi.String(checks),
			release.EnvSmokeInvoke: pulumi.String("true"),
		},
		Grants:    grants,
		OnFailure: s.OnFailure,
	}, pulumi.Parent(f))
}

// serviceRole is the role CodeDeploy assumes for the function's group, with exactly
// release.ServiceRolePermissions() instead of the managed AWSCodeDeployRoleForLambda, which
// grants them on every function and alarm. Only CodeDeploy acting for this account's
// deployment group may assume it.
func (f *Function) serviceRole(ctx *pulumi.Context, name string, s settings, account pulumi.StringInput,
	groupArn pulumi.StringOutput, alarms []*cloudwatch.MetricAlarm, hook *Function,
) (*awsiam.Role, error) {
	trust, err := iam.Document(iam.Statements{{
		Principals: []iam.Principal{{Type: iam.PrincipalService, Identifiers: []pulumi.StringInput{pulumi.String(ServiceCodeDeploy)}}},
		Actions:    []string{"sts:AssumeRole"},
		Conditions: []iam.Condition{
			{Test: "StringEquals", Variable: "aws:SourceAccount", Values: []pulumi.StringInput{account}},
			{Test: "ArnEquals", Variable: "aws:SourceArn", Values: []pulumi.StringInput{groupArn}},
		},
	}})
	if err != nil {
		return nil, err
	}
	args := &awsiam.RoleArgs{
		Name:             pulumi.String(s.Scope.Name(naming.IAMRole, naming.Child(name, "release"))),
		Description:      pulumi.String("CodeDeploy's service role for releases of function " + name + "."),
		AssumeRolePolicy: trust,
		Tags:             s.Scope.TagMap(),
	}
	s.Scope.Bound(args)
	role, err := awsiam.NewRole(ctx, naming.Child(name, "release-role"), args, pulumi.Parent(f))
	if err != nil {
		return nil, err
	}
	arns := map[permission.Resource][]pulumi.StringInput{release.Function: {f.Function.Arn}}
	perms := release.ServiceRolePermissions()
	if hook != nil {
		arns[release.HookFunction] = []pulumi.StringInput{hook.Arn}
	} else {
		perms = slices.DeleteFunc(perms, func(p permission.Permission) bool { return p.On == release.HookFunction })
	}
	for _, a := range alarms {
		arns[release.Alarm] = append(arns[release.Alarm], a.Arn)
	}
	stmts, err := iam.FromPermissions(perms, arns, prefixed("Release"))
	if err != nil {
		return nil, err
	}
	doc, err := identityPolicy(stmts, nil)
	if err != nil {
		return nil, err
	}
	if _, err := awsiam.NewRolePolicy(ctx, naming.Child(name, "release-policy"), &awsiam.RolePolicyArgs{
		Name: pulumi.String("release"), Role: role.Name, Policy: doc,
	}, pulumi.Parent(f)); err != nil {
		return nil, err
	}
	return role, nil
}

// prefixed names a statement of FromPermissions prefix + what it is on.
func prefixed(prefix string) func(what string) string {
	return func(what string) string { return prefix + what }
}

// ServiceCodeDeploy is CodeDeploy's service principal, which assumes a deployment group's
// service role.
const ServiceCodeDeploy iam.Service = "codedeploy.amazonaws.com"

// handOff is the aws.lambda.Invocation of the release function with a release.Request for
// the function's current version. Its triggers are what must start a new release: another
// function, a new version, a new nonce; any other change of the request (hooks, versions
// kept) replaces it too, and the release function then finds the alias at the target and
// does nothing.
func (f *Function) handOff(ctx *pulumi.Context, name string, r *Release, rel *Releasing) (*lambda.Invocation, error) {
	releaser := pulumi.ToOutput(r.Releaser).ApplyT(func(v any) (string, error) {
		arn, _ := v.(string)
		fn, ok := strings.CutSuffix(arn, ":"+AliasName)
		if !ok {
			return "", fmt.Errorf("Release.Releaser: %q is not the ARN of a function's %s alias", arn, AliasName)
		}
		return fn, nil
	}).(pulumi.StringOutput)
	hook := pulumi.String("").ToStringOutput()
	if rel.Smoke != nil {
		hook = rel.Smoke.Name
	}
	input := pulumi.All(f.Function.Name, f.Function.Version, r.Application, rel.Group.DeploymentGroupName, hook).ApplyT(
		func(v []any) (string, error) {
			req := release.Request{
				FunctionName: v[0].(string), Alias: AliasName, TargetVersion: v[1].(string),
				Application: v[2].(string), DeploymentGroup: v[3].(string), AfterAllowTraffic: v[4].(string),
				Nonce: r.Nonce, KeepVersions: r.KeepVersions,
			}
			b, err := json.Marshal(req)
			return string(b), err
		}).(pulumi.StringOutput)
	return lambda.NewInvocation(ctx, naming.Child(name, "release"), &lambda.InvocationArgs{
		FunctionName: releaser,
		Qualifier:    pulumi.String(AliasName),
		Input:        input,
		Triggers: pulumi.StringMap{
			"functionName":  f.Function.Name,
			"targetVersion": f.Function.Version,
			"nonce":         pulumi.String(r.Nonce),
		},
	}, pulumi.Parent(f), pulumi.DependsOn([]pulumi.Resource{f.Alias, rel.Group}))
}
