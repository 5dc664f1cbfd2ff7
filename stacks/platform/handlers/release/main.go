// Command release is the platform's release function: a deploy invokes it, through Pulumi's
// aws.lambda.Invocation, for every new version of a function that releases gradually, and it
// hands the version to AWS CodeDeploy. Its input is release.Request and its answer
// release.Response (platform/release).
//
// For one request it reads the alias; stops an in-flight deployment of the function's
// deployment group that releases another version (with automatic rollback, then waits for
// the group to be idle); does nothing when the alias already points at the target version or
// a deployment in flight already releases it; otherwise creates a deployment whose revision
// is the AppSpec (platform/release.AppSpec) moving the alias from its current version to the
// target, with the optional BeforeAllowTraffic and AfterAllowTraffic hooks. It then deletes
// published versions beyond the newest KeepVersions, never $LATEST, the alias's current,
// routed or target version, nor one an in-flight deployment uses.
//
// IAM: exactly release.ReleaserPermissions(), per released function: lambda:GetAlias and
// lambda:ListVersionsByFunction on the function and its qualified ARNs,
// lambda:DeleteFunction on its qualified ARNs only (versions, never the function),
// codedeploy:ListDeployments, GetDeployment, StopDeployment and CreateDeployment on the
// deployment group, codedeploy:GetDeploymentConfig on the group's deployment configuration,
// and codedeploy:RegisterApplicationRevision and GetApplicationRevision on the application.
//
// Timeout: a few minutes. After stopping a deployment it waits, within the invocation's
// deadline, for the rollback that the stop starts, because CodeDeploy runs one deployment of
// a group at a time.
//
// Environment: none beyond the kit's.
package main

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

func main() {
	lambdakit.Main(nil, func(s lambdakit.Setup) (any, error) {
		h := &handler{
			lambda: lambda.NewFromConfig(s.AWS),
			deploy: codedeploy.NewFromConfig(s.AWS),
			sleep:  sleep,
			settle: 3 * time.Second,
		}
		return h.Handle, nil
	})
}
