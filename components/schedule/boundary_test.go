package schedule_test

import (
	"testing"

	awsiam "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"

	"github.com/stratum-platform/stratum/components/schedule"
)

// TestRoleCarriesTheScopesBoundary: the schedule's role carries the scope's permissions
// boundary, which a hook can neither remove nor replace.
func TestRoleCarriesTheScopesBoundary(t *testing.T) {
	const boundary = "arn:aws:iam::111111111111:policy/acme-dev-boundary"
	p := run(t, func(a *schedule.Args) {
		a.Scope.PermissionsBoundaryArn = pulumi.String(boundary)
		a.Overrides.Role = func(r *awsiam.RoleArgs) {
			r.PermissionsBoundary = pulumi.String("arn:aws:iam::aws:policy/AdministratorAccess")
		}
	})
	assert.Equal(t, boundary, get(t, p, "aws:iam/role:Role", "nightly-role").Inputs["permissionsBoundary"])

	p = run(t, nil)
	assert.NotContains(t, get(t, p, "aws:iam/role:Role", "nightly-role").Inputs, "permissionsBoundary",
		"a scope without a boundary gives none")
}
