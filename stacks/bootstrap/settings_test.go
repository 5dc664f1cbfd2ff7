package bootstrap

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/config"
)

func parse(t *testing.T, own map[string]string) *config.Config {
	t.Helper()
	raw := config.Raw{
		config.KeyOrg: {Value: "acme"}, config.KeyRegion: {Value: "eu-west-1"},
		config.KeyOwner: {Value: "platform-team"}, config.KeyCostCentre: {Value: "cc-1000"},
	}
	for k, v := range own {
		raw["bootstrap:"+k] = config.Setting{Value: v}
	}
	cfg, err := config.Parse("bootstrap", "account", raw)
	require.NoError(t, err)
	return cfg
}

// Every problem of the settings is reported at once, naming the key and the value.
func TestSettingsErrors(t *testing.T) {
	_, err := readSettings(parse(t, nil))
	assert.EqualError(t, err, strings.Join([]string{
		"bootstrap:keyAdministrators: is required (a list)",
		"bootstrap:environments: is required (a list)",
	}, "\n"))

	_, err = readSettings(parse(t, map[string]string{
		SettingKeyAdministrators: `["arn:aws:iam::111111111111:role/*"]`,
		SettingKeyUsers:          `"arn:aws:iam::111111111111:role/admin"`,
		SettingEnvironments:      `["Dev"]`,
	}))
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, `bootstrap:keyAdministrators: "arn:aws:iam::111111111111:role/*" is not an IAM role ARN`)
	assert.Contains(t, msg, `bootstrap:keyUsers: "\"arn:aws:iam::111111111111:role/admin\"" is not a list of strings`)
	assert.Contains(t, msg, `bootstrap:environments: "Dev" cannot name an environment`)

	_, err = readSettings(parse(t, map[string]string{SettingKeyAdministrators: `[]`, SettingEnvironments: `["dev"]`}))
	assert.EqualError(t, err, "bootstrap:keyAdministrators: is empty; at least one is required")
}

func TestSettings(t *testing.T) {
	s, err := readSettings(parse(t, map[string]string{
		SettingKeyAdministrators: `["arn:aws:iam::111111111111:role/admin"]`,
		SettingEnvironments:      `["dev","prod"]`,
	}))
	require.NoError(t, err)
	assert.Equal(t, settings{administrators: []string{"arn:aws:iam::111111111111:role/admin"},
		environments: []string{"dev", "prod"}}, s)
}
