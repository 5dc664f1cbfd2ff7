package release

import (
	"testing"

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
	got, err := Resolve(ReleaserPermissions(), map[Resource][]string{
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
	arns := map[Resource][]string{Function: {fnArn}, DeploymentGroup: {groupArn}}
	got, err := Resolve(SmokePermissions(false), arns)
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{
		"codedeploy:GetDeployment":                        {groupArn},
		"codedeploy:PutLifecycleEventHookExecutionStatus": {groupArn},
	}, got)
	got, err = Resolve(SmokePermissions(true), arns)
	require.NoError(t, err)
	assert.Equal(t, []string{fnArn + ":*"}, got["lambda:InvokeFunction"])
}

func TestResolveNamesMissingResources(t *testing.T) {
	_, err := Resolve(ServiceRolePermissions(), map[Resource][]string{Function: {fnArn}})
	assert.EqualError(t, err, "release: no ARN for alarm, hookFunction")
}
