package policy_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
)

// platformReference is a context's reference to the platform stack, which exports the
// boundary.
func platformReference(boundaryArn string) []plan.Resource {
	return []plan.Resource{{URN: "urn:pulumi:dev::orders::pulumi:pulumi:StackReference::organization/platform/dev",
		Type: "pulumi:pulumi:StackReference", Name: "organization/platform/dev", Inputs: map[string]any{},
		Outputs: map[string]any{"outputs": map[string]any{"permissionsBoundaryArn": boundaryArn}}}}
}

func TestIAMRoleBoundary(t *testing.T) {
	role := function("api")[1]
	other := "arn:aws:iam::111111111111:policy/acme-dev-loose"
	runCases(t, "iam-role-boundary", []ruleCase{
		{"compliant", [][]plan.Resource{function("api"), platformReference(boundary)}, nil},
		{"set, with no reference to compare with", [][]plan.Resource{function("api")}, nil},
		{"missing", [][]plan.Resource{one(with(role, map[string]any{"permissionsBoundary": nil})), platformReference(boundary)},
			[]policy.Violation{{URN: role.URN, Message: "permissionsBoundary is not set; set it to the platform's boundary " +
				boundary + " (the scope's PermissionsBoundaryArn), or the deploy role cannot create it"}}},
		{"missing, with no reference", [][]plan.Resource{one(with(role, map[string]any{"permissionsBoundary": nil}))},
			[]policy.Violation{{URN: role.URN, Message: "permissionsBoundary is not set; set it to the platform's boundary " +
				"(its stack output permissionsBoundaryArn)"}}},
		{"another boundary", [][]plan.Resource{one(with(role, map[string]any{"permissionsBoundary": other})), platformReference(boundary)},
			[]policy.Violation{{URN: role.URN, Message: "permissionsBoundary is " + other + ", not the platform's boundary " + boundary}}},
		{"an AWS managed policy", [][]plan.Resource{one(with(role, map[string]any{"permissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess"}))},
			[]policy.Violation{{URN: role.URN, Message: "permissionsBoundary is the AWS managed policy " +
				"arn:aws:iam::aws:policy/AdministratorAccess, which bounds nothing Stratum chose; use the platform's boundary"}}},
		{"a context's OIDC role is no exception", [][]plan.Resource{one(federatedRole("deploy", nil)), platformReference(boundary)},
			[]policy.Violation{{URN: urn("aws:iam/role:Role", "deploy"), Message: "permissionsBoundary is not set; set it to " +
				"the platform's boundary " + boundary + " (the scope's PermissionsBoundaryArn), or the deploy role cannot create it"}}},
	})
}

// In the platform project's plan the CI roles (assumed through GitHub's OIDC provider) are
// exempt, and any other role must carry the boundary the plan exports.
func TestIAMRoleBoundaryInThePlatformProject(t *testing.T) {
	service := with(function("release")[1], map[string]any{"permissionsBoundary": nil})
	p := newPlan(one(federatedRole("ci-deploy", nil)), one(service))
	p.Project = "platform"
	p.Outputs["permissionsBoundaryArn"] = boundary
	assert.Equal(t, []policy.Violation{{URN: service.URN, Message: "permissionsBoundary is not set; set it to the " +
		"platform's boundary " + boundary + " (the scope's PermissionsBoundaryArn), or the deploy role cannot create it"}},
		checkPlan(t, "iam-role-boundary", p))
}
