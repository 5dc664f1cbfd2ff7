package local

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/release"
)

const releasedFn = "acme-dev-accounts-get"

// invoke creates the release invocation of releasedFn's target version, as
// components/function does, and returns its answer.
func invoke(t *testing.T, p *Provider, name, target string) (release.Response, error) {
	t.Helper()
	input, err := json.Marshal(release.Request{FunctionName: releasedFn, Alias: "live", TargetVersion: target,
		Application: "acme-dev-accounts", DeploymentGroup: "acme-dev-accounts-get"})
	require.NoError(t, err)
	resp, err := create(t, p, lambdaInvocation, name, props(map[string]any{
		"functionName": "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-platform-release",
		"qualifier":    "live", "input": string(input),
	}))
	if err != nil {
		return release.Response{}, err
	}
	var out release.Response
	require.NoError(t, json.Unmarshal([]byte(resp.Properties["result"].StringValue()), &out))
	return out, nil
}

func aliasVersion(t *testing.T, path string) string {
	t.Helper()
	e, ok := load(t, path).Lookup(lambdaAlias, "live")
	require.True(t, ok)
	return e.Outputs["functionVersion"].(string)
}

func wait(t *testing.T, path string, ids ...string) ([]release.Deployment, error) {
	t.Helper()
	return release.Wait(context.Background(), Deployments{AccountPath: path}, ids, release.WaitOptions{
		Sleep: func(context.Context, time.Duration) error { t.Fatal("local deployments end at once"); return nil },
	})
}

func TestReleaseMovesTheAlias(t *testing.T) {
	p, path := newProvider(t, Options{})
	_, err := create(t, p, lambdaAlias, "get-alias", props(map[string]any{"name": "live", "functionName": releasedFn, "functionVersion": "1"}))
	require.NoError(t, err)

	resp, err := invoke(t, p, "get-release", "1")
	require.NoError(t, err)
	assert.Equal(t, release.Response{Skipped: true, Reason: "alias live already points at version 1"}, resp)
	assert.Empty(t, load(t, path).Deployments)

	resp, err = invoke(t, p, "get-release-2", "2")
	require.NoError(t, err)
	require.NotEmpty(t, resp.DeploymentID)
	assert.Regexp(t, `^d-[A-Z2-7]{9}$`, resp.DeploymentID)
	assert.Equal(t, release.Created(release.Request{Alias: "live", TargetVersion: "2"}, resp.DeploymentID, "1"), resp)
	assert.Equal(t, "2", aliasVersion(t, path))

	got, err := wait(t, path, resp.DeploymentID)
	require.NoError(t, err)
	assert.Equal(t, []release.Deployment{{ID: resp.DeploymentID, Status: "Succeeded", Application: "acme-dev-accounts",
		DeploymentGroup: "acme-dev-accounts-get", Function: releasedFn, CurrentVersion: "1", TargetVersion: "2"}}, got)
}

func TestInjectedReleaseFaultRollsBack(t *testing.T) {
	p, path := newProvider(t, Options{Faults: FaultsValue(map[string]string{ReleaseFault(releasedFn): "errors alarm"})})
	_, err := create(t, p, lambdaAlias, "get-alias", props(map[string]any{"name": "live", "functionName": releasedFn, "functionVersion": "3"}))
	require.NoError(t, err)

	resp, err := invoke(t, p, "get-release", "4")
	require.NoError(t, err, "the hand-off succeeds; the deployment fails")
	assert.Equal(t, "3", aliasVersion(t, path), "the alias stays at the previous version")

	got, err := wait(t, path, resp.DeploymentID)
	require.Len(t, got, 1)
	assert.Equal(t, "Stopped", got[0].Status)
	assert.EqualError(t, err, "deployment "+resp.DeploymentID+" of "+releasedFn+" (version 3 -> 4) in acme-dev-accounts/acme-dev-accounts-get stopped: "+
		"ALARM_ACTIVE: injected fault: errors alarm; rollback: automatic rollback: alias live stays at version 3")

	_, err = wait(t, path, "d-NOPE")
	assert.ErrorContains(t, err, "deployment d-NOPE is not in the local account")
}

func TestReleaseRequestErrors(t *testing.T) {
	p, _ := newProvider(t, Options{})
	_, err := invoke(t, p, "get-release", "2")
	assert.EqualError(t, err, "local: release "+releasedFn+" version 2: get alias live: ResourceNotFoundException: the account has no such alias")

	_, err = invoke(t, p, "get-release-latest", "$LATEST")
	assert.ErrorContains(t, err, "local: invalid release request:")
	assert.ErrorContains(t, err, "targetVersion")

	// An invocation of another function answers as offline.
	resp, err := create(t, p, lambdaInvocation, "other", props(map[string]any{"functionName": "f", "input": `{"a":1}`}))
	require.NoError(t, err)
	assert.Equal(t, "{}", resp.Properties["result"].StringValue())
	_, err = Deployments{AccountPath: "/nonexistent/account.json"}.GetDeployment(context.Background(),
		&codedeploy.GetDeploymentInput{DeploymentId: aws.String("d-1")})
	assert.Error(t, err)
}
