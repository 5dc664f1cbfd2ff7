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

var claimAndRegister = []engine.Awaited{
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
