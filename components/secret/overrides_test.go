package secret_test

import (
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/components/secret"
	"github.com/stratum-platform/stratum/platform/iam"
)

// TestOverrides shows that hooks change what the component leaves open and cannot remove
// what it owns.
func TestOverrides(t *testing.T) {
	a := args()
	a.Overrides = secret.Overrides{
		Secret: func(s *secretsmanager.SecretArgs) {
			s.Description = pulumi.String("Custom.") // open
			s.Name = pulumi.String("other")
			s.KmsKeyId = nil
			s.RecoveryWindowInDays = pulumi.Int(0)
			s.Policy = pulumi.String(`{"Statement":[]}`)
			s.Replicas = secretsmanager.SecretReplicaArray{secretsmanager.SecretReplicaArgs{Region: pulumi.String("us-east-1")}}
		},
		Policy: func(p *secretsmanager.SecretPolicyArgs) {
			p.Policy = pulumi.String(`{"Statement":[]}`)
			p.BlockPublicPolicy = pulumi.Bool(false)
		},
		Rotation: func(r *secretsmanager.SecretRotationArgs) {
			r.RotationLambdaArn = pulumi.String("arn:aws:lambda:eu-west-1:111111111111:function:other")
			r.RotateImmediately = pulumi.Bool(false)
		},
		Permission: func(p *lambda.PermissionArgs) {
			p.Principal = pulumi.String("*")
			p.SourceArn = nil
		},
		RotationFunction: func(f *function.Args) {
			f.MemoryMB = 256                 // open
			f.Timeout = time.Minute          // open
			f.Archive = "testdata/other.zip" // owned
			f.Environment = nil              // owned
			f.Grants = iam.Statements{{Sid: "All", Actions: []string{"secretsmanager:GetSecretValue"},
				Resources: []pulumi.StringInput{pulumi.String("*")}}}
		},
	}
	p := run(t, a)
	s := get(t, p, secretType, "signing").Inputs
	assert.Equal(t, "Custom.", s["description"])
	assert.Equal(t, "acme-dev-orders-signing", s["name"])
	assert.Equal(t, scopetest.KeyArn, s["kmsKeyId"])
	assert.EqualValues(t, 30, s["recoveryWindowInDays"])
	assert.NotContains(t, s, "policy")
	assert.NotContains(t, s, "replicas")

	policy := get(t, p, policyType, "signing-policy")
	assert.Equal(t, true, policy.Inputs["blockPublicPolicy"])
	assert.Len(t, parse(t, policy, "policy").Statement, 3)

	r := get(t, p, rotationType, "signing-rotation").Inputs
	assert.Equal(t, aliasArn, r["rotationLambdaArn"])
	assert.Equal(t, true, r["rotateImmediately"])

	perm := get(t, p, permType, "signing-rotation-permission").Inputs
	assert.Equal(t, "secretsmanager.amazonaws.com", perm["principal"])
	assert.Equal(t, secretArn, perm["sourceArn"])

	fn := get(t, p, "aws:lambda/function:Function", "signing-rotation").Inputs
	assert.EqualValues(t, 256, fn["memorySize"])
	assert.EqualValues(t, 60, fn["timeout"])
	assert.Contains(t, fn["environment"].(map[string]any)["variables"], secret.EnvSecretArn)
	grants := parse(t, get(t, p, "aws:iam/rolePolicy:RolePolicy", "signing-rotation-policy"), "policy")
	for _, st := range grants.Statement {
		assert.NotEqual(t, "All", st.Sid)
	}
}
