package release_test

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy/types"

	"github.com/stratum-platform/stratum/platform/release"
)

// deployments answers GetDeployment as CodeDeploy does once a canary tripped its alarm.
type deployments struct{}

func (deployments) GetDeployment(_ context.Context, in *codedeploy.GetDeploymentInput, _ ...func(*codedeploy.Options)) (*codedeploy.GetDeploymentOutput, error) {
	content, _ := release.AppSpec{Function: "acme-prod-accounts-register", Alias: "live", CurrentVersion: "6", TargetVersion: "7"}.Content()
	return &codedeploy.GetDeploymentOutput{DeploymentInfo: &types.DeploymentInfo{
		DeploymentId: in.DeploymentId, Status: types.DeploymentStatusFailed,
		ApplicationName: aws.String("acme-prod-accounts"), DeploymentGroupName: aws.String("register"),
		ErrorInformation: &types.ErrorInformation{Code: types.ErrorCodeAlarmActive, Message: aws.String("alarm acme-prod-accounts-register-errors is in ALARM")},
		RollbackInfo:     &types.RollbackInfo{RollbackDeploymentId: aws.String("d-ROLLBACK1"), RollbackMessage: aws.String("Automatic rollback triggered by alarm")},
		Revision:         &types.RevisionLocation{AppSpecContent: &types.AppSpecContent{Content: aws.String(content)}},
	}}, nil
}

// `stratum release wait` follows the deployments that a run's release invocations started
// and fails with CodeDeploy's reason.
func ExampleWait() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	_, err := release.Wait(ctx, deployments{}, []string{"d-CANARY1"}, release.WaitOptions{})
	fmt.Println(err)
	// Output:
	// deployment d-CANARY1 of acme-prod-accounts-register (version 6 -> 7) in acme-prod-accounts/register failed: ALARM_ACTIVE: alarm acme-prod-accounts-register-errors is in ALARM; rolled back by d-ROLLBACK1: Automatic rollback triggered by alarm
}
