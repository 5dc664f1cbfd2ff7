package policy_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
)

func TestQueueDeadLetter(t *testing.T) {
	orphan := bareQueue("orphan")
	q := orphan[0]
	fnFailed := function("api") // its failure queue is the target of the invoke config
	esm := res("aws:lambda/eventSourceMapping:EventSourceMapping", "esm", map[string]any{
		"destinationConfig": map[string]any{"onFailure": map[string]any{"destinationArn": queueArn("orphan")}}}, nil)
	runCases(t, "queue-dead-letter", []ruleCase{
		{"queue and its dead-letter queue", [][]plan.Resource{queue("jobs")}, nil},
		{"on-failure destination of a function", [][]plan.Resource{fnFailed}, nil},
		{"dead-letter queues of a subscription and a schedule", [][]plan.Resource{
			subscription("notify-events", "events", "worker"), schedule("nightly", "worker")}, nil},
		{"on-failure destination of an event source mapping", [][]plan.Resource{orphan, one(esm)}, nil},
		{"no redrive policy", [][]plan.Resource{orphan}, []policy.Violation{{URN: q.URN,
			Message: "redrivePolicy is not set and no resource of the plan uses the queue as a dead-letter queue: a message that keeps failing is retried until it expires; add a dead-letter queue"}}},
		{"redrive policy without target", [][]plan.Resource{one(with(q, map[string]any{"redrivePolicy": `{"maxReceiveCount":5}`}))}, []policy.Violation{{URN: q.URN,
			Message: "redrivePolicy has no deadLetterTargetArn; name the dead-letter queue"}}},
		{"redrive allow policy by queue", [][]plan.Resource{one(allowPolicy(`{"redrivePermission":"byQueue","sourceQueueArns":["` + queueArn("jobs") + `"]}`))}, nil},
		{"redrive allow policy for all", [][]plan.Resource{one(allowPolicy(`{"redrivePermission":"allowAll"}`))}, []policy.Violation{{URN: allowPolicy("").URN,
			Message: `redriveAllowPolicy has redrivePermission "allowAll" and 0 source queues; name the source queues with byQueue`}}},
	})
}

func TestAsyncDeadLetter(t *testing.T) {
	worker := function("worker")
	fn, async := worker[0], worker[4]
	sched, sub := schedule("nightly", "worker")[0], subscription("notify", "events", "worker")[0]
	target, _ := sched.Inputs["target"].(map[string]any)
	noDLQ := map[string]any{}
	for k, v := range target {
		if k != "deadLetterConfig" {
			noDLQ[k] = v
		}
	}
	noDestination := with(async, map[string]any{"destinationConfig": nil})
	synchronous := with(fn, map[string]any{"tags": map[string]any{policy.SynchronousFunctionTag: policy.SynchronousFunctionTagValue}})
	runCases(t, "async-dead-letter", []ruleCase{
		{"compliant", [][]plan.Resource{worker, schedule("nightly", "worker"), subscription("notify", "events", "worker")}, nil},
		{"queue subscription needs no redrive policy", [][]plan.Resource{one(with(sub, map[string]any{"protocol": "sqs", "redrivePolicy": nil}))}, nil},
		{"function without destination invoked synchronously only", [][]plan.Resource{{fn, noDestination}}, nil},
		{"schedule without dead-letter queue", [][]plan.Resource{one(with(sched, map[string]any{"target": noDLQ}))}, []policy.Violation{{URN: sched.URN,
			Message: "target.deadLetterConfig.arn is not set: an invocation that fails every retry is dropped; send it to a queue"}}},
		{"function subscription without redrive policy", [][]plan.Resource{one(with(sub, map[string]any{"redrivePolicy": nil}))}, []policy.Violation{{URN: sub.URN,
			Message: "redrivePolicy has no deadLetterTargetArn: a message SNS cannot deliver to the function is dropped after its retries; send it to a queue"}}},
		{"function invoked asynchronously without destination", [][]plan.Resource{{fn, noDestination, sched, sub}}, []policy.Violation{{URN: fn.URN,
			Message: `the function is invoked asynchronously by schedule "nightly", subscription "notify" but has no on-failure destination: an event it fails on every retry is dropped; set one in its event invoke config`}}},
		{"function declared synchronous but invoked asynchronously", [][]plan.Resource{{synchronous, noDestination, sched}}, []policy.Violation{{URN: fn.URN,
			Message: `the function is invoked asynchronously by schedule "nightly" but has no on-failure destination: an event it fails on every retry is dropped; set one in its event invoke config`}}},
	})
}

func TestFunctionOnFailure(t *testing.T) {
	fn, async := function("api")[0], function("api")[4]
	byArn := with(async, map[string]any{"functionName": functionArn("api") + ":live"})
	synchronous := with(fn, map[string]any{"tags": map[string]any{policy.SynchronousFunctionTag: policy.SynchronousFunctionTagValue}})
	runCases(t, "function-on-failure", []ruleCase{
		{"compliant", [][]plan.Resource{function("api")}, nil},
		{"config names the function by qualified ARN", [][]plan.Resource{{fn, byArn}}, nil},
		{"no invoke config", [][]plan.Resource{one(fn)}, []policy.Violation{{URN: fn.URN,
			Message: "no event invoke config with an on-failure destination: a failed asynchronous invocation is dropped after its retries; if nothing invokes the function asynchronously, declare it (tag invocation=synchronous, function.Args.Synchronous) or suppress with the reason"}}},
		{"declared synchronous", [][]plan.Resource{one(synchronous)}, nil},
		{"invoke config without destination", [][]plan.Resource{{fn, with(async, map[string]any{"destinationConfig": nil})}}, []policy.Violation{{URN: fn.URN,
			Message: "no event invoke config with an on-failure destination: a failed asynchronous invocation is dropped after its retries; if nothing invokes the function asynchronously, declare it (tag invocation=synchronous, function.Args.Synchronous) or suppress with the reason"}}},
	})
}

func TestLogRetention(t *testing.T) {
	logs := function("api")[3]
	want := []policy.Violation{{URN: logs.URN, Message: "retentionInDays is not set: the log events are kept forever; set the environment's log retention"}}
	runCases(t, "log-retention", []ruleCase{
		{"compliant", [][]plan.Resource{one(logs)}, nil},
		{"from JSON", [][]plan.Resource{one(with(logs, map[string]any{"retentionInDays": float64(365)}))}, nil},
		{"not set", [][]plan.Resource{one(with(logs, map[string]any{"retentionInDays": nil}))}, want},
		{"zero means never expire", [][]plan.Resource{one(with(logs, map[string]any{"retentionInDays": 0}))}, want},
	})
}

func TestAlarmCoverage(t *testing.T) {
	fn, q, tbl, a := function("api")[0], bareQueue("jobs")[0], table("orders")[0], api("public", "a1b2c3d4e5")[0]
	math := res("aws:cloudwatch/metricAlarm:MetricAlarm", "math", map[string]any{"alarmActions": []any{alarmTopic},
		"metricQueries": []any{map[string]any{"id": "e1", "expression": "m1/60"},
			map[string]any{"id": "m1", "metric": map[string]any{"dimensions": map[string]any{"QueueName": physical("jobs")}}}}}, nil)
	runCases(t, "alarm-coverage", []ruleCase{
		{"compliant", [][]plan.Resource{function("api"), bareQueue("jobs"), table("orders"), api("public", "a1b2c3d4e5")}, nil},
		{"metric math alarm", [][]plan.Resource{{q, math}}, nil},
		{"nothing alarmed", [][]plan.Resource{{fn, q, tbl, a}}, []policy.Violation{
			{URN: fn.URN, Message: "no metric alarm has dimension FunctionName=acme-dev-orders-api: nobody learns when the function fails; add alarms"},
			{URN: q.URN, Message: "no metric alarm has dimension QueueName=acme-dev-orders-jobs: nobody learns when the queue fails; add alarms"},
			{URN: tbl.URN, Message: "no metric alarm has dimension TableName=acme-dev-orders-orders: nobody learns when the table fails; add alarms"},
			{URN: a.URN, Message: "no metric alarm has dimension ApiId=a1b2c3d4e5: nobody learns when the API fails; add alarms"},
		}},
		{"alarm on another resource", [][]plan.Resource{{fn, alarm("other", map[string]any{"FunctionName": physical("other")})}}, []policy.Violation{
			{URN: fn.URN, Message: "no metric alarm has dimension FunctionName=acme-dev-orders-api: nobody learns when the function fails; add alarms"}}},
		{"API id not recorded", [][]plan.Resource{one(res("aws:apigatewayv2/api:Api", "bare", map[string]any{}, nil))}, []policy.Violation{
			{URN: urn("aws:apigatewayv2/api:Api", "bare"), Message: "the plan does not record the API's ApiId, so no alarm can be matched to it"}}},
	})
}

func TestAlarmActions(t *testing.T) {
	a := alarm("a", map[string]any{"FunctionName": "x"})
	b := alarm("b", map[string]any{"FunctionName": "x"})
	c := alarm("c", map[string]any{"FunctionName": "x"})
	other := "arn:aws:sns:eu-west-1:111111111111:team-pager"
	notifyOther := map[string]any{"alarmActions": []any{other}, "okActions": nil}
	runCases(t, "alarm-actions", []ruleCase{
		{"compliant", [][]plan.Resource{{a, b, c}}, nil},
		{"no actions", [][]plan.Resource{{a, with(b, map[string]any{"alarmActions": []any{}, "okActions": nil})}}, []policy.Violation{{URN: b.URN,
			Message: "alarmActions is empty: the alarm notifies nobody; notify the platform alarm topic"}}},
		{"another topic", [][]plan.Resource{{a, b, with(c, map[string]any{"alarmActions": []any{alarmTopic, other}})}}, []policy.Violation{{URN: c.URN,
			Message: "alarmActions has arn:aws:sns:eu-west-1:111111111111:team-pager; every alarm notifies arn:aws:sns:eu-west-1:111111111111:acme-dev-platform-alarms (the topic most alarms of the plan notify, as the plan does not reference the platform stack) and nothing else"}}},
		{"not a topic", [][]plan.Resource{{with(a, map[string]any{"insufficientDataActions": []any{"arn:aws:automate:eu-west-1:ec2:stop"}})}}, []policy.Violation{{URN: a.URN,
			Message: "insufficientDataActions has arn:aws:automate:eu-west-1:ec2:stop; every alarm notifies arn:aws:sns:eu-west-1:111111111111:acme-dev-platform-alarms (the topic most alarms of the plan notify, as the plan does not reference the platform stack) and nothing else"}}},
		{"no topic at all", [][]plan.Resource{{with(a, map[string]any{"alarmActions": []any{"arn:aws:automate:eu-west-1:ec2:stop"}, "okActions": nil})}}, []policy.Violation{{URN: a.URN,
			Message: "alarmActions has arn:aws:automate:eu-west-1:ec2:stop, which is not an SNS topic; notify the platform alarm topic"}}},
		{"a tie takes the smaller ARN", [][]plan.Resource{{a, with(b, notifyOther)}}, []policy.Violation{{URN: b.URN,
			Message: "alarmActions has arn:aws:sns:eu-west-1:111111111111:team-pager; every alarm notifies arn:aws:sns:eu-west-1:111111111111:acme-dev-platform-alarms (the topic most alarms of the plan notify, as the plan does not reference the platform stack) and nothing else"}}},
	})
}

func TestAlarmActionsPlatformTopic(t *testing.T) {
	other := "arn:aws:sns:eu-west-1:111111111111:team-pager"
	a := with(alarm("a", map[string]any{"FunctionName": "x"}), map[string]any{"alarmActions": []any{other}, "okActions": nil})
	b := with(alarm("b", map[string]any{"FunctionName": "x"}), map[string]any{"alarmActions": []any{other}, "okActions": nil})
	c := alarm("c", map[string]any{"FunctionName": "x"})
	ref := plan.Resource{URN: "urn:pulumi:dev::orders::pulumi:pulumi:StackReference::organization/platform/dev",
		Type: "pulumi:pulumi:StackReference", Name: "organization/platform/dev", Inputs: map[string]any{"name": "organization/platform/dev"},
		Outputs: map[string]any{"outputs": map[string]any{"alarmTopicArn": alarmTopic}}}
	otherRef := ref
	otherRef.Name = "organization/accounts/dev"
	otherRef.Outputs = map[string]any{"outputs": map[string]any{"alarmTopicArn": other}}

	// The majority notifies the team's topic, but the platform stack says which one counts.
	wantFromRef := func(r plan.Resource) policy.Violation {
		return policy.Violation{URN: r.URN, Message: "alarmActions has arn:aws:sns:eu-west-1:111111111111:team-pager; every alarm notifies arn:aws:sns:eu-west-1:111111111111:acme-dev-platform-alarms (the platform alarm topic, from stack reference organization/platform/dev) and nothing else"}
	}
	assert.Equal(t, []policy.Violation{wantFromRef(a), wantFromRef(b)}, check(t, "alarm-actions", []plan.Resource{otherRef, ref, a, b, c}))

	platform := newPlan([]plan.Resource{a, c})
	platform.Project = "platform"
	platform.Outputs = map[string]any{"alarmTopicArn": alarmTopic}
	assert.Equal(t, []policy.Violation{{URN: a.URN, Message: "alarmActions has arn:aws:sns:eu-west-1:111111111111:team-pager; every alarm notifies arn:aws:sns:eu-west-1:111111111111:acme-dev-platform-alarms (the platform alarm topic, output alarmTopicArn) and nothing else"}},
		checkPlan(t, "alarm-actions", platform))
}

// allowPolicy is the redrive allow policy of a dead-letter queue.
func allowPolicy(policy string) plan.Resource {
	return res("aws:sqs/redriveAllowPolicy:RedriveAllowPolicy", "jobs-dlq-allow", map[string]any{
		"queueUrl": queueURL("jobs-dlq"), "redriveAllowPolicy": policy}, nil)
}
