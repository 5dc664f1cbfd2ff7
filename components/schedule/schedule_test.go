package schedule_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/scheduler"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/schedule"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
)

const (
	component = "urn:pulumi:dev::test::stratum:schedule:Schedule::nightly"
	aliasArn  = "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-orders-report:live"
	roleName  = "acme-dev-orders-nightly-schedule"
	dlqName   = "acme-dev-orders-nightly-schedule-dlq"
	dlqArn    = "arn:aws:sqs:eu-west-1:111111111111:" + dlqName
	dlqURL    = "https://sqs.eu-west-1.amazonaws.com/111111111111/" + dlqName
)

// program creates function "report" and schedule "nightly" invoking it; edit fills in the
// schedule's args after the function exists.
func program(edit func(*schedule.Args)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		s := scopetest.New()
		fn, err := function.New(ctx, "report", &function.Args{Scope: s, Archive: "testdata/bootstrap.zip"})
		if err != nil {
			return err
		}
		args := &schedule.Args{Scope: s, Function: fn, Expression: "cron(0 3 * * ? *)"}
		if edit != nil {
			edit(args)
		}
		_, err = schedule.New(ctx, "nightly", args)
		return err
	}
}

func run(t *testing.T, edit func(*schedule.Args)) *plan.Plan {
	t.Helper()
	return plantest.Run(t, program(edit))
}

func get(t *testing.T, p *plan.Plan, typ, name string) plan.Resource {
	t.Helper()
	r, err := p.Get(typ, name)
	require.NoError(t, err)
	return r
}

func parse(t *testing.T, r plan.Resource, key string) iam.Parsed {
	t.Helper()
	doc, ok := r.Inputs[key].(string)
	require.True(t, ok, "%s of %s is %v", key, r.Name, r.Inputs[key])
	parsed, err := iam.Parse(doc)
	require.NoError(t, err)
	return parsed
}

func TestChildren(t *testing.T) {
	p := run(t, nil)
	comp := get(t, p, schedule.TypeToken, "nightly")
	assert.Equal(t, component, comp.URN)
	var got []string
	for _, r := range p.Children(comp.URN) {
		got = append(got, r.Type+" "+r.Name)
	}
	slices.Sort(got)
	assert.Equal(t, []string{
		"aws:cloudwatch/metricAlarm:MetricAlarm nightly-schedule-alarm-dlq-not-empty",
		"aws:iam/role:Role nightly-role",
		"aws:iam/rolePolicy:RolePolicy nightly-policy",
		"aws:scheduler/schedule:Schedule nightly",
		"aws:sqs/queue:Queue nightly-dlq",
		"aws:sqs/queuePolicy:QueuePolicy nightly-dlq-policy",
	}, got)
}

func TestSchedule(t *testing.T) {
	p := run(t, nil)
	sch := get(t, p, "aws:scheduler/schedule:Schedule", "nightly")
	assert.Equal(t, map[string]any{
		"name":                       "acme-dev-orders-nightly",
		"scheduleExpression":         "cron(0 3 * * ? *)",
		"scheduleExpressionTimezone": "UTC",
		"state":                      "ENABLED",
		"flexibleTimeWindow":         map[string]any{"mode": "OFF"},
		"target": map[string]any{
			"arn":              aliasArn,
			"roleArn":          "arn:aws:iam::111111111111:role/" + roleName,
			"retryPolicy":      map[string]any{"maximumRetryAttempts": 3.0, "maximumEventAgeInSeconds": 3600.0},
			"deadLetterConfig": map[string]any{"arn": dlqArn},
		},
	}, sch.Inputs)
	policy := get(t, p, "aws:iam/rolePolicy:RolePolicy", "nightly-policy")
	assert.Contains(t, sch.Dependencies, policy.URN, "the role may invoke before the schedule exists")
}

func TestScheduleSettings(t *testing.T) {
	p := run(t, func(a *schedule.Args) {
		a.Expression = "rate(5 minutes)"
		a.TimeZone = "Europe/Paris"
		a.FlexibleWindow = 15 * time.Minute
		a.Input = `{"report":"daily"}`
		a.Retries = new(0)
		a.MaxEventAge = 24 * time.Hour
		a.Enabled = new(false)
		a.Description = "Sends the daily report."
	})
	in := get(t, p, "aws:scheduler/schedule:Schedule", "nightly").Inputs
	assert.Equal(t, "rate(5 minutes)", in["scheduleExpression"])
	assert.Equal(t, "Europe/Paris", in["scheduleExpressionTimezone"])
	assert.Equal(t, "DISABLED", in["state"])
	assert.Equal(t, "Sends the daily report.", in["description"])
	assert.Equal(t, map[string]any{"mode": "FLEXIBLE", "maximumWindowInMinutes": 15.0}, in["flexibleTimeWindow"])
	target := in["target"].(map[string]any)
	assert.Equal(t, `{"report":"daily"}`, target["input"])
	assert.Equal(t, map[string]any{"maximumRetryAttempts": 0.0, "maximumEventAgeInSeconds": 86400.0}, target["retryPolicy"])
}

func TestRole(t *testing.T) {
	p := run(t, nil)
	role := get(t, p, "aws:iam/role:Role", "nightly-role")
	assert.Equal(t, roleName, role.Inputs["name"])
	assert.NotContains(t, role.Inputs, "managedPolicyArns")
	assert.Equal(t, iam.Parsed{Version: iam.Version, Statement: []iam.ParsedStatement{{
		Effect:    "Allow",
		Principal: map[string][]string{"Service": {"scheduler.amazonaws.com"}},
		Action:    []string{"sts:AssumeRole"},
		Condition: map[string]map[string][]string{
			"StringEquals": {"aws:SourceAccount": {plan.DefaultAccount}},
			"ArnEquals":    {"aws:SourceArn": {"arn:aws:scheduler:eu-west-1:" + plan.DefaultAccount + ":schedule-group/default"}},
		},
	}}}, parse(t, role, "assumeRolePolicy"), "only schedules of the schedule's group (the confused deputy guidance: a group, never a schedule)")

	policy := get(t, p, "aws:iam/rolePolicy:RolePolicy", "nightly-policy")
	assert.Equal(t, roleName, policy.Inputs["role"])
	assert.Equal(t, iam.Parsed{Version: iam.Version, Statement: []iam.ParsedStatement{
		{Sid: "InvokeFunction", Effect: "Allow", Action: []string{"lambda:InvokeFunction"}, Resource: []string{aliasArn}},
		{Sid: "DeadLetter", Effect: "Allow", Action: []string{"sqs:SendMessage"}, Resource: []string{dlqArn}},
		{Sid: "EncryptDeadLetters", Effect: "Allow", Action: []string{"kms:Decrypt", "kms:GenerateDataKey"},
			Resource:  []string{scopetest.KeyArn},
			Condition: map[string]map[string][]string{"StringEquals": {"kms:ViaService": {"sqs.eu-west-1.amazonaws.com"}}}},
	}}, parse(t, policy, "policy"))
}

// A schedule in its own group (set by a hook) gets a role only that group's schedules may use.
func TestRoleTrustsTheSchedulesGroup(t *testing.T) {
	p := run(t, func(a *schedule.Args) {
		a.Overrides.Schedule = func(s *scheduler.ScheduleArgs) { s.GroupName = pulumi.String("acme-dev-orders") }
	})
	trust := parse(t, get(t, p, "aws:iam/role:Role", "nightly-role"), "assumeRolePolicy")
	assert.Equal(t, []string{"arn:aws:scheduler:eu-west-1:" + plan.DefaultAccount + ":schedule-group/acme-dev-orders"},
		trust.Statement[0].Condition["ArnEquals"]["aws:SourceArn"])
	target := get(t, p, "aws:scheduler/schedule:Schedule", "nightly").Inputs["target"].(map[string]any)
	assert.Equal(t, get(t, p, "aws:iam/role:Role", "nightly-role").Outputs["arn"], target["roleArn"], "the target still names the role")
}

func TestDeadLetterQueue(t *testing.T) {
	p := run(t, nil)
	q := get(t, p, "aws:sqs/queue:Queue", "nightly-dlq")
	assert.Equal(t, dlqName, q.Inputs["name"])
	assert.Equal(t, scopetest.KeyArn, q.Inputs["kmsMasterKeyId"])
	assert.EqualValues(t, 1209600, q.Inputs["messageRetentionSeconds"])
	assert.Equal(t, "acme", q.Inputs["tags"].(map[string]any)["org"])

	qp := get(t, p, "aws:sqs/queuePolicy:QueuePolicy", "nightly-dlq-policy")
	assert.Equal(t, dlqURL, qp.Inputs["queueUrl"])
	// The same TLS-only statements as every queue of the platform.
	policy := parse(t, qp, "policy")
	require.Len(t, policy.Statement, 3)
	var denied []string
	for _, st := range policy.Statement {
		assert.Equal(t, "Deny", st.Effect)
		assert.Equal(t, map[string][]string{"AWS": {"*"}}, st.Principal)
		assert.Equal(t, []string{dlqArn}, st.Resource)
		assert.Equal(t, map[string]map[string][]string{"Bool": {"aws:SecureTransport": {"false"}}}, st.Condition)
		denied = append(denied, st.Action...)
	}
	assert.Subset(t, denied, []string{"sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteQueue", "sqs:SetQueueAttributes"})
	assert.EqualValues(t, 300, q.Inputs["kmsDataKeyReusePeriodSeconds"])

	assert.False(t, q.Protect, "an unprotected scope protects nothing")

	a := get(t, p, "aws:cloudwatch/metricAlarm:MetricAlarm", "nightly-schedule-alarm-dlq-not-empty")
	assert.Equal(t, component, a.Parent)
	assert.Equal(t, "acme-dev-orders-nightly-schedule-dlq-not-empty", a.Inputs["name"])
	assert.Equal(t, "AWS/SQS", a.Inputs["namespace"])
	assert.Equal(t, "ApproximateNumberOfMessagesVisible", a.Inputs["metricName"])
	assert.Equal(t, "Maximum", a.Inputs["statistic"])
	assert.Equal(t, 0.0, a.Inputs["threshold"])
	assert.Equal(t, "GreaterThanThreshold", a.Inputs["comparisonOperator"])
	assert.Equal(t, map[string]any{"QueueName": dlqName}, a.Inputs["dimensions"])
	assert.Equal(t, []any{scopetest.AlarmTopicArn}, a.Inputs["alarmActions"])
}

// The dead-letter queue holds the only copy of the events that failed: a scope that protects
// stateful resources protects and retains it, as it does every other dead-letter queue.
func TestDeadLetterQueueIsProtectedWhereTheScopeProtects(t *testing.T) {
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		s := scopetest.New()
		s.Protect = true
		fn, err := function.New(ctx, "report", &function.Args{Scope: s, Archive: "testdata/bootstrap.zip"})
		if err != nil {
			return err
		}
		_, err = schedule.New(ctx, "nightly", &schedule.Args{Scope: s, Function: fn, Expression: "rate(1 hour)"})
		return err
	})
	q := get(t, p, "aws:sqs/queue:Queue", "nightly-dlq")
	assert.True(t, q.Protect)
	assert.True(t, q.RetainOnDelete)
}

func TestNoWildcardActions(t *testing.T) {
	p := run(t, nil)
	for _, r := range p.Resources {
		for _, key := range []string{"policy", "assumeRolePolicy"} {
			if _, ok := r.Inputs[key].(string); !ok {
				continue
			}
			for _, a := range parse(t, r, key).Actions() {
				assert.False(t, strings.Contains(a, "*"), "%s %s has action %s", r.Name, key, a)
			}
		}
	}
}

func TestGolden(t *testing.T) {
	p := run(t, func(a *schedule.Args) {
		a.TimeZone = "Europe/Paris"
		a.Input = `{"report":"daily"}`
		a.FlexibleWindow = 10 * time.Minute
	})
	// Only the schedule's resources: the function has its own golden plan.
	own := *p
	own.Resources = nil
	for _, r := range p.Resources {
		if r.URN == component || r.Parent == component {
			own.Resources = append(own.Resources, r)
		}
	}
	plantest.Golden(t, "testdata/schedule.plan.json", &own)
}
