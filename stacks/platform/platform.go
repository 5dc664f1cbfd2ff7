// Package platform is the program of the root Pulumi project: the foundation every bounded
// context of one environment shares. It deploys the platform KMS key, the alarm topic that
// all alarms notify (with its e-mail and webhook recipients), the audit trail, the log
// pipeline every log group subscribes to, the billing guards, the platform dashboard of
// every context, the CI identity, the release function, and the optional API domain and
// developer portal; it exports the identity settings (JWT issuer and audiences) that every
// HTTP API trusts and what the contexts read (platform/contract).
package platform

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/key"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/components/topic"
	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/stackref"
)

// Program deploys the platform stack of one environment.
func Program(ctx *pulumi.Context) error {
	cfg, err := config.Load(ctx)
	if err != nil {
		return err
	}
	// Every HTTP API of every context trusts these; an API cannot be created without them.
	if cfg.JWTIssuer == "" || len(cfg.JWTAudiences) == 0 {
		return fmt.Errorf("project %s: %s and %s are required: every context's HTTP API authorizer trusts them",
			ctx.Project(), config.KeyJWTIssuer, config.KeyJWTAudiences)
	}
	boundary, err := ciIdentity(ctx, cfg)
	if err != nil {
		return err
	}
	names := cfg.Scope()
	defaultTags := cfg.Tags()
	identity, err := aws.GetCallerIdentity(ctx, nil)
	if err != nil {
		return fmt.Errorf("platform: reading the account: %w", err)
	}
	account, region := identity.AccountId, cfg.Region

	// CloudWatch alarms and Budgets publish to the encrypted alarm topic, SNS delivers a
	// webhook's failed notifications to an encrypted queue, CloudWatch Logs encrypts the
	// platform's function log groups (the release function's), each for this environment's
	// resources only; CloudTrail encrypts the audit trail's log files (for that trail only);
	// CloudFront reads the developer portal's pages (portalKeyStatements).
	k, err := key.New(ctx, "platform", &key.Args{
		Scope:          scope.Scope{Naming: names, Tags: defaultTags, Protect: cfg.Protect},
		Administrators: cfg.KeyAdministrators,
		Services: []key.Service{
			{Principal: cloudWatchService, SourceArns: []pulumi.StringInput{
				pulumi.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s-%s-*", region, account, cfg.Org, cfg.Env)}},
			{Principal: budgetsService, SourceArns: []pulumi.StringInput{pulumi.String(budgetArn(names, account))}},
			{Principal: iam.ServiceSNS, SourceArns: []pulumi.StringInput{platformTopics(names, region, account)}},
			{Principal: iam.LogsService(region), SourceArns: []pulumi.StringInput{
				pulumi.Sprintf("arn:aws:logs:%s:%s:log-group:/aws/lambda/%s-*", region, account, names.Prefix())}},
		},
		Statements: append(trailKeyStatements(trailArn(names, region, account)), portalKeyStatements(cfg, account)...),
	})
	if err != nil {
		return err
	}
	// Only CloudWatch alarms of this account and its budget publish; the topic component
	// adds the TLS-only statement. The topic creates no alarm, so its scope needs no alarm
	// topic.
	alarms, err := topic.New(ctx, "alarms", &topic.Args{
		Scope: scope.Scope{Naming: names, Tags: defaultTags, KeyArn: k.Arn, Protect: cfg.Protect},
		ServicePublishers: []topic.ServicePublisher{
			{Service: cloudWatchService, SourceAccount: pulumi.String(account)},
			{Service: budgetsService, SourceAccount: pulumi.String(account),
				SourceArns: []pulumi.StringInput{pulumi.String(budgetArn(names, account))}},
		},
	}, movedUnderComponent("aws:sns/topic:Topic", "aws:sns/topicPolicy:TopicPolicy"))
	if err != nil {
		return err
	}
	sc := scope.Scope{Naming: names, Tags: defaultTags, KeyArn: k.Arn, AlarmTopicArn: alarms.Arn,
		LogRetentionDays: cfg.LogRetentionDays, Protect: cfg.Protect, PermissionsBoundaryArn: boundary}
	if err := notify(ctx, cfg, sc, "alarms", alarms); err != nil {
		return err
	}
	if _, _, err := audit(ctx, cfg, sc, region, account); err != nil {
		return err
	}
	pipeline, err := logs(ctx, pipelineEnv{cfg: cfg, sc: sc, boundary: boundary, region: region, account: account})
	if err != nil {
		return err
	}
	east, err := usEast1(ctx, cfg)
	if err != nil {
		return err
	}
	if err := billingGuards(ctx, cfg, sc, alarms, account, east); err != nil {
		return err
	}
	if _, err := overview(ctx, sc, region, account); err != nil {
		return err
	}

	// The platform's functions' logs (release, portal sign-in) join the aggregation like
	// every context's.
	released := sc
	released.LogDestinationArn = pipeline.Destination.Arn
	if err := releaseFunction(ctx, cfg, released, account); err != nil {
		return err
	}
	apiDomainName, err := apiDomain(ctx, cfg)
	if err != nil {
		return err
	}
	if err := hostPortal(ctx, cfg, released, account, east); err != nil {
		return err
	}

	stackref.ExportString(ctx, contract.AlarmTopicArn, alarms.Arn)
	stackref.ExportString(ctx, contract.APIDomainName, apiDomainName)
	stackref.ExportString(ctx, contract.JWTIssuer, pulumi.String(cfg.JWTIssuer))
	stackref.ExportStringList(ctx, contract.JWTAudiences, pulumi.ToStringArray(cfg.JWTAudiences))
	stackref.ExportString(ctx, contract.PlatformKeyArn, k.Arn)
	stackref.ExportString(ctx, contract.LogDestinationArn, pipeline.Destination.Arn)
	return nil
}

// movedUnderComponent keeps the deployed resources of the given types when a component
// takes them over: the alarm topic and its policy were created at the top of the stack, with
// the logical names the topic component gives its children, so an alias to the same name
// without a parent makes the engine adopt them instead of creating a second topic of the
// same name and deleting the first.
func movedUnderComponent(types ...string) pulumi.ResourceOption {
	return pulumi.Transformations([]pulumi.ResourceTransformation{
		func(args *pulumi.ResourceTransformationArgs) *pulumi.ResourceTransformationResult {
			if !slices.Contains(types, args.Type) {
				return nil
			}
			opts := append(slices.Clone(args.Opts), pulumi.Aliases([]pulumi.Alias{{NoParent: pulumi.Bool(true)}}))
			return &pulumi.ResourceTransformationResult{Props: args.Props, Opts: opts}
		},
	})
}
