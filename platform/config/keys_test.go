package config_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/config"
)

const (
	deployRole     = "arn:aws:iam::111111111111:role/acme-prod-platform-ci-deploy"
	breakGlassRole = "arn:aws:iam::111111111111:role/ops/acme-prod-breakglass"
)

func TestKeyAdministrators(t *testing.T) {
	c, err := config.Parse("accounts", "prod", valid())
	require.NoError(t, err)
	assert.Nil(t, c.KeyAdministrators, "unset: the key component's default, the CI deploy role")

	raw := valid()
	raw[config.KeyKeyAdministrators] = config.Setting{Value: `["` + deployRole + `","` + breakGlassRole + `"]`, Source: "Pulumi.prod.yaml"}
	raw[config.KeyAccountID] = config.Setting{Value: "111111111111", Source: "Pulumi.yaml"}
	c, err = config.Parse("accounts", "prod", raw)
	require.NoError(t, err)
	assert.Equal(t, []string{deployRole, breakGlassRole}, c.KeyAdministrators)
}

func TestKeyAdministratorsErrors(t *testing.T) {
	tests := []struct {
		name, value, account, want string
	}{
		{name: "empty list", value: `[]`,
			want: "Pulumi.prod.yaml: stratum:keyAdministrators: is empty; list at least one role ARN, or remove the key for the default (the environment's CI deploy role)"},
		{name: "not a list", value: deployRole,
			want: `Pulumi.prod.yaml: stratum:keyAdministrators: "` + deployRole + `" is not a list of strings`},
		{name: "every bad entry at once", account: "111111111111",
			value: `["arn:aws:iam::111111111111:role/acme-*","arn:aws:iam::111111111111:user/alice","arn:aws:iam::222222222222:role/admin","` +
				deployRole + `","` + deployRole + `"]`,
			want: "Pulumi.prod.yaml: stratum:keyAdministrators: " +
				`[0] "arn:aws:iam::111111111111:role/acme-*" is not a role ARN such as arn:aws:iam::111111111111:role/acme-prod-breakglass; ` +
				`[1] "arn:aws:iam::111111111111:user/alice" is not a role ARN such as arn:aws:iam::111111111111:role/acme-prod-breakglass; ` +
				`[2] "arn:aws:iam::222222222222:role/admin" is in account 222222222222, not in this stack's account 111111111111: the key policy names this account's principals only; ` +
				`[4] "` + deployRole + `" is listed twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := valid()
			raw[config.KeyKeyAdministrators] = config.Setting{Value: tt.value, Source: "Pulumi.prod.yaml"}
			if tt.account != "" {
				raw[config.KeyAccountID] = config.Setting{Value: tt.account, Source: "Pulumi.yaml"}
			}
			_, err := config.Parse("accounts", "prod", raw)
			require.Error(t, err)
			assert.Equal(t, []string{tt.want}, strings.Split(err.Error(), "\n"))
		})
	}
}
