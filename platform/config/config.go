// Package config is the typed environment configuration of a Stratum project: the only code that
// reads Pulumi config.
//
// Every project reads the `stratum:` namespace plus `aws:region`. Defaults live in [defaults];
// a project's Pulumi.yaml `config:` block and its Pulumi.<env>.yaml hold only what differs.
// Unknown `stratum:` keys and invalid values are errors that name the key, the value, what is
// allowed and the file the value came from, all problems at once.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/logs"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/release"
	"github.com/stratum-platform/stratum/platform/tags"
)

// Namespace is the Pulumi config namespace Stratum owns.
const Namespace = "stratum"

// Keys of the settings Stratum reads. A `stratum:` key not listed here is an error.
const (
	KeyOrg              = "stratum:org"
	KeyOwner            = "stratum:owner"
	KeyCostCentre       = "stratum:costCentre"
	KeyLogRetentionDays = "stratum:logRetentionDays"
	KeyProtect          = "stratum:protect"
	KeyAlarmEmail       = "stratum:alarmEmail"
	KeyJWTIssuer        = "stratum:jwtIssuer"
	KeyJWTAudiences     = "stratum:jwtAudiences"
	KeyPlatformStack    = "stratum:platformStack"
	KeyAccountID        = "stratum:accountId"
	KeyRegion           = "aws:region"
)

// Config is the validated configuration of one project in one environment.
type Config struct {
	// Project is the Pulumi project name; for a bounded context it is the context's name.
	Project string
	// Env is the environment, which is the Pulumi stack name (dev, prod, ...).
	Env string
	// Org prefixes every physical name.
	Org string
	// Region is the AWS region (aws:region).
	Region string
	// AccountID is the AWS account the stack deploys to, when declared; offline plans use it
	// in ARNs. Empty means "whatever the credentials say".
	AccountID string
	// Owner and CostCentre are tagged on every resource.
	Owner, CostCentre string
	// LogRetentionDays is the retention of every log group.
	LogRetentionDays int
	// Protect marks stateful resources (tables, keys) protected and retained on delete.
	Protect bool
	// AlarmEmail receives the platform's alarm notifications; empty means no subscription.
	AlarmEmail string
	// JWTIssuer and JWTAudiences configure the JWT authorizer of every HTTP API.
	JWTIssuer    string
	JWTAudiences []string
	// PlatformStack is the fully qualified name of the platform stack for this environment,
	// read through a stack reference by every context.
	PlatformStack string
	// KeyAdministrators are the ARNs of the roles that administer the project's KMS keys;
	// nil means the default, the environment's CI deploy role.
	KeyAdministrators []string
	// CI is the platform project's CI identity (empty in every other project).
	CI CI
	// Domains are the platform project's custom domains (empty in every other project).
	Domains Domains
	// Release is how the context's functions shift traffic to a new version.
	Release release.Traffic
	// TableGenerations maps a migrating table to the generation its functions use.
	TableGenerations map[string]int
	// Ops are the platform project's audit, log and billing settings (empty in every other
	// project).
	Ops Ops
	// setting looks up the project's own namespace (`<project>:<name>`), which only the
	// project itself interprets.
	setting func(name string) (string, bool)
}

// Setting returns the value of the project's own setting `<project>:<name>` (for example
// `notifications:endpointUrl`) and whether it is set. The project validates it.
func (c *Config) Setting(name string) (string, bool) {
	if c.setting == nil {
		return "", false
	}
	return c.setting(name)
}

// Scope is the naming scope of this project in this environment.
func (c *Config) Scope() naming.Scope {
	return naming.Scope{Org: c.Org, Env: c.Env, Context: c.Project}
}

// Tags are the default tags of every resource of this project in this environment.
func (c *Config) Tags() map[string]string {
	return tags.Default(c.Scope(), c.Owner, c.CostCentre)
}

// Setting is one raw config value with the file it came from.
type Setting struct {
	// Value is the string form Pulumi passes to programs (objects and lists as JSON).
	Value string
	// Source names where the value was set: a file name, or "default".
	Source string
	// Secret is true for secure values; Value is then masked.
	Secret bool
}

// Raw is the project's config keyed by full key (`namespace:name`).
type Raw map[string]Setting

var (
	regionPattern  = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$`)
	accountPattern = regexp.MustCompile(`^\d{12}$`)
	stackPattern   = regexp.MustCompile(`^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+){0,2}$`)
	// GitHub owners are 1 to 39 letters, digits and hyphens; repositories 1 to 100 letters,
	// digits, '.', '_' and '-' (ci refuses "." and ".."). Nothing here can act as a wildcard.
	githubRepositoryPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9_.-]{1,100}$`)
	bucketPattern           = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	ipPattern               = regexp.MustCompile(`^\d+\.\d+\.\d+\.\d+$`)
	// A key ARN: a UUID key id, or a multi-Region key's mrk- id.
	kmsKeyArnPattern = regexp.MustCompile(`^arn:aws(-[a-z]+)*:kms:[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d:\d{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`)
)

// defaults are the values a key takes when no file sets it. Keys absent here are required or
// optional-empty; env-dependent defaults are applied in Parse.
func defaults(env string) map[string]string {
	d := map[string]string{
		KeyLogRetentionDays: "30",
		KeyProtect:          strconv.FormatBool(env == ProductionEnv),
		KeyPlatformStack:    "organization/platform/" + env,
		// Read only by the platform project (see ci).
		KeyGitHubOIDCProvider: string(OIDCProviderCreate),
		KeyPortalPublic:       "false",
		KeyRelease:            releaseDefault(env),
	}
	// Read only by the platform project (see ops).
	maps.Copy(d, opsDefaults())
	return d
}

// Parse validates raw settings for a project and stack (environment) and returns the typed
// config. Every problem is reported in one joined error.
func Parse(project, stack string, raw Raw) (*Config, error) {
	p := parser{raw: raw, defaults: defaults(stack)}
	c := &Config{Project: project, Env: stack, setting: func(name string) (string, bool) {
		s, ok := raw[project+":"+name]
		return s.Value, ok
	}}
	for _, key := range slices.Sorted(maps.Keys(raw)) {
		if strings.HasPrefix(key, Namespace+":") && !slices.Contains(Keys(), key) {
			p.fail(key, "is not a known setting (known: %s)", strings.Join(Keys(), ", "))
		}
	}
	if err := (naming.Scope{Org: "x", Env: stack, Context: "x"}).Validate(); err != nil {
		p.errs = append(p.errs, fmt.Errorf("stack name %q cannot name an environment: %w", stack, err))
	}
	c.Org = p.str(KeyOrg, true)
	if c.Org != "" {
		if err := (naming.Scope{Org: c.Org, Env: "x", Context: "x"}).Validate(); err != nil {
			p.fail(KeyOrg, "cannot prefix names: %v", err)
		}
	}
	c.Region = p.match(KeyRegion, true, regionPattern, "an AWS region such as eu-west-1")
	c.AccountID = p.match(KeyAccountID, false, accountPattern, "a 12-digit AWS account id")
	c.Owner = p.str(KeyOwner, true)
	c.CostCentre = p.str(KeyCostCentre, true)
	c.LogRetentionDays = p.retention(KeyLogRetentionDays)
	c.Protect = p.boolean(KeyProtect)
	c.AlarmEmail = p.email(KeyAlarmEmail)
	c.JWTIssuer = p.httpsURL(KeyJWTIssuer)
	c.JWTAudiences = p.list(KeyJWTAudiences)
	c.PlatformStack = p.match(KeyPlatformStack, true, stackPattern, "a stack name such as organization/platform/dev")
	c.KeyAdministrators = p.keyAdministrators(KeyKeyAdministrators, c.AccountID)
	c.CI = p.ci(project, stack)
	c.Domains = p.domains(project == contract.PlatformProject)
	c.Release = p.traffic(KeyRelease)
	c.TableGenerations = p.generations(KeyTableGenerations)
	c.Ops = p.ops(project)
	if err := errors.Join(p.errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// Keys lists every `stratum:` key, sorted.
func Keys() []string {
	return slices.Sorted(slices.Values(append([]string{KeyAccountID, KeyAlarmEmail, KeyAPIDomain, KeyCostCentre,
		KeyGitHubOIDCProvider, KeyGitHubRepository, KeyHostedZoneID, KeyJWTAudiences, KeyJWTIssuer, KeyKeyAdministrators,
		KeyLogRetentionDays, KeyOrg, KeyOwner, KeyPlatformStack, KeyPortalAllowedCIDRs, KeyPortalClientID, KeyPortalDomain,
		KeyPortalPublic, KeyPortalSigningPublicKey, KeyProtect, KeyRelease, KeyStateBucket, KeyStateKeyArn, KeyTableGenerations}, opsKeys()...)))
}

type parser struct {
	raw      Raw
	defaults map[string]string
	errs     []error
}

// get returns the value of key, from the files or the defaults, and whether any set it.
func (p *parser) get(key string) (Setting, bool) {
	if s, ok := p.raw[key]; ok {
		return s, true
	}
	if v, ok := p.defaults[key]; ok {
		return Setting{Value: v, Source: "default"}, true
	}
	return Setting{}, false
}

func (p *parser) fail(key, format string, args ...any) {
	source := "default"
	if s, ok := p.get(key); ok {
		source = s.Source
	}
	p.errs = append(p.errs, fmt.Errorf("%s: %s: %s", source, key, fmt.Sprintf(format, args...)))
}

func (p *parser) failValue(key, value, allowed string) {
	p.fail(key, "%q is not %s", value, allowed)
}

func (p *parser) str(key string, required bool) string {
	s, ok := p.get(key)
	if !ok || strings.TrimSpace(s.Value) == "" {
		if required {
			p.errs = append(p.errs, fmt.Errorf("%s is required: set it in Pulumi.yaml or the stack's Pulumi.<env>.yaml", key))
		}
		return ""
	}
	return s.Value
}

// masked reports whether key holds a secure value that offline runs see only masked: its
// format cannot be checked there.
func (p *parser) masked(key string) bool {
	s, ok := p.raw[key]
	return ok && s.Secret
}

func (p *parser) match(key string, required bool, re *regexp.Regexp, allowed string) string {
	v := p.str(key, required)
	if v != "" && !p.masked(key) && !re.MatchString(v) {
		p.failValue(key, v, allowed)
		return ""
	}
	return v
}

func (p *parser) retention(key string) int {
	v := p.str(key, true)
	n, err := strconv.Atoi(v)
	if err != nil {
		p.failValue(key, v, "a whole number of days")
		return 0
	}
	if !logs.ValidRetention(n) {
		p.fail(key, "%d is not one of CloudWatch's retention values (%s)", n, logs.RetentionValues())
		return 0
	}
	return n
}

func (p *parser) boolean(key string) bool {
	v := p.str(key, true)
	b, err := strconv.ParseBool(v)
	if err != nil || (v != "true" && v != "false") {
		p.failValue(key, v, "true or false")
		return false
	}
	return b
}

func (p *parser) email(key string) string {
	v := p.str(key, false)
	if v == "" || p.masked(key) {
		return v
	}
	if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
		p.failValue(key, v, "an e-mail address such as ops@example.com")
		return ""
	}
	return v
}

func (p *parser) httpsURL(key string) string {
	v := p.str(key, false)
	if v == "" || p.masked(key) {
		return v
	}
	if u, err := url.Parse(v); err != nil || u.Scheme != "https" || u.Host == "" {
		p.failValue(key, v, "an https:// URL")
		return ""
	}
	return v
}

func (p *parser) list(key string) []string {
	v := p.str(key, false)
	if v == "" {
		return nil
	}
	var out []string
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		p.failValue(key, v, "a list of strings")
		return nil
	}
	for _, s := range out {
		if strings.TrimSpace(s) == "" {
			p.fail(key, "has an empty entry; every entry must be a non-empty string")
			return nil
		}
	}
	return out
}
