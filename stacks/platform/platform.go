// Package platform is the program of the root Pulumi project: the foundation every bounded
// context of one environment shares. It deploys the platform KMS key and the alarm topic that
// all alarms notify, and exports the identity settings (JWT issuer and audiences) that every
// HTTP API trusts.
package platform

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
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
		return fmt.Errorf("platform key: reading the account: %w", err)
	}
	// CloudWatch publishes alarms to the encrypted topic, so it must be able to use the key:
	// for this environment's alarms only (every alarm is named <org>-<env>-...). CloudWatch
	// Logs encrypts the platform's function log groups (the release function's) with it.
	k, err := key.New(ctx, "platform", &key.Args{
		Scope:          scope.Scope{Naming: names, Tags: defaultTags, Protect: cfg.Protect},
		Administrators: cfg.KeyAdministrators,
		Services: []key.Service{
			{Principal: "cloudwatch.amazonaws.com", SourceArns: []pulumi.StringInput{
				pulumi.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s-%s-*", cfg.Region, identity.AccountId, cfg.Org, cfg.Env)}},
			{Principal: iam.LogsService(cfg.Region), SourceArns: []pulumi.StringInput{
				pulumi.Sprintf("arn:aws:logs:%s:%s:log-group:/aws/lambda/%s-*", cfg.Region, identity.AccountId, names.Prefix())}},
		},
	})
	if err != nil {
		return err
	}

	// Only CloudWatch alarms of this account may publish; the topic component adds the
	// TLS-only statement. The topic creates no alarm, so its scope needs no alarm topic.
	alarms, err := topic.New(ctx, "alarms", &topic.Args{
		Scope: scope.Scope{Naming: names, Tags: defaultTags, KeyArn: k.Arn, Protect: cfg.Protect},
		ServicePublishers: []topic.ServicePublisher{
			{Service: "cloudwatch.amazonaws.com", SourceAccount: pulumi.String(identity.AccountId)},
		},
	}, movedUnderComponent("aws:sns/topic:Topic", "aws:sns/topicPolicy:TopicPolicy"))
	if err != nil {
		return err
	}
	if cfg.AlarmEmail != "" {
		if _, err := sns.NewTopicSubscription(ctx, "alarms-email", &sns.TopicSubscriptionArgs{
			Topic: alarms.Arn, Protocol: pulumi.String("email"), Endpoint: pulumi.String(cfg.AlarmEmail),
		}); err != nil {
			return fmt.Errorf("alarm e-mail subscription: %w", err)
		}
	}

	sc := scope.Scope{Naming: names, Tags: defaultTags, KeyArn: k.Arn, AlarmTopicArn: alarms.Arn, Protect: cfg.Protect,
		PermissionsBoundaryArn: boundary}
	if err := releaseFunction(ctx, cfg, sc, identity.AccountId); err != nil {
		return err
	}
	apiDomainName, err := apiDomain(ctx, cfg)
	if err != nil {
		return err
	}

	stackref.ExportString(ctx, contract.AlarmTopicArn, alarms.Arn)
	stackref.ExportString(ctx, contract.APIDomainName, apiDomainName)
	stackref.ExportString(ctx, contract.JWTIssuer, pulumi.String(cfg.JWTIssuer))
	stackref.ExportStringList(ctx, contract.JWTAudiences, pulumi.ToStringArray(cfg.JWTAudiences))
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
