package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/engine"
	"github.com/stratum-platform/stratum/platform/release"
)

const functionURN = "urn:pulumi:dev::accounts::stratum:service:Service$stratum:function:Function"

// invocation is a release invocation of function as the engine's state holds it.
func invocation(function, result string) engine.StateResource {
	return engine.StateResource{
		URN: functionURN + "$" + invocationType + "::" + function + "-release", Type: invocationType, ID: "inv-" + function,
		Outputs: map[string]any{
			"input":  `{"functionName":"acme-dev-accounts-` + function + `","alias":"live","targetVersion":"3"}`,
			"result": result,
		},
	}
}

func TestReleasesFollowTheReportedDeployments(t *testing.T) {
	got, err := releases("accounts", []engine.StateResource{
		{URN: functionURN + "$aws:lambda/function:Function::claim", Type: "aws:lambda/function:Function"},
		invocation("claim", `{"deploymentId":"d-CLAIM","skipped":false,"reason":"created"}`),
		// The alias already points at the target: nothing to follow.
		invocation("remove", `{"skipped":true,"reason":"alias live already points at version 3"}`),
		// A deployment with the same target was in flight: it is the one to follow.
		invocation("register", `{"deploymentId":"d-INFLIGHT","skipped":true,"reason":"in flight"}`),
	})
	require.NoError(t, err)
	assert.Equal(t, []awaited{
		{Project: "accounts", Function: "acme-dev-accounts-claim", Resource: invocation("claim", "").URN, DeploymentID: "d-CLAIM"},
		{Project: "accounts", Function: "acme-dev-accounts-register", Resource: invocation("register", "").URN, DeploymentID: "d-INFLIGHT"},
	}, got)
}

func TestReleasesWithoutAnInputNameTheLogicalFunction(t *testing.T) {
	r := invocation("claim", `{"deploymentId":"d-1","skipped":false,"reason":"created"}`)
	delete(r.Outputs, "input")
	got, err := releases("accounts", []engine.StateResource{r})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "claim", got[0].Function)
}

func TestReleasesRefuseAnUnparsableResult(t *testing.T) {
	broken := invocation("claim", "Task timed out after 30.00 seconds")
	secret := invocation("remove", "")
	secret.Outputs["result"] = map[string]any{"ciphertext": "v1:abc"}
	_, err := releases("accounts", []engine.StateResource{
		invocation("register", `{"deploymentId":"d-1","skipped":false,"reason":"created"}`), broken, secret,
	})
	require.Error(t, err)
	assert.ErrorContains(t, err, broken.URN+`: the release invocation's result "Task timed out after 30.00 seconds" is not the release function's response`)
	assert.ErrorContains(t, err, secret.URN+": the release invocation has no result string (got map[string]interface {})")
}

// deployments answers GetDeployment with a fixed state per deployment.
type deployments map[string]*types.DeploymentInfo

func (f deployments) GetDeployment(_ context.Context, in *codedeploy.GetDeploymentInput, _ ...func(*codedeploy.Options)) (*codedeploy.GetDeploymentOutput, error) {
	info, ok := f[aws.ToString(in.DeploymentId)]
	if !ok {
		return nil, &types.DeploymentDoesNotExistException{Message: aws.String("no deployment " + aws.ToString(in.DeploymentId))}
	}
	return &codedeploy.GetDeploymentOutput{DeploymentInfo: info}, nil
}

func deployment(id string, status types.DeploymentStatus) *types.DeploymentInfo {
	return &types.DeploymentInfo{DeploymentId: aws.String(id), Status: status,
		ApplicationName: aws.String("acme-dev-accounts-releases"), DeploymentGroupName: aws.String("acme-dev-accounts-claim")}
}

var claimAndRegister = []awaited{
	{Project: "accounts", Function: "acme-dev-accounts-claim", DeploymentID: "d-CLAIM"},
	{Project: "inventory", Function: "acme-dev-inventory-register", DeploymentID: "d-REGISTER"},
}

func TestFollowSucceeded(t *testing.T) {
	// Two regions: each deployment is read from its own client.
	route := byDeployment{
		"d-CLAIM":    deployments{"d-CLAIM": deployment("d-CLAIM", types.DeploymentStatusSucceeded)},
		"d-REGISTER": deployments{"d-REGISTER": deployment("d-REGISTER", types.DeploymentStatusSucceeded)},
	}
	var out bytes.Buffer
	require.NoError(t, follow(context.Background(), route, claimAndRegister, release.WaitOptions{}, &out))
	assert.Equal(t, "accounts   acme-dev-accounts-claim      d-CLAIM     Succeeded\n"+
		"inventory  acme-dev-inventory-register  d-REGISTER  Succeeded\n", out.String())
}

func TestFollowFailedWithRollback(t *testing.T) {
	failed := deployment("d-REGISTER", types.DeploymentStatusFailed)
	failed.ErrorInformation = &types.ErrorInformation{Code: types.ErrorCodeAlarmActive, Message: aws.String("alarm acme-dev-inventory-register-errors is in ALARM")}
	failed.RollbackInfo = &types.RollbackInfo{RollbackDeploymentId: aws.String("d-ROLLBACK"), RollbackMessage: aws.String("Automatic rollback triggered by alarm")}
	client := deployments{"d-CLAIM": deployment("d-CLAIM", types.DeploymentStatusSucceeded), "d-REGISTER": failed}
	var out bytes.Buffer
	err := follow(context.Background(), client, claimAndRegister, release.WaitOptions{}, &out)
	assert.EqualError(t, err, "release wait: 1 of 2 deployments failed or were stopped")
	assert.Equal(t, "accounts   acme-dev-accounts-claim      d-CLAIM     Succeeded\n"+
		"inventory  acme-dev-inventory-register  d-REGISTER  Failed: ALARM_ACTIVE: alarm acme-dev-inventory-register-errors is in ALARM; "+
		"rolled back by d-ROLLBACK: Automatic rollback triggered by alarm\n", out.String())
}

func TestFollowTimesOut(t *testing.T) {
	client := deployments{
		"d-CLAIM":    deployment("d-CLAIM", types.DeploymentStatusSucceeded),
		"d-REGISTER": deployment("d-REGISTER", types.DeploymentStatusBaking),
	}
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	var out bytes.Buffer
	err := follow(ctx, client, claimAndRegister, release.WaitOptions{}, &out)
	assert.EqualError(t, err, "release wait: timed out: waiting for deployments: context deadline exceeded; still running: d-REGISTER (Baking)")
	assert.Contains(t, out.String(), "d-REGISTER  Baking\n")
}

func TestFollowUnreadableDeployment(t *testing.T) {
	var out bytes.Buffer
	err := follow(context.Background(), deployments{}, claimAndRegister[:1], release.WaitOptions{}, &out)
	assert.EqualError(t, err, "deployment d-CLAIM: get deployment: DeploymentDoesNotExistException: no deployment d-CLAIM")
	assert.Equal(t, "accounts  acme-dev-accounts-claim  d-CLAIM  unknown\n", out.String())
}

func TestReleaseWaitUsage(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run([]string{"release", "wait", "--local", "accounts"}, &out, io.Discard))
	assert.Equal(t, "stratum release wait: local mode does not emulate CodeDeploy deployments; nothing to wait for\n", out.String())
	for args, want := range map[string]string{
		"release":                       "release: the one subcommand is wait",
		"release start":                 "release: the one subcommand is wait",
		"release wait --timeout 0s":     "release wait: --timeout must be positive, got 0s",
		"release wait --local billing":  `release wait: no project "billing" in the registry`,
		"release wait --timeout banana": `invalid value "banana" for flag -timeout`,
	} {
		assert.ErrorContains(t, run(strings.Fields(args), io.Discard, io.Discard), want, args)
	}
}

func TestRegisteredKeepsRegistryOrder(t *testing.T) {
	got, err := registered([]string{"notifications", "platform"})
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "platform", got[0].Name)
	assert.Equal(t, "notifications", got[1].Name)
}
