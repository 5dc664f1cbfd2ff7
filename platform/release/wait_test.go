package release

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeDeployments answers GetDeployment from a script: each deployment's infos in turn, the
// last one for ever after.
type fakeDeployments struct {
	script map[string][]*types.DeploymentInfo
	errs   map[string]error
	calls  map[string]int
}

func (f *fakeDeployments) GetDeployment(_ context.Context, in *codedeploy.GetDeploymentInput, _ ...func(*codedeploy.Options)) (*codedeploy.GetDeploymentOutput, error) {
	id := aws.ToString(in.DeploymentId)
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[id]++
	if err := f.errs[id]; err != nil {
		return nil, err
	}
	infos, ok := f.script[id]
	if !ok {
		return nil, &types.DeploymentDoesNotExistException{Message: aws.String("no deployment " + id)}
	}
	return &codedeploy.GetDeploymentOutput{DeploymentInfo: infos[min(f.calls[id], len(infos))-1]}, nil
}

func info(id string, status types.DeploymentStatus) *types.DeploymentInfo {
	content, _ := AppSpec{Function: "acme-dev-accounts-register", Alias: "live", CurrentVersion: "6", TargetVersion: "7"}.Content()
	return &types.DeploymentInfo{
		DeploymentId: aws.String(id), Status: status,
		ApplicationName: aws.String("acme-dev-accounts"), DeploymentGroupName: aws.String("register"),
		Revision: &types.RevisionLocation{RevisionType: types.RevisionLocationTypeAppSpecContent,
			AppSpecContent: &types.AppSpecContent{Content: aws.String(content)}},
	}
}

func rolledBack(id string) *types.DeploymentInfo {
	i := info(id, types.DeploymentStatusFailed)
	i.ErrorInformation = &types.ErrorInformation{Code: types.ErrorCodeAlarmActive,
		Message: aws.String("One or more alarms have been activated according to the Amazon CloudWatch metrics you selected")}
	i.RollbackInfo = &types.RollbackInfo{RollbackDeploymentId: aws.String("d-ROLLBACK"),
		RollbackMessage: aws.String("Automatic rollback triggered by alarm acme-dev-accounts-register-errors")}
	return i
}

// clock records the pauses Wait asks for and ends the context after limit of them.
type clock struct {
	pauses []time.Duration
	limit  int
	cancel context.CancelFunc
}

func (c *clock) sleep(ctx context.Context, d time.Duration) error {
	c.pauses = append(c.pauses, d)
	if c.limit > 0 && len(c.pauses) >= c.limit {
		c.cancel()
	}
	return ctx.Err()
}

func TestWaitSucceeds(t *testing.T) {
	f := &fakeDeployments{script: map[string][]*types.DeploymentInfo{
		"d-1": {info("d-1", types.DeploymentStatusCreated), info("d-1", types.DeploymentStatusInProgress),
			info("d-1", types.DeploymentStatusInProgress), info("d-1", types.DeploymentStatusSucceeded)},
		"d-2": {info("d-2", types.DeploymentStatusSucceeded)},
	}}
	c := &clock{}
	var seen []string
	got, err := Wait(context.Background(), f, []string{"d-1", "d-2", "d-1", ""}, WaitOptions{
		PollInterval: 4 * time.Second, MaxPollInterval: 7 * time.Second, Sleep: c.sleep,
		Progress: func(d Deployment) { seen = append(seen, d.ID+" "+d.Status) },
	})
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, Deployment{ID: "d-1", Status: "Succeeded", Application: "acme-dev-accounts", DeploymentGroup: "register",
		Function: "acme-dev-accounts-register", CurrentVersion: "6", TargetVersion: "7"}, got[0])
	assert.Equal(t, []time.Duration{4 * time.Second, 6 * time.Second, 7 * time.Second}, c.pauses, "backoff grows by half to the cap")
	assert.Equal(t, []string{"d-1 Created", "d-2 Succeeded", "d-1 InProgress", "d-1 Succeeded"}, seen)
	assert.Equal(t, 1, f.calls["d-2"], "an ended deployment is not polled again")
}

func TestWaitReportsRollback(t *testing.T) {
	stopped := info("d-3", types.DeploymentStatusStopped)
	stopped.ErrorInformation = &types.ErrorInformation{Code: types.ErrorCodeManualStop, Message: aws.String("Deployment was manually stopped")}
	f := &fakeDeployments{script: map[string][]*types.DeploymentInfo{
		"d-1": {info("d-1", types.DeploymentStatusInProgress), rolledBack("d-1")},
		"d-2": {info("d-2", types.DeploymentStatusSucceeded)},
		"d-3": {stopped},
	}}
	c := &clock{}
	got, err := Wait(context.Background(), f, []string{"d-1", "d-2", "d-3"}, WaitOptions{Sleep: c.sleep})
	require.Error(t, err)
	assert.Len(t, got, 3)
	assert.EqualError(t, err, "deployment d-1 of acme-dev-accounts-register (version 6 -> 7) in acme-dev-accounts/register failed: "+
		"ALARM_ACTIVE: One or more alarms have been activated according to the Amazon CloudWatch metrics you selected; "+
		"rolled back by d-ROLLBACK: Automatic rollback triggered by alarm acme-dev-accounts-register-errors\n"+
		"deployment d-3 of acme-dev-accounts-register (version 6 -> 7) in acme-dev-accounts/register stopped: "+
		"MANUAL_STOP: Deployment was manually stopped")
	de, ok := errors.AsType[*DeploymentError](err)
	require.True(t, ok)
	assert.Equal(t, "d-ROLLBACK", de.Deployment.RollbackDeploymentID)
	assert.Equal(t, []time.Duration{DefaultPollInterval}, c.pauses)
}

func TestWaitDeadline(t *testing.T) {
	f := &fakeDeployments{script: map[string][]*types.DeploymentInfo{
		"d-1": {info("d-1", types.DeploymentStatusBaking)},
		"d-2": {info("d-2", types.DeploymentStatusSucceeded)},
	}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := &clock{limit: 3, cancel: cancel}
	_, err := Wait(ctx, f, []string{"d-1", "d-2"}, WaitOptions{Sleep: c.sleep})
	assert.EqualError(t, err, "waiting for deployments: context canceled; still running: d-1 (Baking)")
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 3, f.calls["d-1"])
}

func TestWaitGetFails(t *testing.T) {
	throttled := errors.New("api error ThrottlingException: Rate exceeded")
	f := &fakeDeployments{
		script: map[string][]*types.DeploymentInfo{"d-1": {info("d-1", types.DeploymentStatusInProgress)}},
		errs:   map[string]error{"d-2": throttled},
	}
	_, err := Wait(context.Background(), f, []string{"d-1", "d-2", "d-9"}, WaitOptions{Sleep: (&clock{}).sleep})
	assert.EqualError(t, err, "deployment d-2: get deployment: api error ThrottlingException: Rate exceeded\n"+
		"deployment d-9: get deployment: DeploymentDoesNotExistException: no deployment d-9")
	assert.ErrorIs(t, err, throttled)
}

func TestWaitNothing(t *testing.T) {
	got, err := Wait(context.Background(), &fakeDeployments{}, nil, WaitOptions{})
	assert.NoError(t, err)
	assert.Empty(t, got)
}

func TestReason(t *testing.T) {
	for want, d := range map[string]Deployment{
		"":                                 {Status: "Succeeded"},
		"ALARM_ACTIVE: alarm x":            {ErrorCode: "ALARM_ACTIVE", ErrorMessage: "alarm x"},
		"HEALTH_CONSTRAINTS":               {ErrorCode: "HEALTH_CONSTRAINTS"},
		"rolled back by d-R: by alarm":     {RollbackDeploymentID: "d-R", RollbackMessage: "by alarm"},
		"MANUAL_STOP: x; rollback: failed": {ErrorCode: "MANUAL_STOP", ErrorMessage: "x", RollbackMessage: "failed"},
	} {
		assert.Equal(t, want, d.Reason())
	}
}
