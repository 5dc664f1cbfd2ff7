package platform

import (
	"fmt"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/budgets"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/key"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/components/topic"
	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/stackref"
)

// Service principals of the billing guards.
const (
	cloudWatchService iam.Service = "cloudwatch.amazonaws.com"
	budgetsService    iam.Service = "budgets.amazonaws.com"
)

// Names of the billing guards.
const (
	billingAlarmName = "billing"
	billingTopicName = "billing-alarms"
)

// budgetArn is the budget's ARN, derived from its name: the alarm topic's policy names it
// before it exists.
func budgetArn(names naming.Scope, account string) string {
	return "arn:aws:budgets::" + account + ":budget/" + names.Physical(budgetKind(), budgetName)
}

// billingAlarmArn is the billing alarm's ARN, derived from its name: the billing topic's
// policy names it before it exists.
func billingAlarmArn(names naming.Scope, account string) string {
	return "arn:aws:cloudwatch:" + billingRegion + ":" + account + ":alarm:" + names.Physical(naming.Alarm, billingAlarmName)
}

// billingGuards are the environment's two cost guards, both at stratum:billingAlarmUsd: a
// CloudWatch alarm on the account's estimated charges, and a monthly cost budget that
// notifies when the actual or the forecast spend passes it. Both cover the account's whole
// spend (the billing metric has no finer dimension).
//
// AWS publishes the billing metrics in us-east-1 only, and CloudWatch notifies topics of the
// alarm's own region only. Outside us-east-1 the alarm therefore lives in us-east-1 (an
// explicit provider) and notifies the platform's alarm topic of that region: a topic
// component with its own key there, the same recipients (notify), exported as
// billingAlarmTopicArn. The budget is global and notifies the alarm topic of the stack.
func billingGuards(ctx *pulumi.Context, cfg *config.Config, sc scope.Scope, alarms *topic.Topic, account string,
	opts []pulumi.ResourceOption) error {
	alarmTopic := alarms.Arn
	if cfg.Region != billingRegion {
		t, err := billingTopic(ctx, cfg, sc, account, opts)
		if err != nil {
			return err
		}
		alarmTopic = t.Arn
		stackref.ExportString(ctx, contract.BillingAlarmTopicArn, t.Arn)
	}
	usd := strconv.FormatFloat(cfg.Ops.BillingAlarmUSD, 'f', 2, 64)
	if _, err := cloudwatch.NewMetricAlarm(ctx, naming.Child(billingAlarmName, "alarm-charges"), &cloudwatch.MetricAlarmArgs{
		Name: pulumi.String(sc.Name(naming.Alarm, billingAlarmName)),
		AlarmDescription: pulumi.String("The account's estimated charges this month passed " + usd + " USD " +
			"(stratum:billingAlarmUsd): look at Cost Explorer for what grew."),
		Namespace: pulumi.String("AWS/Billing"), MetricName: pulumi.String("EstimatedCharges"),
		Dimensions: pulumi.StringMap{"Currency": pulumi.String("USD")},
		// AWS updates the estimate a few times a day.
		Statistic: pulumi.String("Maximum"), Period: pulumi.Int(21600), EvaluationPeriods: pulumi.Int(1),
		Threshold: pulumi.Float64(cfg.Ops.BillingAlarmUSD), ComparisonOperator: pulumi.String("GreaterThanThreshold"),
		TreatMissingData: pulumi.String("notBreaching"),
		AlarmActions:     pulumi.Array{alarmTopic}, OkActions: pulumi.Array{alarmTopic},
		Tags: sc.TagMap(),
	}, opts...); err != nil {
		return fmt.Errorf("billing alarm: %w", err)
	}
	notification := func(kind string) budgets.BudgetNotificationInput {
		return &budgets.BudgetNotificationArgs{
			NotificationType: pulumi.String(kind), ComparisonOperator: pulumi.String("GREATER_THAN"),
			Threshold: pulumi.Float64(100), ThresholdType: pulumi.String("PERCENTAGE"),
			SubscriberSnsTopicArns: pulumi.StringArray{alarms.Arn},
		}
	}
	// Budgets publishes only if the topic's policy lets it, which the topic has from the
	// start (its service publishers).
	if _, err := budgets.NewBudget(ctx, budgetName, &budgets.BudgetArgs{
		Name:       pulumi.String(sc.Name(budgetKind(), budgetName)),
		BudgetType: pulumi.String("COST"), TimeUnit: pulumi.String("MONTHLY"),
		LimitAmount: pulumi.String(usd), LimitUnit: pulumi.String("USD"),
		Notifications: budgets.BudgetNotificationArray{notification("ACTUAL"), notification("FORECASTED")},
		Tags:          sc.TagMap(),
	}, pulumi.DependsOn([]pulumi.Resource{alarms.Policy})); err != nil {
		return fmt.Errorf("budget: %w", err)
	}
	return nil
}

// usEast1 returns the options that create a resource in us-east-1 (billingRegion), where
// AWS publishes the billing metrics and CloudFront keeps its certificates and web ACLs: an
// explicit provider outside us-east-1, none in it. The billing guards and the portal share it.
func usEast1(ctx *pulumi.Context, cfg *config.Config) ([]pulumi.ResourceOption, error) {
	if cfg.Region == billingRegion {
		return nil, nil
	}
	provider, err := aws.NewProvider(ctx, billingRegion, &aws.ProviderArgs{Region: pulumi.String(billingRegion)})
	if err != nil {
		return nil, fmt.Errorf("%s provider: %w", billingRegion, err)
	}
	return []pulumi.ResourceOption{pulumi.Provider(provider)}, nil
}

// billingTopic creates the alarm topic of us-east-1 (opts give its provider): its key, the
// topic (only this account's billing alarm publishes) and its recipients.
func billingTopic(ctx *pulumi.Context, cfg *config.Config, sc scope.Scope, account string, opts []pulumi.ResourceOption) (*topic.Topic, error) {
	k, err := key.New(ctx, billingTopicName, &key.Args{
		Scope:          scope.Scope{Naming: sc.Naming, Tags: sc.Tags, Protect: sc.Protect},
		Description:    sc.Naming.Prefix() + " billing alarm topic",
		Administrators: cfg.KeyAdministrators,
		Services: []key.Service{
			{Principal: cloudWatchService, SourceArns: []pulumi.StringInput{pulumi.String(billingAlarmArn(sc.Naming, account))}},
			{Principal: iam.ServiceSNS, SourceArns: []pulumi.StringInput{platformTopics(sc.Naming, billingRegion, account)}},
		},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("billing alarm topic: %w", err)
	}
	billing := sc
	billing.KeyArn, billing.AlarmTopicArn = k.Arn, nil
	t, err := topic.New(ctx, billingTopicName, &topic.Args{
		Scope: billing,
		ServicePublishers: []topic.ServicePublisher{{
			Service: cloudWatchService, SourceAccount: pulumi.String(account),
			SourceArns: []pulumi.StringInput{pulumi.String(billingAlarmArn(sc.Naming, account))},
		}},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("billing alarm topic: %w", err)
	}
	billing.AlarmTopicArn = t.Arn
	if err := notify(ctx, cfg, billing, billingTopicName, t, opts...); err != nil {
		return nil, err
	}
	return t, nil
}

// platformTopics is the ARN pattern of the platform's topics in region: the services that
// deliver from them (SNS to a webhook's dead-letter queue) use the key for them only.
func platformTopics(names naming.Scope, region, account string) pulumi.StringInput {
	return pulumi.String("arn:aws:sns:" + region + ":" + account + ":" + names.Prefix() + "-*")
}
