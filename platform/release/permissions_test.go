package release

import (
	"testing"

	"github.com/stratum-platform/stratum/platform/permission"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	fnArn     = "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-accounts-register"
	appArn    = "arn:aws:codedeploy:eu-west-1:111111111111:application:acme-dev-accounts"
	groupArn  = "arn:aws:codedeploy:eu-west-1:111111111111:deploymentgroup:acme-dev-accounts/register"
	configArn = "arn:aws:codedeploy:eu-west-1:111111111111:deploymentconfig:CodeDeployDefault.LambdaCanary10Percent5Minutes"
)

func TestReleaserPermissions(t *testing.T) {
	got, err := permission.Resolve(ReleaserPermissions(), map[permission.Resource][]string{
		Function: {fnArn}, Application: {appArn}, DeploymentGroup: {groupArn}, DeploymentConfig: {configArn},
	})
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{
		"lambda:GetAlias":                        {fnArn, fnArn + ":*"},
		"lambda:ListVersionsByFunction":          {fnArn, fnArn + ":*"},
		"lambda:DeleteFunction":                  {fnArn + ":*"},
		"codedeploy:ListDeployments":             {groupArn},
		"codedeploy:GetDeployment":               {groupArn},
		"codedeploy:StopDeployment":              {groupArn},
		"codedeploy:CreateDeployment":            {groupArn},
		"codedeploy:GetDeploymentConfig":         {configArn},
		"codedeploy:RegisterApplicationRevision": {appArn},
		"codedeploy:GetApplicationRevision":      {appArn},
	}, got)
	for action, res := range got {
		for _, r := range res {
			assert.NotContains(t, r, "*:", "%s on %s", action, r)
			assert.NotEqual(t, "*", r, action)
		}
	}
}

func TestSmokePermissions(t *testing.T) {
	arns := map[permission.Resource][]string{Function: {fnArn}, DeploymentGroup: {groupArn}}
	got, err := permission.Resolve(SmokePermissions(false), arns)
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{
		"codedeploy:GetDeployment":                        {groupArn},
		"codedeploy:PutLifecycleEventHookExecutionStatus": {groupArn},
	}, got)
	got, err = permission.Resolve(SmokePermissions(true), arns)
	require.NoError(t, err)
	assert.Equal(t, []string{fnArn + ":*"}, got["lambda:InvokeFunction"])
}
