// Package platform is the program of the root Pulumi project: the foundation every bounded
// context of one environment shares. It deploys the platform KMS key and the alarm topic that
// all alarms notify, and exports the identity settings (JWT issuer and audiences) that every
// HTTP API trusts.
package platform

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/key"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
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
	names := cfg.Scope()
	defaultTags := cfg.Tags()

	// CloudWatch publishes alarms to the encrypted topic, so it must be able to use the key.
	k, err := key.New(ctx, "platform", &key.Args{
		Scope:    scope.Scope{Naming: names, Tags: defaultTags, Protect: cfg.Protect},
		Services: []iam.Service{"cloudwatch.amazonaws.com"},
	})
	if err != nil {
		return err
	}

	topic, err := sns.NewTopic(ctx, "alarms", &sns.TopicArgs{
		Name:           pulumi.String(names.Physical(naming.SNSTopic, "alarms")),
		KmsMasterKeyId: k.Arn,
		Tags:           pulumi.ToStringMap(defaultTags),
	})
	if err != nil {
		return fmt.Errorf("alarm topic: %w", err)
	}
	identity, err := aws.GetCallerIdentity(ctx, nil)
	if err != nil {
		return fmt.Errorf("alarm topic: reading the account: %w", err)
	}
	policy, err := iam.Document(alarmTopicPolicy(topic.Arn, identity.AccountId))
	if err != nil {
		return fmt.Errorf("alarm topic policy: %w", err)
	}
	if _, err := sns.NewTopicPolicy(ctx, "alarms-policy", &sns.TopicPolicyArgs{
		Arn: topic.Arn, Policy: policy,
	}); err != nil {
		return fmt.Errorf("alarm topic policy: %w", err)
	}
	if cfg.AlarmEmail != "" {
		if _, err := sns.NewTopicSubscription(ctx, "alarms-email", &sns.TopicSubscriptionArgs{
			Topic: topic.Arn, Protocol: pulumi.String("email"), Endpoint: pulumi.String(cfg.AlarmEmail),
		}); err != nil {
			return fmt.Errorf("alarm e-mail subscription: %w", err)
		}
	}

	stackref.ExportString(ctx, contract.AlarmTopicArn, topic.Arn)
	stackref.ExportString(ctx, contract.JWTIssuer, pulumi.String(cfg.JWTIssuer))
	stackref.ExportStringList(ctx, contract.JWTAudiences, pulumi.ToStringArray(cfg.JWTAudiences))
	return nil
}

// alarmTopicPolicy lets only CloudWatch alarms of this account publish, and refuses any
// request that does not use TLS.
func alarmTopicPolicy(topicArn pulumi.StringInput, account string) iam.Statements {
	return iam.Statements{
		{
			Sid:        "CloudWatchAlarmsPublish",
			Principals: []iam.Principal{{Type: "Service", Identifiers: []pulumi.StringInput{pulumi.String("cloudwatch.amazonaws.com")}}},
			Actions:    []string{"sns:Publish"},
			Resources:  []pulumi.StringInput{topicArn},
			Conditions: []iam.Condition{{Test: "StringEquals", Variable: "aws:SourceAccount",
				Values: []pulumi.StringInput{pulumi.String(account)}}},
		},
		iam.DenyInsecureTransport(topicArn, "sns:Publish", "sns:Subscribe", "sns:GetTopicAttributes", "sns:SetTopicAttributes",
			"sns:AddPermission", "sns:RemovePermission", "sns:DeleteTopic", "sns:ListSubscriptionsByTopic"),
	}
}
