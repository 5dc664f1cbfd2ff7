package config_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/config"
)

type noMocks struct{}

func (noMocks) NewResource(a pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	return a.Name, a.Inputs, nil
}
func (noMocks) Call(pulumi.MockCallArgs) (resource.PropertyMap, error) { return nil, nil }

// load runs config.Load in a program that gets values and secret keys the way every driver
// gives them: the SDK's run info (no environment variables, no files).
func load(t *testing.T, values map[string]string, secret ...string) (*config.Config, error) {
	t.Helper()
	var cfg *config.Config
	var loadErr error
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		cfg, loadErr = config.Load(ctx)
		return nil
	}, pulumi.WithMocks("notifications", "prod", noMocks{}), func(info *pulumi.RunInfo) {
		info.Config = values
		info.ConfigSecretKeys = secret
	})
	require.NoError(t, err)
	return cfg, loadErr
}

func TestLoadReadsTheSDKConfig(t *testing.T) {
	t.Setenv(pulumi.EnvConfig, `{"stratum:org":"fromenv"}`) // only the language host sets it; ignored
	cfg, err := load(t, map[string]string{
		"aws:region": "eu-central-1", "stratum:org": "acme", "stratum:owner": "team",
		"stratum:costCentre": "cc-1", "stratum:jwtAudiences": `["api://a","api://b"]`,
		"stratum:alarmEmail": "not checked while secret", "notifications:endpointUrl": "https://legacy.example/hook",
	}, "stratum:alarmEmail")
	require.NoError(t, err)
	assert.Equal(t, "acme", cfg.Org)
	assert.Equal(t, "eu-central-1", cfg.Region)
	assert.Equal(t, "prod", cfg.Env)
	assert.Equal(t, "notifications", cfg.Project)
	assert.True(t, cfg.Protect, "prod protects by default")
	assert.Equal(t, []string{"api://a", "api://b"}, cfg.JWTAudiences)
	v, ok := cfg.Setting("endpointUrl")
	assert.True(t, ok)
	assert.Equal(t, "https://legacy.example/hook", v)
	_, ok = cfg.Setting("missing")
	assert.False(t, ok)
}

func TestLoadReportsEveryMissingKey(t *testing.T) {
	_, err := load(t, map[string]string{"stratum:logRetentionDays": "0"})
	require.Error(t, err)
	assert.ElementsMatch(t, []string{
		"stratum:org is required: set it in Pulumi.yaml or the stack's Pulumi.<env>.yaml",
		"aws:region is required: set it in Pulumi.yaml or the stack's Pulumi.<env>.yaml",
		"stratum:owner is required: set it in Pulumi.yaml or the stack's Pulumi.<env>.yaml",
		"stratum:costCentre is required: set it in Pulumi.yaml or the stack's Pulumi.<env>.yaml",
		"stack config: stratum:logRetentionDays: 0 is not one of CloudWatch's retention values (" +
			"1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)",
	}, strings.Split(err.Error(), "\n"))
}
