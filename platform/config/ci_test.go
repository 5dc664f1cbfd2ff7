package config_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/config"
)

func TestParseCI(t *testing.T) {
	dev, err := config.Parse("platform", "dev", validPlatform())
	require.NoError(t, err)
	assert.Equal(t, config.CI{GitHubRepository: "acme/stratum", OIDCProvider: config.OIDCProviderCreate,
		StateBucket: "acme-pulumi-state", StateKeyArn: stateKey}, dev.CI)
	assert.False(t, dev.Production())

	raw := validPlatform()
	raw[config.KeyGitHubOIDCProvider] = config.Setting{Value: "existing", Source: "Pulumi.prod.yaml"}
	raw[config.KeyGitHubRepository] = config.Setting{Value: "Acme-Corp/.github", Source: "Pulumi.prod.yaml"}
	raw[config.KeyStateKeyArn] = config.Setting{Value: "arn:aws:kms:us-east-1:222222222222:key/mrk-1234567890abcdef1234567890abcdef", Source: "Pulumi.prod.yaml"}
	prod, err := config.Parse("platform", "prod", raw)
	require.NoError(t, err)
	assert.Equal(t, config.OIDCProviderExisting, prod.CI.OIDCProvider)
	assert.Equal(t, "Acme-Corp/.github", prod.CI.GitHubRepository)
	assert.True(t, prod.Production())

	accounts, err := config.Parse("accounts", "dev", valid())
	require.NoError(t, err)
	assert.Equal(t, config.CI{}, accounts.CI, "a context has no CI identity, and needs none of its keys")
}

func TestParseCIErrors(t *testing.T) {
	const allowedBucket = "an S3 bucket name (3 to 63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit)"
	const allowedKey = "a KMS key ARN such as arn:aws:kms:eu-west-1:111111111111:key/<key id> (an alias cannot scope kms:Decrypt)"
	tests := []struct {
		name    string
		project string
		stack   string
		set     map[string]string
		drop    []string
		want    []string
	}{
		{
			name: "required by the platform project", project: "platform", stack: "dev",
			drop: []string{config.KeyGitHubRepository, config.KeyStateBucket, config.KeyStateKeyArn},
			want: []string{
				"stratum:githubRepository is required: set it in Pulumi.yaml or the stack's Pulumi.<env>.yaml",
				"stratum:stateBucket is required: set it in Pulumi.yaml or the stack's Pulumi.<env>.yaml",
				"stratum:stateKeyArn is required: set it in Pulumi.yaml or the stack's Pulumi.<env>.yaml",
			},
		},
		{
			name: "repository, provider, bucket and key malformed", project: "platform", stack: "dev",
			set: map[string]string{
				config.KeyGitHubRepository:   "acme/*",
				config.KeyGitHubOIDCProvider: "shared",
				config.KeyStateBucket:        "Acme_State",
				config.KeyStateKeyArn:        "arn:aws:kms:eu-west-1:111111111111:alias/acme-state",
			},
			want: []string{
				`Pulumi.dev.yaml: stratum:githubRepository: "acme/*" is not a GitHub repository owner/name such as acme/stratum`,
				`Pulumi.dev.yaml: stratum:githubOidcProvider: "shared" is not create or existing`,
				`Pulumi.dev.yaml: stratum:stateBucket: "Acme_State" is not ` + allowedBucket,
				`Pulumi.dev.yaml: stratum:stateKeyArn: "arn:aws:kms:eu-west-1:111111111111:alias/acme-state" is not ` + allowedKey,
			},
		},
		{
			name: "a repository that is not one, a bucket like an address", project: "platform", stack: "dev",
			set: map[string]string{
				config.KeyGitHubRepository: "acme/..",
				config.KeyStateBucket:      "10.0.0.1",
			},
			want: []string{
				`Pulumi.dev.yaml: stratum:githubRepository: "acme/.." is not a GitHub repository owner/name such as acme/stratum`,
				`Pulumi.dev.yaml: stratum:stateBucket: "10.0.0.1" is not an S3 bucket name (no two adjacent periods, not an IP address)`,
			},
		},
		{
			name: "owner and repository only", project: "platform", stack: "dev",
			set: map[string]string{
				config.KeyGitHubRepository: "https://github.com/acme/stratum",
				config.KeyStateBucket:      "acme..state",
			},
			want: []string{
				`Pulumi.dev.yaml: stratum:githubRepository: "https://github.com/acme/stratum" is not a GitHub repository owner/name such as acme/stratum`,
				`Pulumi.dev.yaml: stratum:stateBucket: "acme..state" is not an S3 bucket name (no two adjacent periods, not an IP address)`,
			},
		},
		{
			name: "an environment whose prefix another environment's names match", project: "platform", stack: "dev-eu",
			want: []string{
				`stack name "dev-eu" cannot name an environment of the platform project: its CI roles reach resources by ` +
					"the prefix <org>-dev-eu-, which a hyphen lets another environment's names match; use [a-z0-9]",
			},
		},
		{
			name: "platform keys in a context", project: "accounts", stack: "dev-eu",
			set: map[string]string{
				config.KeyGitHubRepository: "acme/stratum", config.KeyGitHubOIDCProvider: "create",
				config.KeyStateBucket: "acme-pulumi-state", config.KeyStateKeyArn: stateKey,
			},
			want: []string{
				"Pulumi.dev-eu.yaml: stratum:githubOidcProvider: is read only by the platform project; remove it from project accounts",
				"Pulumi.dev-eu.yaml: stratum:githubRepository: is read only by the platform project; remove it from project accounts",
				"Pulumi.dev-eu.yaml: stratum:stateBucket: is read only by the platform project; remove it from project accounts",
				"Pulumi.dev-eu.yaml: stratum:stateKeyArn: is read only by the platform project; remove it from project accounts",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := validPlatform()
			if tt.project != "platform" {
				raw = valid()
			}
			for k, v := range tt.set {
				raw[k] = config.Setting{Value: v, Source: "Pulumi." + tt.stack + ".yaml"}
			}
			for _, k := range tt.drop {
				delete(raw, k)
			}
			_, err := config.Parse(tt.project, tt.stack, raw)
			require.Error(t, err)
			assert.ElementsMatch(t, tt.want, strings.Split(err.Error(), "\n"))
		})
	}
}

func TestParseCISecretValuesAreNotChecked(t *testing.T) {
	raw := validPlatform()
	raw[config.KeyStateKeyArn] = config.Setting{Value: "[secret]", Source: "Pulumi.dev.yaml", Secret: true}
	c, err := config.Parse("platform", "dev", raw)
	require.NoError(t, err, "a secure value is masked offline, so its format cannot be checked there")
	assert.Equal(t, "[secret]", c.CI.StateKeyArn)
}
