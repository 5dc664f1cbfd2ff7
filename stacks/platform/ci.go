package platform

import (
	"errors"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	awsiam "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/stackref"
)

// policyGroup is one managed policy of a CI role: a role's grants are split by service so
// that each policy stays under IAM's 6,144 characters for a managed policy, and a role has
// at most 10 of them (IAM's default quota; TestPoliciesFitIAMsLimits checks both).
type policyGroup struct {
	name   string
	grants []grant
}

// policyGroups are the CI roles' policies, in the order they are attached. The certificates
// and DNS records of the configured domains are a group of their own; the API domain and the
// developer portal's edge (CloudFront, WAF) join the APIs they serve and document.
func (s ciScope) policyGroups() []policyGroup {
	return []policyGroup{
		{name: "state", grants: s.stateGrants()},
		{name: "functions", grants: slices.Concat(s.functionGrants(), s.releaseGrants())},
		{name: "roles", grants: slices.Concat(s.roleGrants(), s.guardrailGrants())},
		{name: "data", grants: s.dataGrants()},
		{name: "keys", grants: s.keyGrants()},
		{name: "storage", grants: slices.Concat(s.storageGrants(), s.portalGrants())},
		{name: "observability", grants: s.observabilityGrants()},
		{name: "apis", grants: slices.Concat(s.apiGrants(), s.apiDomainGrants(), s.portalEdgeGrants())},
		{name: "domains", grants: slices.Concat(s.certificateGrants(), s.recordGrants())},
		{name: "pipeline", grants: s.pipelineGrants()},
	}
}

// ciIdentity creates what GitHub's workflows assume to preview and deploy this environment:
// the account's GitHub OIDC provider (or refers to it, per stratum:githubOidcProvider), the
// permissions boundary every role a deploy creates carries, the deploy role and, outside
// production, the preview role; and exports their ARNs. It returns the boundary's ARN.
//
// Every pull request of the repository has the same OIDC subject, so a preview role in two
// environments would let any pull request read both. Production has none: its state is read
// only by its deploy role, behind the prod environment's reviewers.
func ciIdentity(ctx *pulumi.Context, cfg *config.Config) (pulumi.StringOutput, error) {
	identity, err := aws.GetCallerIdentity(ctx, nil)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("CI identity: reading the account: %w", err)
	}
	s := newCIScope(cfg, identity.AccountId)
	if err := naming.Valid(naming.IAMPolicy, s.boundaryName()); err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("CI identity: permissions boundary: %w", err)
	}
	provider, err := s.provider(ctx, cfg)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("CI identity: %w", err)
	}
	boundary, err := s.policy(ctx, "boundary", s.boundaryName(),
		"The permissions boundary of every role a deploy of "+s.prefix+"* creates.",
		statements(roleDeploy, slices.Concat(s.boundaryGrants(), s.logBoundaryGrants())))
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("CI identity: permissions boundary: %w", err)
	}
	stackref.ExportString(ctx, contract.PermissionsBoundaryArn, boundary.Arn)

	deploy, err := s.role(ctx, roleDeploy, "repo:"+s.ci.GitHubRepository+":environment:"+s.env, provider, cfg.Protect)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("CI identity: %w", err)
	}
	stackref.ExportString(ctx, contract.DeployRoleArn, deploy.Arn)
	if cfg.Production() {
		return boundary.Arn, nil
	}
	preview, err := s.role(ctx, rolePreview, "repo:"+s.ci.GitHubRepository+":pull_request", provider, cfg.Protect)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("CI identity: %w", err)
	}
	stackref.ExportString(ctx, contract.PreviewRoleArn, preview.Arn)
	return boundary.Arn, nil
}

// provider creates the account's GitHub OIDC provider, or returns the ARN of the one another
// stack of the account created. Other stacks' roles trust it, so a destroy of this stack
// leaves it in place. AWS trusts GitHub's certificate through its own root CAs, so no
// thumbprint is pinned (pulumi-aws v6 leaves thumbprintLists to AWS).
func (s ciScope) provider(ctx *pulumi.Context, cfg *config.Config) (pulumi.StringInput, error) {
	if cfg.CI.OIDCProvider == config.OIDCProviderExisting {
		return pulumi.String(s.providerArn()), nil
	}
	p, err := awsiam.NewOpenIdConnectProvider(ctx, "github", &awsiam.OpenIdConnectProviderArgs{
		Url:           pulumi.String("https://" + githubIssuerHost),
		ClientIdLists: pulumi.StringArray{pulumi.String(githubAudience)},
		Tags:          pulumi.ToStringMap(cfg.Tags()),
	}, pulumi.Protect(cfg.Protect), pulumi.RetainOnDelete(true))
	if err != nil {
		return nil, fmt.Errorf("GitHub OIDC provider: %w", err)
	}
	return p.Arn, nil
}

// trustStatements let GitHub's workflows of the one repository assume a role with a token
// for exactly subject, issued for AWS STS.
func trustStatements(provider pulumi.StringInput, subject string) iam.Statements {
	return iam.Statements{{
		Sid:        "GitHubActions",
		Principals: []iam.Principal{{Type: iam.PrincipalFederated, Identifiers: []pulumi.StringInput{provider}}},
		Actions:    []string{"sts:AssumeRoleWithWebIdentity"},
		Conditions: []iam.Condition{
			cond("StringEquals", githubIssuerHost+":aud", githubAudience),
			cond("StringEquals", githubIssuerHost+":sub", subject),
		},
	}}
}

// role creates CI role kind (preview or deploy) trusted for subject, with one managed policy
// per policy group.
func (s ciScope) role(ctx *pulumi.Context, kind, subject string, provider pulumi.StringInput, protect bool) (*awsiam.Role, error) {
	var arns pulumi.StringArray
	for _, g := range s.policyGroups() {
		stmts := statements(kind, g.grants)
		if len(stmts) == 0 {
			continue
		}
		p, err := s.policy(ctx, naming.Child("ci-"+kind, g.name), s.names.Physical(naming.IAMPolicy, "ci-"+kind+"-"+g.name),
			"What the CI "+kind+" role of "+s.prefix+"* may do: "+g.name+".", stmts)
		if err != nil {
			return nil, fmt.Errorf("%s role: %s policy: %w", kind, g.name, err)
		}
		arns = append(arns, p.Arn)
	}
	if len(arns) == 0 {
		return nil, errors.New(kind + " role: no policy")
	}
	trust, err := iam.Document(trustStatements(provider, subject))
	if err != nil {
		return nil, fmt.Errorf("%s role: trust policy: %w", kind, err)
	}
	r, err := awsiam.NewRole(ctx, "ci-"+kind, &awsiam.RoleArgs{
		Name:               pulumi.String(s.roleName(kind)),
		Description:        pulumi.String("Assumed by GitHub Actions (" + subject + ") to " + kind + " " + s.prefix + "*."),
		AssumeRolePolicy:   trust,
		MaxSessionDuration: pulumi.Int(maxSessionSeconds(kind)),
		// Exclusive: an attachment made by hand is removed on the next deploy.
		ManagedPolicyArns: arns,
		Tags:              pulumi.ToStringMap(s.defaultTags),
	}, pulumi.Protect(protect))
	if err != nil {
		return nil, fmt.Errorf("%s role: %w", kind, err)
	}
	return r, nil
}

// policy creates a managed policy named name holding stmts. Policies hold no state, so they
// are not protected: a change of name or description replaces them.
func (s ciScope) policy(ctx *pulumi.Context, logical, name, description string, stmts iam.Statements) (*awsiam.Policy, error) {
	doc, err := iam.Document(stmts)
	if err != nil {
		return nil, err
	}
	return awsiam.NewPolicy(ctx, logical, &awsiam.PolicyArgs{
		Name:        pulumi.String(name),
		Description: pulumi.String(description),
		Policy:      doc,
		Tags:        pulumi.ToStringMap(s.defaultTags),
	})
}
