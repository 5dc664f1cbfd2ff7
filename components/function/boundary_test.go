package function_test

import (
	"testing"

	awsiam "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
)

// TestRoleCarriesTheScopesBoundary: the function's role carries the scope's permissions
// boundary, which a hook can neither remove nor replace.
func TestRoleCarriesTheScopesBoundary(t *testing.T) {
	const boundary = "arn:aws:iam::111111111111:policy/acme-dev-boundary"
	s := scopetest.New()
	s.PermissionsBoundaryArn = pulumi.String(boundary)
	for name, hook := range map[string]func(*awsiam.RoleArgs){
		"no hook": nil,
		"removed": func(r *awsiam.RoleArgs) { r.PermissionsBoundary = nil },
		"replaced": func(r *awsiam.RoleArgs) {
			r.PermissionsBoundary = pulumi.String("arn:aws:iam::aws:policy/AdministratorAccess")
		},
	} {
		t.Run(name, func(t *testing.T) {
			p := run(t, &function.Args{Scope: s, Overrides: function.Overrides{Role: hook}})
			assert.Equal(t, boundary, get(t, p, "aws:iam/role:Role", "api-role").Inputs["permissionsBoundary"])
		})
	}
	p := run(t, &function.Args{})
	assert.NotContains(t, get(t, p, "aws:iam/role:Role", "api-role").Inputs, "permissionsBoundary",
		"a scope without a boundary gives none")
}
