package function_test

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/permission"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/platform/release"
)

const (
	releaserArn = "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-platform-release:live"
	application = "acme-dev-orders-releases"
	deployGroup = "arn:aws:codedeploy:eu-west-1:111111111111:deploymentgroup:" + application + "/acme-dev-orders-api"
	alarmPrefix = "arn:aws:cloudwatch:eu-west-1:111111111111:alarm:acme-dev-orders-api-"
)

// smokeSource is the platform's smoke hook, which the service gives contexts.
func smokeSource(t *testing.T) string {
	t.Helper()
	root, err := plan.ModuleRoot(".")
	require.NoError(t, err)
	return filepath.Join(root, "stacks", "platform", "handlers", "smoke")
}

func releasing(r function.Release) *function.Args {
	if r.Application == nil {
		r.Application = pulumi.String(application)
	}
	if r.Releaser == nil {
		r.Releaser = pulumi.String(releaserArn)
	}
	return &function.Args{Timeout: 30 * time.Second, OnFailure: pulumi.String(queueArn), Release: &r}
}

func TestReleaseWiring(t *testing.T) {
	p := run(t, releasing(function.Release{Traffic: release.Canary10Percent5Minutes(), KeepVersions: 3}))

	alias := get(t, p, "aws:lambda/alias:Alias", "api-alias")
	assert.ElementsMatch(t, []string{"functionVersion", "routingConfig", "description"}, alias.IgnoreChanges,
		"CodeDeploy owns the alias after its creation, and an update by Pulumi would send its first version")

	group := get(t, p, "aws:codedeploy/deploymentGroup:DeploymentGroup", "api-release")
	assert.Equal(t, application, group.Inputs["appName"])
	assert.Equal(t, "acme-dev-orders-api", group.Inputs["deploymentGroupName"])
	assert.Equal(t, "CodeDeployDefault.LambdaCanary10Percent5Minutes", group.Inputs["deploymentConfigName"])
	assert.Equal(t, map[string]any{"enabled": true, "events": []any{"DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"}},
		group.Inputs["autoRollbackConfiguration"])
	assert.Equal(t, map[string]any{"deploymentOption": "WITH_TRAFFIC_CONTROL", "deploymentType": "BLUE_GREEN"}, group.Inputs["deploymentStyle"])
	alarms := group.Inputs["alarmConfiguration"].(map[string]any)
	assert.Equal(t, true, alarms["enabled"])
	assert.Equal(t, []any{"acme-dev-orders-api-errors", "acme-dev-orders-api-throttles", "acme-dev-orders-api-duration",
		"acme-dev-orders-api-version-errors", "acme-dev-orders-api-version-throttles", "acme-dev-orders-api-version-duration"},
		alarms["alarms"], "the function's alarms and its released version's")

	version := get(t, p, "aws:cloudwatch/metricAlarm:MetricAlarm", "api-alarm-version-errors")
	assert.Equal(t, map[string]any{"FunctionName": fnName, "Resource": fnName + ":live", "ExecutedVersion": "1"}, version.Inputs["dimensions"])

	role := get(t, p, "aws:iam/role:Role", "api-release-role")
	assert.Equal(t, "acme-dev-orders-api-release", role.Inputs["name"])
	trust := parse(t, role, "assumeRolePolicy")
	require.Len(t, trust.Statement, 1)
	assert.Equal(t, []string{"codedeploy.amazonaws.com"}, trust.Statement[0].Principal["Service"])
	assert.Equal(t, map[string]map[string][]string{
		"StringEquals": {"aws:SourceAccount": {account}},
		"ArnEquals":    {"aws:SourceArn": {deployGroup}},
	}, trust.Statement[0].Condition)

	var alarmArns []string
	for _, a := range []string{"errors", "throttles", "duration", "version-errors", "version-throttles", "version-duration"} {
		alarmArns = append(alarmArns, alarmPrefix+a)
	}
	perms := slices.DeleteFunc(release.ServiceRolePermissions(), func(p permission.Permission) bool { return p.On == release.HookFunction })
	want, err := permission.Resolve(perms, map[permission.Resource][]string{release.Function: {fnArn}, release.Alarm: alarmArns})
	require.NoError(t, err)
	assert.Equal(t, want, policyPermissions(t, get(t, p, "aws:iam/rolePolicy:RolePolicy", "api-release-policy")))

	invocation := get(t, p, "aws:lambda/invocation:Invocation", "api-release")
	assert.Equal(t, strings.TrimSuffix(releaserArn, ":live"), invocation.Inputs["functionName"])
	assert.Equal(t, "live", invocation.Inputs["qualifier"])
	assert.Equal(t, map[string]any{"functionName": fnName, "targetVersion": "1", "nonce": ""}, invocation.Inputs["triggers"])
	var req release.Request
	require.NoError(t, json.Unmarshal([]byte(invocation.String("input")), &req))
	assert.Equal(t, release.Request{FunctionName: fnName, Alias: "live", TargetVersion: "1", Application: application,
		DeploymentGroup: "acme-dev-orders-api", KeepVersions: 3}, req)
	require.NoError(t, req.Validate())
	assert.Contains(t, invocation.Dependencies, alias.URN, "the alias exists before its first release")
	assert.Contains(t, invocation.Dependencies, group.URN)
}

func TestReleaseSmokeHook(t *testing.T) {
	checks := []release.Check{{Method: "GET", Path: "/orders", ExpectedStatus: 401}}
	p := run(t, releasing(function.Release{Smoke: checks, SmokeSource: smokeSource(t)}))

	hook := get(t, p, "aws:lambda/function:Function", "api-smoke")
	hookName := "acme-dev-orders-api-smoke"
	assert.Equal(t, hookName, hook.Inputs["name"])
	env := hook.Inputs["environment"].(map[string]any)["variables"].(map[string]any)
	assert.Equal(t, `[{"method":"GET","path":"/orders","expectedStatus":401}]`, env[release.EnvSmokeChecks])
	assert.Equal(t, "true", env[release.EnvSmokeInvoke])

	want, err := permission.Resolve(release.SmokePermissions(true), map[permission.Resource][]string{
		release.Function: {fnArn}, release.DeploymentGroup: {deployGroup}})
	require.NoError(t, err)
	perms, err := function.Permissions(p, "api-smoke")
	require.NoError(t, err)
	for action, resources := range want {
		assert.Equal(t, resources, perms[action], action)
	}

	invocation := get(t, p, "aws:lambda/invocation:Invocation", "api-release")
	var req release.Request
	require.NoError(t, json.Unmarshal([]byte(invocation.String("input")), &req))
	assert.Equal(t, hookName, req.AfterAllowTraffic)
	hookArn := "arn:aws:lambda:eu-west-1:111111111111:function:" + hookName
	service := policyPermissions(t, get(t, p, "aws:iam/rolePolicy:RolePolicy", "api-release-policy"))
	assert.Equal(t, []string{hookArn, hookArn + ":*"}, service["lambda:InvokeFunction"], "CodeDeploy invokes the hook, nothing else")
}

func TestReleaseValidation(t *testing.T) {
	err := (&function.Args{Scope: withDefaults(&function.Args{}).Scope, Archive: archive,
		Release: &function.Release{
			Traffic:      release.Traffic{Shift: release.Canary, Percent: 20, Interval: time.Minute},
			Releaser:     pulumi.String("arn:aws:lambda:eu-west-1:111111111111:function:release"),
			KeepVersions: -1,
			Smoke:        []release.Check{{Method: "FETCH", Path: "orders", ExpectedStatus: 200}},
		}}).Validate()
	require.Error(t, err)
	for _, want := range []string{
		"Release.Traffic: canary of 20% every 1m0s is not a predefined CodeDeploy configuration; allowed: allAtOnce, canary10Percent5Minutes",
		"Release.Application: is required",
		`Release.Releaser: "arn:aws:lambda:eu-west-1:111111111111:function:release" is not the ARN of a function's live alias`,
		"Release.KeepVersions: -1 is not between 1 and 100 (0 is the default, 5)",
		`Release.Smoke: checks[0].method: must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, got "FETCH"; checks[0].path: must start with /, got "orders"`,
		"Release.SmokeSource: is required with Smoke",
	} {
		assert.ErrorContains(t, err, want)
	}
}

func TestReleaseGolden(t *testing.T) {
	p := run(t, releasing(function.Release{Traffic: release.Canary10Percent5Minutes(),
		Smoke: []release.Check{{Method: "GET", Path: "/orders", ExpectedStatus: 401}}, SmokeSource: smokeSource(t)}))
	plantest.Golden(t, "testdata/release.plan.json", p)
}

// policyPermissions reads a role policy as function.Permissions reports a function's.
func policyPermissions(t *testing.T, r plan.Resource) map[string][]string {
	t.Helper()
	doc := parse(t, r, "policy")
	out := map[string][]string{}
	for _, st := range doc.Statement {
		require.Equal(t, string(iam.Allow), st.Effect)
		for _, a := range st.Action {
			out[a] = append(out[a], st.Resource...)
		}
	}
	return function.Union(out)
}
