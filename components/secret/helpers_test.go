package secret_test

import (
	"slices"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/components/secret"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
)

const (
	secretType   = "aws:secretsmanager/secret:Secret"
	policyType   = "aws:secretsmanager/secretPolicy:SecretPolicy"
	rotationType = "aws:secretsmanager/secretRotation:SecretRotation"
	permType     = "aws:lambda/permission:Permission"
	roleType     = "aws:iam/role:Role"
	account      = "111111111111"
	deployRole   = "arn:aws:iam::111111111111:role/acme-dev-platform-ci-deploy"
	boundary     = "arn:aws:iam::111111111111:policy/acme-dev-boundary"
	rotationRole = "arn:aws:iam::111111111111:role/acme-dev-orders-signing-rotation"
	rootArn      = "arn:aws:iam::111111111111:root"
	aliasArn     = "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-orders-signing-rotation:live"
	archive      = "testdata/bootstrap.zip"
)

// args returns the Args of secret "signing" read by function "deliver", with a prebuilt
// rotation function so that tests build nothing.
func args() *secret.Args {
	s := scopetest.New()
	s.PermissionsBoundaryArn = pulumi.String(boundary)
	return &secret.Args{
		Scope:           s,
		Readers:         []string{"deliver"},
		Administrators:  []pulumi.StringInput{pulumi.String(deployRole)},
		RotationArchive: archive,
	}
}

// run plans secret "signing" with a (args() when nil).
func run(t *testing.T, a *secret.Args) *plan.Plan {
	t.Helper()
	if a == nil {
		a = args()
	}
	return plantest.Run(t, func(ctx *pulumi.Context) error {
		_, err := secret.New(ctx, "signing", a)
		return err
	})
}

func get(t *testing.T, p *plan.Plan, typ, name string) plan.Resource {
	t.Helper()
	r, err := p.Get(typ, name)
	require.NoError(t, err)
	return r
}

func parse(t *testing.T, r plan.Resource, key string) iam.Parsed {
	t.Helper()
	doc, ok := r.Inputs[key].(string)
	require.True(t, ok, "%s of %s is %v", key, r.Name, r.Inputs[key])
	parsed, err := iam.Parse(doc)
	require.NoError(t, err)
	return parsed
}

func children(p *plan.Plan, urn string) []string {
	var out []string
	for _, r := range p.Children(urn) {
		out = append(out, r.Type+" "+r.Name)
	}
	slices.Sort(out)
	return out
}
