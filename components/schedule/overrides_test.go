package schedule_test

import (
	"testing"

	awsiam "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/scheduler"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"

	"github.com/stratum-platform/stratum/components/schedule"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
)

// TestOverrides shows that hooks change what the component leaves open and cannot remove
// what it owns.
func TestOverrides(t *testing.T) {
	p := run(t, func(a *schedule.Args) {
		a.Overrides = schedule.Overrides{
			Schedule: func(s *scheduler.ScheduleArgs) {
				s.EndDate = pulumi.String("2030-01-01T00:00:00Z") // open
				s.ScheduleExpression = pulumi.String("rate(1 minute)")
				s.State = pulumi.String("DISABLED")
				s.Target = &scheduler.ScheduleTargetArgs{Arn: pulumi.String("arn:aws:lambda:eu-west-1:111111111111:function:other"),
					RoleArn: pulumi.String("arn:aws:iam::111111111111:role/admin")}
			},
			Role: func(r *awsiam.RoleArgs) {
				r.MaxSessionDuration = pulumi.Int(7200) // open
				r.ManagedPolicyArns = pulumi.StringArray{pulumi.String("arn:aws:iam::aws:policy/AdministratorAccess")}
				r.AssumeRolePolicy = pulumi.String(`{"Statement":[]}`)
			},
			DeadLetterQueue: func(q *sqs.QueueArgs) {
				q.VisibilityTimeoutSeconds = pulumi.Int(60) // open
				q.KmsMasterKeyId = nil
				q.SqsManagedSseEnabled = pulumi.Bool(true)
				q.MessageRetentionSeconds = pulumi.Int(60)
				// An inline policy would fight the dead-letter queue's own queue policy.
				q.Policy = pulumi.String(`{"Statement":[]}`)
			},
		}
	})
	sch := get(t, p, "aws:scheduler/schedule:Schedule", "nightly").Inputs
	assert.Equal(t, "2030-01-01T00:00:00Z", sch["endDate"])
	assert.Equal(t, "cron(0 3 * * ? *)", sch["scheduleExpression"])
	assert.Equal(t, "ENABLED", sch["state"])
	target := sch["target"].(map[string]any)
	assert.Equal(t, aliasArn, target["arn"])
	assert.Equal(t, "arn:aws:iam::111111111111:role/"+roleName, target["roleArn"])
	assert.Equal(t, map[string]any{"arn": dlqArn}, target["deadLetterConfig"])

	role := get(t, p, "aws:iam/role:Role", "nightly-role")
	assert.EqualValues(t, 7200, role.Inputs["maxSessionDuration"])
	assert.NotContains(t, role.Inputs, "managedPolicyArns")
	assert.Equal(t, []string{"scheduler.amazonaws.com"}, parse(t, role, "assumeRolePolicy").Statement[0].Principal["Service"])

	q := get(t, p, "aws:sqs/queue:Queue", "nightly-dlq").Inputs
	assert.EqualValues(t, 60, q["visibilityTimeoutSeconds"])
	assert.Equal(t, scopetest.KeyArn, q["kmsMasterKeyId"])
	assert.NotContains(t, q, "sqsManagedSseEnabled")
	assert.EqualValues(t, 1209600, q["messageRetentionSeconds"])
	assert.NotContains(t, q, "policy", "the queue policy resource owns the policy")
}
