package scope_test

import (
	"testing"

	awsiam "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/platform/logs"
	"github.com/stratum-platform/stratum/platform/naming"
)

func TestValidate(t *testing.T) {
	require.NoError(t, scopetest.New().Validate())
	err := scope.Scope{Naming: naming.Scope{Org: "acme", Env: "dev", Context: "x"}, LogRetentionDays: 2,
		Tags: map[string]string{"aws:owner": "x"}}.Validate()
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, "Scope.KeyArn: is required")
	assert.Contains(t, msg, "Scope.AlarmTopicArn: is required")
	assert.Contains(t, msg, "Scope.LogRetentionDays: 2 is not one of CloudWatch's retention values (1, 3, 5,")
	assert.Contains(t, msg, "Scope.Tags: ")
}

func TestValidateUnkeyed(t *testing.T) {
	names := naming.Scope{Org: "acme", Env: "dev", Context: "x"}
	require.NoError(t, scope.Scope{Naming: names}.ValidateUnkeyed(), "a key's scope needs no key and no alarm topic")
	err := scope.Scope{Naming: naming.Scope{Org: "acme", Env: "dev"}, LogRetentionDays: 2}.ValidateUnkeyed()
	assert.EqualError(t, err, "Scope.Naming: naming: context is empty; it is required\n"+
		"Scope.LogRetentionDays: 2 is not one of CloudWatch's retention values ("+logs.RetentionValues()+")")
}

func TestValidateUnalarmed(t *testing.T) {
	names := naming.Scope{Org: "acme", Env: "dev", Context: "x"}
	require.NoError(t, scope.Scope{Naming: names, KeyArn: pulumi.String("k")}.ValidateUnalarmed(), "a topic needs no alarm topic")
	assert.EqualError(t, scope.Scope{Naming: names}.ValidateUnalarmed(), "Scope.KeyArn: is required (the KMS key that encrypts data at rest)")
}

func TestDefaultsAndHelpers(t *testing.T) {
	s := scopetest.New()
	assert.Equal(t, 30, s.Retention())
	s.LogRetentionDays = 365
	assert.Equal(t, 365, s.Retention())
	assert.Equal(t, "acme-dev-orders-jobs", s.Name(naming.SQSQueue, "jobs"))
	assert.Empty(t, s.Stateful(), "nothing is protected unless the scope protects")
	s.Protect = true
	assert.Len(t, s.Stateful(), 2)
	assert.Equal(t, pulumi.String("stratum"), s.TagMap()["managed-by"])
}

func TestPermissionsBoundary(t *testing.T) {
	s := scopetest.New()
	for _, bad := range []string{"acme-dev-boundary", "arn:aws:iam::aws:policy/AdministratorAccess",
		"arn:aws:iam::111111111111:role/acme-dev-boundary", "arn:aws:iam::111111111111:policy/*", "arn:aws:iam::111111111111:policy/"} {
		s.PermissionsBoundaryArn = pulumi.String(bad)
		assert.EqualError(t, s.Validate(), `Scope.PermissionsBoundaryArn: "`+bad+`" is not a customer managed policy ARN `+
			`(arn:aws:iam::<account>:policy/<name>)`)
	}
	s.PermissionsBoundaryArn = pulumi.String("arn:aws:iam::111111111111:policy/acme-dev-boundary")
	require.NoError(t, s.Validate())

	var role awsiam.RoleArgs
	scopetest.New().Bound(&role)
	assert.Nil(t, role.PermissionsBoundary, "a scope without a boundary leaves the role as it is")
	s.Bound(&role)
	assert.NotNil(t, role.PermissionsBoundary)
}
