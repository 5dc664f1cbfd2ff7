package service_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/secret"
	"github.com/stratum-platform/stratum/components/service"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
)

// TestSecret: a context's secret is administered by the platform's deploy role, its
// rotation's stray failures go to the failures queue, its roles carry the boundary, and the
// resource policy names the reader's real role.
func TestSecret(t *testing.T) {
	p := plantest.RunWithReferences(t, refs, func(ctx *pulumi.Context) error {
		svc, err := service.New(ctx, "orders", args())
		if err != nil {
			return err
		}
		signing, err := svc.Secret("signing", secret.Args{Readers: []string{"deliver"}, RotationArchive: "testdata/bootstrap.zip"})
		if err != nil {
			return err
		}
		if _, err := svc.Function("deliver", function.Args{Archive: "testdata/bootstrap.zip", Grants: signing.AllowRead()}); err != nil {
			return err
		}
		return svc.Finish()
	})
	sec, err := p.Get(secret.TypeToken, "signing")
	require.NoError(t, err)
	svc, err := p.Get(service.TypeToken, "orders")
	require.NoError(t, err)
	assert.Equal(t, svc.URN, sec.Parent)

	policy, err := p.Get("aws:secretsmanager/secretPolicy:SecretPolicy", "signing-policy")
	require.NoError(t, err)
	doc, err := iam.Parse(policy.String("policy"))
	require.NoError(t, err)
	deliverRole, err := p.Get("aws:iam/role:Role", "deliver-role")
	require.NoError(t, err)
	assert.Contains(t, doc.Statement[0].Condition["ArnNotEquals"]["aws:PrincipalArn"], deliverRole.Outputs["arn"])
	assert.Equal(t, []string{"arn:aws:iam::111111111111:role/acme-dev-platform-ci-deploy", "arn:aws:iam::111111111111:root"},
		doc.Statement[2].Condition["ArnNotEquals"]["aws:PrincipalArn"])

	failures, err := p.Get("aws:sqs/queue:Queue", "failures")
	require.NoError(t, err)
	async, err := p.Get("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "signing-rotation-async")
	require.NoError(t, err)
	assert.Equal(t, failures.Outputs["arn"], async.Inputs["destinationConfig"].(map[string]any)["onFailure"].(map[string]any)["destination"])
	for _, r := range p.Find("aws:iam/role:Role", "") {
		assert.Equal(t, boundary, r.Inputs["permissionsBoundary"], r.Name)
	}
	dash, err := p.Get("aws:cloudwatch/dashboard:Dashboard", "orders-dashboard")
	require.NoError(t, err)
	assert.Contains(t, dash.String("dashboardBody"), "Secret signing rotation")
}
