package permission

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResolve(t *testing.T) {
	const fn = "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-accounts-register"
	perms := []Permission{
		{Action: "lambda:GetAlias", On: "function"},
		{Action: "lambda:GetAlias", On: "function", Suffix: ":*"},
		{Action: "lambda:GetAlias", On: "function"},
		{Action: "cloudwatch:DescribeAlarms", On: "alarm"},
	}
	got, err := Resolve(perms, map[Resource][]string{"function": {fn}, "alarm": {"b", "a"}})
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{
		"lambda:GetAlias":           {fn, fn + ":*"},
		"cloudwatch:DescribeAlarms": {"a", "b"},
	}, got)
}

func TestResolveNamesEveryMissingResource(t *testing.T) {
	perms := []Permission{{Action: "a:B", On: "zeta"}, {Action: "a:C", On: "alpha"}, {Action: "a:D", On: "zeta"}, {Action: "a:E", On: "here"}}
	_, err := Resolve(perms, map[Resource][]string{"here": {"arn"}, "alpha": {}})
	assert.EqualError(t, err, "no ARN for alpha, zeta")
	assert.NoError(t, Missing(perms, func(Resource) bool { return true }))
}
