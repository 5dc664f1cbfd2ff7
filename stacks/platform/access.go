package platform

import (
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/tags"
)

// The GitHub Actions OIDC issuer and the audience configure-aws-credentials asks for.
const (
	githubIssuerHost = "token.actions.githubusercontent.com"
	githubAudience   = "sts.amazonaws.com"
)

// secretsContextKey is the KMS encryption context key that binds a stack's secrets to its
// environment: the secrets provider of every stack of environment <env> is
// awskms://<state key>?region=<region>&context_environment=<env>, so a role of another
// environment cannot decrypt its data key even with the same KMS key.
const secretsContextKey = "environment"

// ciScope is what the CI identity of one environment is built from: the account, the
// environment's name prefix and the state backend.
type ciScope struct {
	org, env, region, account string
	// prefix starts every physical name of the environment: "<org>-<env>-".
	prefix string
	names  naming.Scope
	ci     config.CI
	// domains are the platform's custom domains, which the deploy role creates: the API's,
	// the developer portal's and its sign-in.
	domains config.Domains
	// defaultTags are the platform's default tags, on every CI resource.
	defaultTags map[string]string
	// stateRegion is the state key's region, which is the state bucket's: S3 uses a key of
	// its own region only.
	stateRegion string
}

func newCIScope(cfg *config.Config, account string) ciScope {
	stateRegion := cfg.Region
	if parts := strings.Split(cfg.CI.StateKeyArn, ":"); len(parts) == 6 {
		stateRegion = parts[3]
	}
	return ciScope{
		org: cfg.Org, env: cfg.Env, region: cfg.Region, account: account,
		prefix: cfg.Org + "-" + cfg.Env + "-", names: cfg.Scope(), ci: cfg.CI, domains: cfg.Domains,
		defaultTags: cfg.Tags(),
		stateRegion: stateRegion,
	}
}

// arn is the ARN of resource of service in this region and account.
func (s ciScope) arn(service, resource string) string {
	return "arn:aws:" + service + ":" + s.region + ":" + s.account + ":" + resource
}

// apigw is the ARN of an API Gateway path in this region (API Gateway's ARNs have no account).
func (s ciScope) apigw(path string) string { return "arn:aws:apigateway:" + s.region + "::" + path }

// global is the ARN of resource of a global service (IAM, budgets, dashboards) in this account.
func (s ciScope) global(service, resource string) string {
	return "arn:aws:" + service + "::" + s.account + ":" + resource
}

// Names and ARNs the CI identity refers to. They are derived, not read from the resources,
// so that a role's policy can name the role itself (and the boundary) without a cycle.
func (s ciScope) roleName(role string) string { return s.names.Physical(naming.IAMRole, "ci-"+role) }
func (s ciScope) roleArn(role string) string  { return s.global("iam", "role/"+s.roleName(role)) }
func (s ciScope) boundaryName() string        { return s.prefix + "boundary" }
func (s ciScope) boundaryArn() string         { return s.global("iam", "policy/"+s.boundaryName()) }
func (s ciScope) providerArn() string {
	return s.global("iam", "oidc-provider/"+githubIssuerHost)
}

// The roles of the CI identity.
const (
	rolePreview = "preview"
	roleDeploy  = "deploy"
)

// grant is what the CI roles may do on one kind of resource: read is granted to both roles,
// write (everything else a deploy needs) to the deploy role only. Effect Deny grants nothing
// and applies to the deploy role.
type grant struct {
	sid        string
	effect     iam.Effect
	read       []string
	write      []string
	resources  []string
	conditions []iam.Condition
}

// statement returns the grant's statement for role, and false when the role gets nothing.
func (g grant) statement(role string) (iam.Statement, bool) {
	actions := slices.Clone(g.read)
	if role == roleDeploy {
		actions = append(actions, g.write...)
	}
	if len(actions) == 0 || (g.effect == iam.Deny && role != roleDeploy) {
		return iam.Statement{}, false
	}
	res := make([]pulumi.StringInput, len(g.resources))
	for i, r := range g.resources {
		res[i] = pulumi.String(r)
	}
	return iam.Statement{Sid: g.sid, Effect: g.effect, Actions: actions, Resources: res, Conditions: g.conditions}, true
}

// cond is a condition with literal values.
func cond(test, variable string, values ...string) iam.Condition {
	vals := make([]pulumi.StringInput, len(values))
	for i, v := range values {
		vals[i] = pulumi.String(v)
	}
	return iam.Condition{Test: test, Variable: variable, Values: vals}
}

// ownTags are the conditions that a resource carries this environment's org and env tags.
func (s ciScope) ownTags(test, prefix string) []iam.Condition {
	return []iam.Condition{
		cond(test, prefix+tags.KeyEnv, s.env),
		cond(test, prefix+tags.KeyOrg, s.org),
	}
}

// stateObjects are the state objects of this environment in the DIY backend's project
// layout (pkg/backend/diy: .pulumi/stacks/<project>/<stack>.json[.gz|.zst][.bak] and
// <stack>.pulumi-tags, .pulumi/history/<project>/<stack>/, .pulumi/backups/<project>/<stack>/,
// .pulumi/locks/<organization>/<project>/<stack>/). Stacks are named after environments,
// so "<env>" after a project name is exactly this environment's; a project name has no "/".
type stateObjects struct {
	meta, stacks, stackTags, history, backups, locks string
}

func (s ciScope) state() stateObjects {
	object := func(key string) string { return "arn:aws:s3:::" + s.ci.StateBucket + "/.pulumi/" + key }
	return stateObjects{
		meta:      object("meta.yaml"),
		stacks:    object("stacks/*/" + s.env + ".json*"),
		stackTags: object("stacks/*/" + s.env + ".pulumi-tags"),
		history:   object("history/*/" + s.env + "/*"),
		backups:   object("backups/*/" + s.env + "/*"),
		locks:     object("locks/organization/*/" + s.env + "/*"),
	}
}

// stateGrants are the roles' access to the Pulumi state of this environment. A preview
// reads the stacks and takes the stack's lock (stack selection locks it), and writes
// nothing else: a pull request that could write state could make the next deploy run a
// provider of its choosing. A deploy reads and writes the stacks, history, backups and locks.
func (s ciScope) stateGrants() []grant {
	st := s.state()
	bucket := "arn:aws:s3:::" + s.ci.StateBucket
	lock := []string{"s3:DeleteObject", "s3:GetObject", "s3:PutObject"}
	s3Service := "s3." + s.stateRegion + ".amazonaws.com"
	return []grant{
		{
			// S3 answers a read of a missing object (a stack's tags, a new stack) with 404
			// only to a principal that may list the bucket, and the backend treats only 404
			// as absent; a list shows key names (projects, stacks, update times), never state.
			sid: "StateBucketList", read: []string{"s3:ListBucket"}, resources: []string{bucket},
		},
		{sid: "StateLayout", read: []string{"s3:GetObject"}, resources: []string{st.meta}},
		{
			sid: "StateStacks", read: []string{"s3:GetObject"}, write: []string{"s3:DeleteObject", "s3:PutObject"},
			resources: []string{st.stacks, st.stackTags},
		},
		{sid: "StateLocks", read: lock, resources: []string{st.locks}},
		{sid: "StateHistory", write: lock, resources: []string{st.history, st.backups}},
		{
			// The bucket is encrypted with the state key; S3 uses it for the caller, only for
			// objects the caller may touch (the encryption context names the object).
			sid: "StateObjectsKey", read: []string{"kms:Decrypt", "kms:GenerateDataKey"},
			resources: []string{s.ci.StateKeyArn},
			conditions: []iam.Condition{
				cond("StringEquals", "kms:ViaService", s3Service),
				cond("StringLike", "kms:EncryptionContext:aws:s3:arn", st.meta, st.stacks, st.stackTags, st.locks),
			},
		},
		{
			sid: "StateHistoryKey", write: []string{"kms:Decrypt", "kms:GenerateDataKey"},
			resources: []string{s.ci.StateKeyArn},
			conditions: []iam.Condition{
				cond("StringEquals", "kms:ViaService", s3Service),
				cond("StringLike", "kms:EncryptionContext:aws:s3:arn", st.history, st.backups),
			},
		},
		{
			// The awskms:// secrets provider encrypts each stack's data key with the state key
			// under this environment's encryption context; a deploy also creates stacks.
			sid: "StackSecretsKey", read: []string{"kms:Decrypt"}, write: []string{"kms:Encrypt"},
			resources:  []string{s.ci.StateKeyArn},
			conditions: []iam.Condition{cond("StringEquals", "kms:EncryptionContext:"+secretsContextKey, s.env)},
		},
		{sid: "CallerIdentity", read: []string{"sts:GetCallerIdentity"}, resources: []string{"*"}},
	}
}

// statements returns role's statements of the grants, in order.
func statements(role string, grants []grant) iam.Statements {
	var out iam.Statements
	for _, g := range grants {
		if st, ok := g.statement(role); ok {
			out = append(out, st)
		}
	}
	return out
}
