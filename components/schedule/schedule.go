// Package schedule provides Schedule: an EventBridge Scheduler schedule that invokes a
// function's `live` alias, with its own role, a retry policy and a dead-letter queue.
//
// Default settings:
//   - time zone UTC, stated explicitly on the schedule; no flexible window; enabled;
//   - target: the function's `live` alias, payload none;
//   - its own role, trusted by scheduler.amazonaws.com for this account's schedule group of
//     the schedule only (aws:SourceAccount, aws:SourceArn: the group, as EventBridge
//     Scheduler's confused deputy guidance says; `default` unless a hook sets GroupName), allowed
//     exactly lambda:InvokeFunction on the alias, sqs:SendMessage on its dead-letter queue
//     and the KMS actions that sending to the encrypted queue needs; the scope's permissions
//     boundary, which no hook removes;
//   - retries: 3, events older than 1h dropped to the dead-letter queue;
//   - dead-letter queue `<name>-schedule-dlq` like every component's (components/queue):
//     encrypted with the scope's key, 14 days retention, TLS-only policy, protected where
//     the scope protects stateful resources, alarm as soon as it holds a message.
package schedule

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	// Time zones are checked against Go's embedded database so that validation gives the
	// same answer on every machine, with or without the system's zoneinfo.
	_ "time/tzdata"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	awsiam "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/scheduler"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/internal/sqsqueue"
	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/tokens"
)

// TypeToken is the Pulumi type of Schedule; renaming it needs an alias.
const TypeToken = tokens.Schedule

// Args configures a Schedule.
type Args struct {
	// Scope names the schedule and supplies its key, tags and alarm topic. Required.
	Scope scope.Scope
	// Function is invoked through its `live` alias. Required.
	Function *function.Function
	// Expression is when to invoke: rate(5 minutes), cron(0 3 * * ? *) or
	// at(2026-01-31T09:00:00). Required.
	Expression string
	// TimeZone is the IANA time zone of cron and at expressions, e.g. Europe/Paris.
	// Default: "UTC".
	TimeZone string
	// FlexibleWindow lets Scheduler invoke up to this long after the scheduled time, to
	// spread load; whole minutes from 1m to 24h. Default: off (invoke on time).
	FlexibleWindow time.Duration
	// Input is the JSON payload the function receives. Default: none.
	Input string
	// Retries is how many times a failed invocation is retried, 0 to 185. Default: 3.
	Retries *int
	// MaxEventAge is how long Scheduler keeps retrying an invocation, whole seconds from 60s
	// to 24h. Default: 1h.
	MaxEventAge time.Duration
	// Enabled turns the schedule on or off without deleting it. Default: true.
	Enabled *bool
	// Description describes the schedule, up to 512 characters. Default: none.
	Description string
	// Overrides change the children's arguments before the component re-applies the fields
	// it owns. Default: none.
	Overrides Overrides
}

// Overrides are hooks on the children's arguments. The component then re-applies what it
// owns: names, expression, time zone, state, target, role trust and policy, and the dead-letter
// queue's encryption, retention and policy.
type Overrides struct {
	// Schedule changes the scheduler.ScheduleArgs. Default: none.
	Schedule func(*scheduler.ScheduleArgs)
	// Role changes the iam.RoleArgs. Default: none.
	Role func(*awsiam.RoleArgs)
	// DeadLetterQueue changes the sqs.QueueArgs of the dead-letter queue. Default: none.
	DeadLetterQueue func(*sqs.QueueArgs)
}

// Schedule is an EventBridge Scheduler schedule invoking a function.
type Schedule struct {
	pulumi.ResourceState

	// Schedule is the EventBridge Scheduler schedule.
	Schedule *scheduler.Schedule
	// Role is what Scheduler assumes to invoke the function.
	Role *awsiam.Role
	// DeadLetterQueue receives the invocations that failed every retry.
	DeadLetterQueue *sqs.Queue
	// DeadLetterPolicy is the dead-letter queue's policy: TLS only.
	DeadLetterPolicy *sqs.QueuePolicy
	// DeadLetterAlarm fires when the dead-letter queue holds a message.
	DeadLetterAlarm *cloudwatch.MetricAlarm

	// Arn and Name identify the schedule.
	Arn, Name pulumi.StringOutput
	// DeadLetterQueueArn and DeadLetterQueueURL identify the dead-letter queue.
	DeadLetterQueueArn, DeadLetterQueueURL pulumi.StringOutput
}

// Limits and defaults of the arguments, and the values Scheduler expects.
const (
	maxRetries                  = 185
	minEventAge, maxEventAge    = time.Minute, 24 * time.Hour
	minWindow, maxWindow        = time.Minute, 24 * time.Hour
	maxDescription              = 512
	defaultRetries              = 3
	defaultEventAge             = time.Hour
	defaultTimeZone             = "UTC"
	flexibleOff, flexibleOn     = "OFF", "FLEXIBLE"
	stateEnabled, stateDisabled = "ENABLED", "DISABLED"
	defaultGroup                = "default"
)

// Validate reports every problem with args at once.
func (a *Args) Validate() error {
	errs := []error{a.Scope.Validate()}
	if a.Function == nil {
		errs = append(errs, errors.New("Function: is required (the function to invoke)"))
	}
	if a.Expression == "" {
		errs = append(errs, errors.New("Expression: is required; allowed rate(...), cron(...) or at(...)"))
	} else {
		for _, err := range checkExpression(a.Expression) {
			errs = append(errs, fmt.Errorf("Expression: %w", err))
		}
	}
	if a.TimeZone != "" {
		if _, err := time.LoadLocation(a.TimeZone); err != nil || a.TimeZone == "Local" {
			errs = append(errs, fmt.Errorf("TimeZone: %q is not an IANA time zone such as Europe/Paris", a.TimeZone))
		}
	}
	if a.FlexibleWindow != 0 && (a.FlexibleWindow%time.Minute != 0 || a.FlexibleWindow < minWindow || a.FlexibleWindow > maxWindow) {
		errs = append(errs, fmt.Errorf("FlexibleWindow: %s is not whole minutes between %s and %s", a.FlexibleWindow, minWindow, maxWindow))
	}
	if a.Input != "" && !json.Valid([]byte(a.Input)) {
		errs = append(errs, fmt.Errorf("Input: %q is not valid JSON", a.Input))
	}
	if a.Retries != nil && (*a.Retries < 0 || *a.Retries > maxRetries) {
		errs = append(errs, fmt.Errorf("Retries: %d is not between 0 and %d", *a.Retries, maxRetries))
	}
	if a.MaxEventAge != 0 && (a.MaxEventAge%time.Second != 0 || a.MaxEventAge < minEventAge || a.MaxEventAge > maxEventAge) {
		errs = append(errs, fmt.Errorf("MaxEventAge: %s is not whole seconds between %s and %s", a.MaxEventAge, minEventAge, maxEventAge))
	}
	if len(a.Description) > maxDescription {
		errs = append(errs, fmt.Errorf("Description: %d characters is more than %d", len(a.Description), maxDescription))
	}
	return errors.Join(errs...)
}

// settings are Args with the defaults applied.
type settings struct {
	Args
	retries int
	enabled bool
}

// withDefaults returns the Args with every default filled in.
func (a *Args) withDefaults() settings {
	s := settings{Args: *a, retries: defaultRetries, enabled: true}
	if s.TimeZone == "" {
		s.TimeZone = defaultTimeZone
	}
	if s.MaxEventAge == 0 {
		s.MaxEventAge = defaultEventAge
	}
	if a.Retries != nil {
		s.retries = *a.Retries
	}
	if a.Enabled != nil {
		s.enabled = *a.Enabled
	}
	return s
}

// New creates a Schedule.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Schedule, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(); err != nil {
		return nil, fmt.Errorf("schedule %q: %w", name, err)
	}
	s := args.withDefaults()
	sch := &Schedule{}
	if err := ctx.RegisterComponentResource(TypeToken, name, sch, opts...); err != nil {
		return nil, fmt.Errorf("schedule %q: %w", name, err)
	}
	if err := sch.children(ctx, name, s); err != nil {
		return nil, fmt.Errorf("schedule %q: %w", name, err)
	}
	sch.Arn, sch.Name = sch.Schedule.Arn, sch.Schedule.Name
	sch.DeadLetterQueueArn, sch.DeadLetterQueueURL = sch.DeadLetterQueue.Arn, sch.DeadLetterQueue.Url
	if err := ctx.RegisterResourceOutputs(sch, pulumi.Map{
		"arn": sch.Arn, "name": sch.Name, "deadLetterQueueArn": sch.DeadLetterQueueArn,
	}); err != nil {
		return nil, fmt.Errorf("schedule %q: %w", name, err)
	}
	return sch, nil
}

func (sch *Schedule) children(ctx *pulumi.Context, name string, s settings) error {
	parent := pulumi.Parent(sch)
	// "-schedule" keeps the names apart from those of a queue component with the same name.
	dlq, err := sqsqueue.NewDeadLetter(ctx, name, sqsqueue.DeadLetterArgs{
		Scope: s.Scope, Name: name + "-schedule",
		AlarmDescription: "Schedule " + name + " could not invoke its function; the events are in its dead-letter queue.",
		Override:         s.Overrides.DeadLetterQueue,
	}, sch)
	if err != nil {
		return err
	}
	sch.DeadLetterQueue, sch.DeadLetterPolicy, sch.DeadLetterAlarm = dlq.Queue, dlq.Policy, dlq.Alarm
	identity, err := aws.GetCallerIdentity(ctx, nil, parent)
	if err != nil {
		return fmt.Errorf("reading the account: %w", err)
	}
	region, err := aws.GetRegion(ctx, nil, parent)
	if err != nil {
		return fmt.Errorf("reading the region: %w", err)
	}
	args := scheduleArgs(name, s, sch.DeadLetterQueue.Arn)
	if sch.Role, err = newRole(ctx, name, s, identity.AccountId, groupArn(args.GroupName, region.Name, identity.AccountId), parent); err != nil {
		return fmt.Errorf("role: %w", err)
	}
	doc, err := iam.Document(roleStatements(s.Function.AliasArn, sch.DeadLetterQueue.Arn, s.Scope.KeyArn))
	if err != nil {
		return fmt.Errorf("role policy: %w", err)
	}
	policy, err := awsiam.NewRolePolicy(ctx, naming.Child(name, "policy"), &awsiam.RolePolicyArgs{
		Name:   pulumi.String("invoke"),
		Role:   sch.Role.Name,
		Policy: doc,
	}, parent)
	if err != nil {
		return fmt.Errorf("role policy: %w", err)
	}
	// The target is owned like the rest; it names the role, which the target's group scopes.
	target := args.Target.(*scheduler.ScheduleTargetArgs)
	target.RoleArn = sch.Role.Arn
	// Scheduler checks that it can assume the role when the schedule is created.
	sch.Schedule, err = scheduler.NewSchedule(ctx, name, args, parent, pulumi.DependsOn([]pulumi.Resource{policy}))
	return err
}

// scheduleArgs are the schedule's arguments, hooks applied and owned fields re-applied, but
// for the target's role, which is created after them: its trust names the schedule's group.
func scheduleArgs(name string, s settings, deadLetterArn pulumi.StringInput) *scheduler.ScheduleArgs {
	args := &scheduler.ScheduleArgs{}
	if s.Description != "" {
		args.Description = pulumi.String(s.Description)
	}
	return override.Apply(args, s.Overrides.Schedule, func(args *scheduler.ScheduleArgs) {
		args.Name = pulumi.String(s.Scope.Name(naming.Schedule, name))
		args.NamePrefix = nil
		args.ScheduleExpression = pulumi.String(s.Expression)
		args.ScheduleExpressionTimezone = pulumi.String(s.TimeZone)
		args.State = pulumi.String(state(s.enabled))
		args.FlexibleTimeWindow = flexibleWindow(s.FlexibleWindow)
		target := &scheduler.ScheduleTargetArgs{
			Arn: s.Function.AliasArn,
			RetryPolicy: &scheduler.ScheduleTargetRetryPolicyArgs{
				MaximumRetryAttempts:     pulumi.Int(s.retries),
				MaximumEventAgeInSeconds: pulumi.Int(int(s.MaxEventAge / time.Second)),
			},
			DeadLetterConfig: &scheduler.ScheduleTargetDeadLetterConfigArgs{Arn: deadLetterArn},
		}
		if s.Input != "" {
			target.Input = pulumi.String(s.Input)
		}
		args.Target = target
	})
}

// groupArn is the ARN of the schedule group named group (Scheduler's "default" when nil),
// the resource EventBridge Scheduler names as aws:SourceArn when it assumes a role.
func groupArn(group pulumi.StringPtrInput, region, account string) pulumi.StringOutput {
	if group == nil {
		group = pulumi.StringPtr(defaultGroup)
	}
	return group.ToStringPtrOutput().ApplyT(func(g *string) string {
		name := defaultGroup
		if g != nil && *g != "" {
			name = *g
		}
		return fmt.Sprintf("arn:aws:scheduler:%s:%s:schedule-group/%s", region, account, name)
	}).(pulumi.StringOutput)
}

func state(enabled bool) string {
	if enabled {
		return stateEnabled
	}
	return stateDisabled
}

func flexibleWindow(d time.Duration) *scheduler.ScheduleFlexibleTimeWindowArgs {
	if d == 0 {
		return &scheduler.ScheduleFlexibleTimeWindowArgs{Mode: pulumi.String(flexibleOff)}
	}
	return &scheduler.ScheduleFlexibleTimeWindowArgs{
		Mode:                   pulumi.String(flexibleOn),
		MaximumWindowInMinutes: pulumi.Int(int(d / time.Minute)),
	}
}

// newRole creates the role Scheduler assumes, for the schedules of group only: another
// schedule of the account can pass the role only from that group, and one of another
// account not at all.
func newRole(ctx *pulumi.Context, name string, s settings, account string, group pulumi.StringInput, parent pulumi.ResourceOption) (*awsiam.Role, error) {
	trust, err := iam.AssumeRole(iam.ServiceScheduler, pulumi.String(account), group)
	if err != nil {
		return nil, err
	}
	args := override.Apply(&awsiam.RoleArgs{
		Description: pulumi.String("Role schedule " + name + " uses to invoke its function."),
		Tags:        s.Scope.TagMap(),
	}, s.Overrides.Role, func(args *awsiam.RoleArgs) {
		// "-schedule" keeps the name apart from the role of a function with the same name.
		args.Name = pulumi.String(s.Scope.Name(naming.IAMRole, name+"-schedule"))
		args.NamePrefix = nil
		args.AssumeRolePolicy = trust
		args.ManagedPolicyArns = nil
		args.InlinePolicies = nil
		s.Scope.Bound(args)
	})
	return awsiam.NewRole(ctx, naming.Child(name, "role"), args, parent)
}

// roleStatements are all the role may do: invoke the alias and dead-letter failed events.
// Sending to a KMS-encrypted queue needs a data key, and Decrypt to check it, through SQS only.
func roleStatements(aliasArn, queueArn, keyArn pulumi.StringInput) iam.Statements {
	return iam.Statements{
		{Sid: "InvokeFunction", Actions: []string{"lambda:InvokeFunction"}, Resources: []pulumi.StringInput{aliasArn}},
		{Sid: "DeadLetter", Actions: []string{"sqs:SendMessage"}, Resources: []pulumi.StringInput{queueArn}},
		{Sid: "EncryptDeadLetters", Actions: []string{"kms:Decrypt", "kms:GenerateDataKey"}, Resources: []pulumi.StringInput{keyArn},
			Conditions: []iam.Condition{iam.ViaService("sqs", keyArn)}},
	}
}
