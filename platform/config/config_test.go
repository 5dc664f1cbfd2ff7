package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/config"
)

func valid() config.Raw {
	return config.Raw{
		config.KeyOrg:        {Value: "acme", Source: "Pulumi.yaml"},
		config.KeyOwner:      {Value: "team-a", Source: "Pulumi.yaml"},
		config.KeyCostCentre: {Value: "cc-1", Source: "Pulumi.yaml"},
		config.KeyRegion:     {Value: "eu-west-1", Source: "Pulumi.yaml"},
	}
}

// validPlatform is valid() with the settings the platform project requires.
func validPlatform() config.Raw {
	raw := valid()
	raw[config.KeyGitHubRepository] = config.Setting{Value: "acme/stratum", Source: "Pulumi.yaml"}
	raw[config.KeyStateBucket] = config.Setting{Value: "acme-pulumi-state", Source: "Pulumi.yaml"}
	raw[config.KeyStateKeyArn] = config.Setting{Value: stateKey, Source: "Pulumi.yaml"}
	return raw
}

const stateKey = "arn:aws:kms:eu-west-1:111111111111:key/0d6e2f4c-7a51-4d8e-9b3a-5c1f2e8a9b70"

func TestParseDefaults(t *testing.T) {
	dev, err := config.Parse("accounts", "dev", valid())
	require.NoError(t, err)
	assert.Equal(t, "acme", dev.Org)
	assert.Equal(t, "eu-west-1", dev.Region)
	assert.Equal(t, "team-a", dev.Owner)
	assert.Equal(t, "cc-1", dev.CostCentre)
	assert.Equal(t, 30, dev.LogRetentionDays)
	assert.False(t, dev.Protect)
	assert.Empty(t, dev.AlarmEmail)
	assert.Empty(t, dev.JWTAudiences)
	assert.Equal(t, "organization/platform/dev", dev.PlatformStack)
	assert.Equal(t, "acme", dev.Scope().Org)
	assert.Equal(t, map[string]string{"org": "acme", "env": "dev", "context": "accounts", "owner": "team-a",
		"cost-centre": "cc-1", "managed-by": "stratum"}, dev.Tags())
	assert.Equal(t, "accounts", dev.Scope().Context)

	prod, err := config.Parse("accounts", "prod", valid())
	require.NoError(t, err)
	assert.True(t, prod.Protect, "stateful resources are protected in prod by default")
	assert.Equal(t, "organization/platform/prod", prod.PlatformStack)
}

func TestParseAllSettings(t *testing.T) {
	raw := validPlatform()
	raw[config.KeyLogRetentionDays] = config.Setting{Value: "365", Source: "Pulumi.prod.yaml"}
	raw[config.KeyProtect] = config.Setting{Value: "false", Source: "Pulumi.prod.yaml"}
	raw[config.KeyAlarmEmail] = config.Setting{Value: "ops@acme.example", Source: "Pulumi.prod.yaml"}
	raw[config.KeyJWTIssuer] = config.Setting{Value: "https://login.acme.example/", Source: "Pulumi.prod.yaml"}
	raw[config.KeyJWTAudiences] = config.Setting{Value: `["api://a","api://b"]`, Source: "Pulumi.prod.yaml"}
	raw[config.KeyAccountID] = config.Setting{Value: "123456789012", Source: "Pulumi.prod.yaml"}
	raw[config.KeyPlatformStack] = config.Setting{Value: "acme/platform/prod", Source: "Pulumi.prod.yaml"}
	raw["aws:profile"] = config.Setting{Value: "x", Source: "Pulumi.prod.yaml"}
	c, err := config.Parse("platform", "prod", raw)
	require.NoError(t, err)
	assert.Equal(t, 365, c.LogRetentionDays)
	assert.False(t, c.Protect)
	assert.Equal(t, "ops@acme.example", c.AlarmEmail)
	assert.Equal(t, []string{"api://a", "api://b"}, c.JWTAudiences)
	assert.Equal(t, "123456789012", c.AccountID)
	assert.Equal(t, "acme/platform/prod", c.PlatformStack)
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		set  map[string]string
		drop []string
		want []string
	}{
		{
			name: "retention not a CloudWatch value",
			set:  map[string]string{config.KeyLogRetentionDays: "0"},
			want: []string{"Pulumi.prod.yaml: stratum:logRetentionDays: 0 is not one of CloudWatch's retention values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)"},
		},
		{
			name: "wrong types",
			set: map[string]string{
				config.KeyLogRetentionDays: "a month", config.KeyProtect: "yes",
				config.KeyJWTAudiences: "api://a",
			},
			want: []string{
				`Pulumi.prod.yaml: stratum:logRetentionDays: "a month" is not a whole number of days`,
				`Pulumi.prod.yaml: stratum:protect: "yes" is not true or false`,
				`Pulumi.prod.yaml: stratum:jwtAudiences: "api://a" is not a list of strings`,
			},
		},
		{
			name: "unknown key and bad formats",
			set: map[string]string{
				"stratum:logRetention": "30", config.KeyAlarmEmail: "ops", config.KeyJWTIssuer: "http://x",
				config.KeyRegion: "Europe", config.KeyAccountID: "42",
			},
			want: []string{
				"Pulumi.prod.yaml: stratum:logRetention: is not a known setting (known: stratum:accountId, stratum:alarmEmail, stratum:alarmWebhookUrl, stratum:apiDomain, stratum:auditExpireDays, stratum:auditGlacierDays, stratum:billingAlarmUsd, stratum:costCentre, stratum:githubOidcProvider, stratum:githubRepository, stratum:hostedZoneId, stratum:jwtAudiences, stratum:jwtIssuer, stratum:keyAdministrators, stratum:logArchiveExpireDays, stratum:logArchiveGlacierDays, stratum:logRetentionDays, stratum:logSearch, stratum:logSearchAdminArn, stratum:logSourceAccounts, stratum:org, stratum:owner, stratum:platformStack, stratum:portalAllowedCidrs, stratum:portalClientId, stratum:portalDomain, stratum:portalPublic, stratum:portalSigningPublicKey, stratum:protect, stratum:release, stratum:stateBucket, stratum:stateKeyArn, stratum:tableGenerations)",
				`Pulumi.prod.yaml: stratum:alarmEmail: "ops" is not an e-mail address such as ops@example.com`,
				`Pulumi.prod.yaml: stratum:jwtIssuer: "http://x" is not an https:// URL`,
				`Pulumi.prod.yaml: aws:region: "Europe" is not an AWS region such as eu-west-1`,
				`Pulumi.prod.yaml: stratum:accountId: "42" is not a 12-digit AWS account id`,
			},
		},
		{
			name: "required settings missing",
			drop: []string{config.KeyOrg, config.KeyOwner, config.KeyCostCentre, config.KeyRegion},
			want: []string{
				"stratum:org is required: set it in Pulumi.yaml or the stack's Pulumi.<env>.yaml",
				"stratum:owner is required: set it in Pulumi.yaml or the stack's Pulumi.<env>.yaml",
				"stratum:costCentre is required: set it in Pulumi.yaml or the stack's Pulumi.<env>.yaml",
				"aws:region is required: set it in Pulumi.yaml or the stack's Pulumi.<env>.yaml",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := validPlatform()
			for k, v := range tt.set {
				raw[k] = config.Setting{Value: v, Source: "Pulumi.prod.yaml"}
			}
			for _, k := range tt.drop {
				delete(raw, k)
			}
			_, err := config.Parse("platform", "prod", raw)
			require.Error(t, err)
			lines := strings.Split(err.Error(), "\n")
			assert.ElementsMatch(t, tt.want, lines)
		})
	}
}

func TestProjectSettings(t *testing.T) {
	raw := valid()
	raw["notifications:endpointUrl"] = config.Setting{Value: "https://legacy.example/hook", Source: "Pulumi.dev.yaml"}
	raw["accounts:other"] = config.Setting{Value: "x", Source: "Pulumi.dev.yaml"}
	c, err := config.Parse("notifications", "dev", raw)
	require.NoError(t, err)
	v, ok := c.Setting("endpointUrl")
	assert.True(t, ok)
	assert.Equal(t, "https://legacy.example/hook", v)
	_, ok = c.Setting("other")
	assert.False(t, ok, "another project's namespace is not this project's")
}

func TestParseBadOrgAndStack(t *testing.T) {
	raw := validPlatform()
	raw[config.KeyOrg] = config.Setting{Value: "Acme Corp", Source: "Pulumi.yaml"}
	_, err := config.Parse("platform", "Prod_1", raw)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `Pulumi.yaml: stratum:org: cannot prefix names:`)
	assert.Contains(t, err.Error(), `stack name "Prod_1" cannot name an environment:`)
}

// TestRepositoryConfig loads every Pulumi project and stack file in the repository with the
// Pulumi SDK's loaders and fails on an unknown stratum: key or an invalid value.
func TestRepositoryConfig(t *testing.T) {
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	projects := 0
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		// .stratum holds the engine's work copies of the files, not the files themselves.
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "bin" || d.Name() == "testdata" || d.Name() == ".stratum") {
			return filepath.SkipDir
		}
		if d.Name() != "Pulumi.yaml" {
			return nil
		}
		projects++
		dir := filepath.Dir(path)
		stacks, err := filepath.Glob(filepath.Join(dir, "Pulumi.*.yaml"))
		require.NoError(t, err)
		assert.NotEmpty(t, stacks, "%s declares no stack", dir)
		for _, s := range stacks {
			env := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(s), "Pulumi."), ".yaml")
			p, err := config.ReadProject(dir, env)
			if !assert.NoError(t, err, s) {
				continue
			}
			_, err = config.Parse(p.Name, env, p.Raw)
			assert.NoError(t, err, s)
		}
		return nil
	})
	require.NoError(t, err)
	assert.Positive(t, projects)
}

func TestReadProjectReportsEveryProblemWithItsFile(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "Pulumi.yaml", "name: demo\nruntime: go\nconfig:\n  aws:region: eu-west-1\n  stratum:org: acme\n  stratum:owner: team\n  stratum:costCentre: cc-1\n")
	write(t, dir, "Pulumi.dev.yaml", "config:\n  stratum:logRetentionDays: 0\n  stratum:colour: blue\n  stratum:protect: [1, 2]\n  stratum:jwtIssuer:\n    secure: AAABAMZ9\n")
	p, err := config.ReadProject(dir, "dev")
	require.NoError(t, err)
	assert.Equal(t, "demo", p.Name)
	assert.Equal(t, config.Setting{Value: "[secret]", Source: "Pulumi.dev.yaml", Secret: true}, p.Raw[config.KeyJWTIssuer])
	assert.Equal(t, config.Setting{Value: "acme", Source: "Pulumi.yaml"}, p.Raw[config.KeyOrg])

	_, err = config.Parse(p.Name, "dev", p.Raw)
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, "Pulumi.dev.yaml: stratum:logRetentionDays: 0 is not one of CloudWatch's retention values")
	assert.Contains(t, msg, "Pulumi.dev.yaml: stratum:colour: is not a known setting")
	assert.Contains(t, msg, `Pulumi.dev.yaml: stratum:protect: "[1,2]" is not true or false`)
	assert.NotContains(t, msg, "stratum:jwtIssuer: \"", "a secure value cannot be read offline, so its format is not checked")

	_, err = config.ReadProject(dir, "prod")
	assert.ErrorContains(t, err, "project demo has no stack file Pulumi.prod.yaml")
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
}
