package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/contract"
)

// Keys of the settings only the platform project reads: its stack creates the CI roles that
// GitHub's workflows assume. Another project that sets one is told so, because the value
// would do nothing there.
const (
	KeyGitHubRepository   = "stratum:githubRepository"
	KeyGitHubOIDCProvider = "stratum:githubOidcProvider"
	KeyStateBucket        = "stratum:stateBucket"
	KeyStateKeyArn        = "stratum:stateKeyArn"
)

// ProductionEnv is the production environment: protected by default, and never previewed
// by pull requests (its platform stack has no preview role).
const ProductionEnv = "prod"

// OIDCProvider says whether a platform stack creates the account's GitHub OIDC provider or
// uses the one another stack of the account created: an account has one provider per URL,
// and dev and prod may share an account.
type OIDCProvider string

// The values of stratum:githubOidcProvider.
const (
	OIDCProviderCreate   OIDCProvider = "create"
	OIDCProviderExisting OIDCProvider = "existing"
)

// CI holds the platform project's CI identity settings; it is empty in every other project.
type CI struct {
	// GitHubRepository is the owner/name of the only repository whose workflows may assume
	// the CI roles, exactly as GitHub writes it in the token's subject.
	GitHubRepository string
	// OIDCProvider says whether this stack creates the GitHub OIDC provider.
	OIDCProvider OIDCProvider
	// StateBucket is the S3 bucket of the Pulumi state (the DIY backend), created by the
	// bootstrap project.
	StateBucket string
	// StateKeyArn is the KMS key that encrypts the state bucket and the stacks' secrets
	// (the awskms:// secrets provider), created by the bootstrap project.
	StateKeyArn string
}

// Production reports whether the config is production's.
func (c *Config) Production() bool {
	return c.Env == ProductionEnv
}

// platformKeys lists the keys only the platform project reads, sorted.
func platformKeys() []string {
	return slices.Sorted(slices.Values(append([]string{KeyGitHubOIDCProvider, KeyGitHubRepository, KeyStateBucket,
		KeyStateKeyArn}, domainKeys()...)))
}

// ci parses the CI settings of the platform project and refuses them in any other project.
func (p *parser) ci(project, env string) CI {
	if project != contract.PlatformProject {
		for _, key := range platformKeys() {
			if _, set := p.raw[key]; set {
				p.fail(key, "is read only by the %s project; remove it from project %s", contract.PlatformProject, project)
			}
		}
		return CI{}
	}
	// The CI roles reach this environment's resources by the name prefix <org>-<env>-; with
	// a hyphen in env, one environment's prefix would also match another's ("acme-dev-"
	// matches every name of "acme-dev-eu-").
	if strings.Contains(env, "-") {
		p.errs = append(p.errs, fmt.Errorf("stack name %q cannot name an environment of the %s project: its CI roles "+
			"reach resources by the prefix <org>-%s-, which a hyphen lets another environment's names match; use [a-z0-9]",
			env, contract.PlatformProject, env))
	}
	return CI{
		GitHubRepository: p.repository(KeyGitHubRepository),
		OIDCProvider:     p.oidcProvider(KeyGitHubOIDCProvider),
		StateBucket:      p.bucket(KeyStateBucket),
		StateKeyArn: p.match(KeyStateKeyArn, true, kmsKeyArnPattern,
			"a KMS key ARN such as arn:aws:kms:eu-west-1:111111111111:key/<key id> (an alias cannot scope kms:Decrypt)"),
	}
}

func (p *parser) repository(key string) string {
	const allowed = "a GitHub repository owner/name such as acme/stratum"
	v := p.match(key, true, githubRepositoryPattern, allowed)
	if _, name, _ := strings.Cut(v, "/"); name == "." || name == ".." {
		p.failValue(key, v, allowed)
		return ""
	}
	return v
}

func (p *parser) oidcProvider(key string) OIDCProvider {
	v := p.str(key, true)
	switch OIDCProvider(v) {
	case OIDCProviderCreate, OIDCProviderExisting:
		return OIDCProvider(v)
	case "":
		return ""
	}
	p.failValue(key, v, fmt.Sprintf("%s or %s", OIDCProviderCreate, OIDCProviderExisting))
	return ""
}

// bucket checks S3's bucket naming rules for general purpose buckets.
func (p *parser) bucket(key string) string {
	v := p.match(key, true, bucketPattern,
		"an S3 bucket name (3 to 63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit)")
	if v != "" && !p.masked(key) && (strings.Contains(v, "..") || ipPattern.MatchString(v)) {
		p.failValue(key, v, "an S3 bucket name (no two adjacent periods, not an IP address)")
		return ""
	}
	return v
}
