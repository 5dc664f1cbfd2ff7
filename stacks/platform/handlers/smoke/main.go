// Command smoke is a CodeDeploy lifecycle hook (AfterAllowTraffic or BeforeAllowTraffic) that
// runs a release's smoke checks and reports Succeeded or Failed for them with
// PutLifecycleEventHookExecutionStatus: a failed check fails the deployment, and CodeDeploy
// rolls the alias back.
//
// The checks (release.Check: method, path, expected status) come from SMOKE_CHECKS. With
// SMOKE_BASE_URL each check is an HTTP request to that URL plus its path, through the API as
// clients call it; with SMOKE_INVOKE=true each check also invokes the deployment's target
// version (read from the deployment's AppSpec) directly, with an API Gateway payload 2.0
// request, which tests the new version before any traffic reaches it. A direct invocation
// passes no authorizer, so it carries no JWT claims, and no path parameters: check routes
// that need neither, or expect the status a handler answers without them.
//
// IAM: exactly release.SmokePermissions(invoke): codedeploy:GetDeployment and
// codedeploy:PutLifecycleEventHookExecutionStatus on the deployment group, and with
// SMOKE_INVOKE lambda:InvokeFunction on the released function's qualified ARNs. CodeDeploy's
// service role needs lambda:InvokeFunction on this function (release.ServiceRolePermissions).
//
// Environment: SMOKE_CHECKS (required), SMOKE_BASE_URL and SMOKE_INVOKE (at least one).
package main

import (
	"net/http"

	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/release"
)

func main() {
	lambdakit.Main([]string{release.EnvSmokeChecks}, func(s lambdakit.Setup) (any, error) {
		cfg, err := loadConfig(func(name string) string { return s.Env[name] }, lookupOptional)
		if err != nil {
			return nil, err
		}
		h := &handler{
			cfg:    cfg,
			http:   &http.Client{Timeout: release.DefaultCheckTimeout},
			lambda: lambda.NewFromConfig(s.AWS),
			deploy: codedeploy.NewFromConfig(s.AWS),
		}
		return h.Handle, nil
	})
}
