package queue_test

import (
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/queue"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/platform/stackref"
)

// newQueue plans one queue named "jobs" with args (Scope filled in when empty).
func newQueue(t *testing.T, args queue.Args) *plan.Plan {
	t.Helper()
	if args.Scope.KeyArn == nil {
		args.Scope = scopetest.New()
	}
	return plantest.Run(t, func(ctx *pulumi.Context) error {
		_, err := queue.New(ctx, "jobs", &args)
		return err
	})
}

func TestNewCreatesQueueDeadLetterQueuePoliciesAndAlarms(t *testing.T) {
	p := newQueue(t, queue.Args{})

	component := get(t, p, queue.TypeToken, "jobs")
	assert.Empty(t, component.Parent)
	assert.Equal(t, []string{
		alarmType + " jobs-alarm-dlq-not-empty",
		alarmType + " jobs-alarm-oldest-message-age",
		queueType + " jobs",
		queueType + " jobs-dlq",
		policyType + " jobs-dlq-policy",
		policyType + " jobs-policy",
		redriveType + " jobs-dlq-redrive-allow",
	}, children(p, component.URN))
	assert.Len(t, p.Resources, 8, "nothing outside the component")

	main := get(t, p, queueType, "jobs")
	assert.Equal(t, "acme-dev-orders-jobs", main.Inputs["name"])
	assert.Equal(t, false, main.Inputs["fifoQueue"])
	assert.Equal(t, scopeKeyArn, main.Inputs["kmsMasterKeyId"])
	assert.EqualValues(t, 300, main.Inputs["kmsDataKeyReusePeriodSeconds"])
	assert.EqualValues(t, 30, main.Inputs["visibilityTimeoutSeconds"])
	assert.EqualValues(t, 4*24*3600, main.Inputs["messageRetentionSeconds"])
	assert.EqualValues(t, 0, main.Inputs["delaySeconds"])
	assert.NotContains(t, main.Inputs, "sqsManagedSseEnabled")
	assert.NotContains(t, main.Inputs, "policy", "the policy belongs to the QueuePolicy resource")
	assert.Equal(t, map[string]any{"deadLetterTargetArn": arnPrefix + "acme-dev-orders-jobs-dlq", "maxReceiveCount": 5.0},
		decode(t, main, "redrivePolicy"))
	assert.Equal(t, scopetest.New().Tags["context"], main.Inputs["tags"].(map[string]any)["context"])

	dlq := get(t, p, queueType, "jobs-dlq")
	assert.Equal(t, "acme-dev-orders-jobs-dlq", dlq.Inputs["name"])
	assert.Equal(t, scopeKeyArn, dlq.Inputs["kmsMasterKeyId"])
	assert.EqualValues(t, 300, dlq.Inputs["kmsDataKeyReusePeriodSeconds"])
	assert.EqualValues(t, 14*24*3600, dlq.Inputs["messageRetentionSeconds"])
	assert.NotContains(t, dlq.Inputs, "redrivePolicy")
	assert.NotContains(t, dlq.Inputs, "redriveAllowPolicy", "set by the RedriveAllowPolicy resource")
	assert.Equal(t, main.Inputs["tags"], dlq.Inputs["tags"])

	allow := get(t, p, redriveType, "jobs-dlq-redrive-allow")
	assert.Equal(t, urlPrefix+"acme-dev-orders-jobs-dlq", allow.Inputs["queueUrl"])
	assert.Equal(t, map[string]any{"redrivePermission": "byQueue", "sourceQueueArns": []any{arnPrefix + "acme-dev-orders-jobs"}},
		decode(t, allow, "redriveAllowPolicy"))

	for _, r := range []plan.Resource{main, dlq} {
		assert.False(t, r.Protect, "%s is not protected outside a protecting scope", r.Name)
	}
}

func TestQueuePoliciesAreTLSOnlyAndLetOnlyThePublishersDeliver(t *testing.T) {
	p := newQueue(t, queue.Args{Publishers: []queue.Publisher{
		{TopicArn: pulumi.String(topicArn)}, {TopicArn: pulumi.String(otherTopic)},
	}})

	policy := get(t, p, policyType, "jobs-policy")
	assert.Equal(t, urlPrefix+"acme-dev-orders-jobs", policy.Inputs["queueUrl"])
	main := arnPrefix + "acme-dev-orders-jobs"
	assert.Equal(t, iam.Parsed{Version: iam.Version, Statement: append(tlsOnly(main),
		delivery(main, otherTopic, topicArn))}, parsePolicy(t, policy, "policy"))

	dlqPolicy := get(t, p, policyType, "jobs-dlq-policy")
	assert.Equal(t, urlPrefix+"acme-dev-orders-jobs-dlq", dlqPolicy.Inputs["queueUrl"])
	assert.Equal(t, iam.Parsed{Version: iam.Version, Statement: tlsOnly(arnPrefix + "acme-dev-orders-jobs-dlq")},
		parsePolicy(t, dlqPolicy, "policy"), "nobody but the main queue writes to the dead-letter queue")
}

func TestQueuePolicyWithoutPublishersIsOnlyTLS(t *testing.T) {
	p := newQueue(t, queue.Args{})
	main := arnPrefix + "acme-dev-orders-jobs"
	assert.Equal(t, iam.Parsed{Version: iam.Version, Statement: tlsOnly(main)},
		parsePolicy(t, get(t, p, policyType, "jobs-policy"), "policy"))
}

func TestFIFOQueuesHaveFIFONames(t *testing.T) {
	p := newQueue(t, queue.Args{FIFO: true})
	main, dlq := get(t, p, queueType, "jobs"), get(t, p, queueType, "jobs-dlq")
	assert.Equal(t, "acme-dev-orders-jobs.fifo", main.Inputs["name"])
	assert.Equal(t, true, main.Inputs["fifoQueue"])
	assert.Equal(t, "acme-dev-orders-jobs-dlq.fifo", dlq.Inputs["name"])
	assert.Equal(t, true, dlq.Inputs["fifoQueue"])
	assert.Equal(t, arnPrefix+"acme-dev-orders-jobs-dlq.fifo", decode(t, main, "redrivePolicy")["deadLetterTargetArn"])
}

func TestArgsReachTheQueues(t *testing.T) {
	p := newQueue(t, queue.Args{
		VisibilityTimeout: 2 * time.Minute, Retention: 2 * time.Hour, DLQRetention: 3 * 24 * time.Hour,
		MaxReceiveCount: 3, Delay: 5 * time.Second, MaxMessageAge: time.Hour,
	})
	main := get(t, p, queueType, "jobs")
	assert.EqualValues(t, 120, main.Inputs["visibilityTimeoutSeconds"])
	assert.EqualValues(t, 7200, main.Inputs["messageRetentionSeconds"])
	assert.EqualValues(t, 5, main.Inputs["delaySeconds"])
	assert.Equal(t, 3.0, decode(t, main, "redrivePolicy")["maxReceiveCount"])
	assert.EqualValues(t, 3*24*3600, get(t, p, queueType, "jobs-dlq").Inputs["messageRetentionSeconds"])
	assert.EqualValues(t, 3600, get(t, p, alarmType, "jobs-alarm-oldest-message-age").Inputs["threshold"])
}

func TestAlarms(t *testing.T) {
	p := newQueue(t, queue.Args{})
	for _, tc := range []struct {
		name, physical, metric, queue string
		threshold                     float64
	}{
		{"jobs-alarm-dlq-not-empty", "acme-dev-orders-jobs-dlq-not-empty", "ApproximateNumberOfMessagesVisible", "acme-dev-orders-jobs-dlq", 0},
		{"jobs-alarm-oldest-message-age", "acme-dev-orders-jobs-oldest-message-age", "ApproximateAgeOfOldestMessage", "acme-dev-orders-jobs", 900},
	} {
		a := get(t, p, alarmType, tc.name)
		assert.Equal(t, tc.physical, a.Inputs["name"])
		assert.Equal(t, "AWS/SQS", a.Inputs["namespace"])
		assert.Equal(t, tc.metric, a.Inputs["metricName"])
		assert.Equal(t, map[string]any{"QueueName": tc.queue}, a.Inputs["dimensions"])
		assert.Equal(t, "Maximum", a.Inputs["statistic"])
		assert.Equal(t, "GreaterThanThreshold", a.Inputs["comparisonOperator"])
		assert.EqualValues(t, tc.threshold, a.Inputs["threshold"])
		assert.Equal(t, []any{alarmTopic}, a.Inputs["alarmActions"])
		assert.Equal(t, []any{alarmTopic}, a.Inputs["okActions"])
	}
}

func TestProtectedScopeProtectsBothQueues(t *testing.T) {
	s := scopetest.New()
	s.Protect = true
	p := newQueue(t, queue.Args{Scope: s})
	for _, name := range []string{"jobs", "jobs-dlq"} {
		r := get(t, p, queueType, name)
		assert.True(t, r.Protect, name)
		assert.True(t, r.RetainOnDelete, name)
	}
}

func TestGrants(t *testing.T) {
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		q, err := queue.New(ctx, "jobs", &queue.Args{Scope: scopetest.New()})
		if err != nil {
			return err
		}
		for name, stmts := range map[string]iam.Statements{"send": q.AllowSend(), "consume": q.AllowConsume()} {
			doc, err := iam.Document(stmts)
			if err != nil {
				return err
			}
			stackref.Export(ctx, name, doc)
		}
		return nil
	})
	main := arnPrefix + "acme-dev-orders-jobs"
	assert.Equal(t, iam.Parsed{Version: iam.Version, Statement: []iam.ParsedStatement{
		{Sid: "QueueJobsSend", Effect: "Allow", Action: []string{"sqs:SendMessage"}, Resource: []string{main}},
		{Sid: "QueueJobsSendKey", Effect: "Allow", Action: []string{"kms:Decrypt", "kms:GenerateDataKey"}, Resource: []string{scopeKeyArn}, Condition: map[string]map[string][]string{"StringEquals": {"kms:ViaService": {"sqs.eu-west-1.amazonaws.com"}}}},
	}}, parseOutput(t, p, "send"))
	assert.Equal(t, iam.Parsed{Version: iam.Version, Statement: []iam.ParsedStatement{
		{Sid: "QueueJobsConsume", Effect: "Allow", Action: []string{"sqs:ChangeMessageVisibility", "sqs:DeleteMessage",
			"sqs:GetQueueAttributes", "sqs:ReceiveMessage"}, Resource: []string{main}},
		{Sid: "QueueJobsConsumeKey", Effect: "Allow", Action: []string{"kms:Decrypt"}, Resource: []string{scopeKeyArn}, Condition: map[string]map[string][]string{"StringEquals": {"kms:ViaService": {"sqs.eu-west-1.amazonaws.com"}}}},
	}}, parseOutput(t, p, "consume"))
}

func TestOverridesCannotRemoveOwnedFields(t *testing.T) {
	var ranQueue, ranDLQ bool
	p := newQueue(t, queue.Args{Overrides: queue.Overrides{
		Queue: func(a *sqs.QueueArgs) {
			ranQueue = true
			a.MaxMessageSize = pulumi.Int(1024)
			a.Name = pulumi.String("renamed")
			a.KmsMasterKeyId = pulumi.String("alias/aws/sqs")
			a.SqsManagedSseEnabled = pulumi.Bool(true)
			a.Policy = pulumi.String(`{"Statement":[]}`)
			a.RedrivePolicy = pulumi.String(`{}`)
			a.VisibilityTimeoutSeconds = pulumi.Int(1)
		},
		DeadLetterQueue: func(a *sqs.QueueArgs) {
			ranDLQ = true
			a.ReceiveWaitTimeSeconds = pulumi.Int(20)
			a.KmsMasterKeyId = nil
			a.FifoQueue = pulumi.Bool(true)
			a.RedriveAllowPolicy = pulumi.String(`{"redrivePermission":"allowAll"}`)
		},
	}})
	require.True(t, ranQueue)
	require.True(t, ranDLQ)

	main := get(t, p, queueType, "jobs")
	assert.EqualValues(t, 1024, main.Inputs["maxMessageSize"], "the hook's own setting stays")
	assert.Equal(t, "acme-dev-orders-jobs", main.Inputs["name"])
	assert.Equal(t, scopeKeyArn, main.Inputs["kmsMasterKeyId"])
	assert.NotContains(t, main.Inputs, "sqsManagedSseEnabled")
	assert.NotContains(t, main.Inputs, "policy")
	assert.Equal(t, arnPrefix+"acme-dev-orders-jobs-dlq", decode(t, main, "redrivePolicy")["deadLetterTargetArn"])
	assert.EqualValues(t, 30, main.Inputs["visibilityTimeoutSeconds"])

	dlq := get(t, p, queueType, "jobs-dlq")
	assert.EqualValues(t, 20, dlq.Inputs["receiveWaitTimeSeconds"])
	assert.Equal(t, scopeKeyArn, dlq.Inputs["kmsMasterKeyId"])
	assert.Equal(t, false, dlq.Inputs["fifoQueue"])
	assert.NotContains(t, dlq.Inputs, "redriveAllowPolicy")
}

func TestOutputs(t *testing.T) {
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		q, err := queue.New(ctx, "jobs", &queue.Args{Scope: scopetest.New(), VisibilityTimeout: time.Minute, FIFO: true})
		if err != nil {
			return err
		}
		if !q.FIFO || q.VisibilityTimeout != time.Minute {
			t.Errorf("FIFO %v, VisibilityTimeout %s", q.FIFO, q.VisibilityTimeout)
		}
		stackref.Export(ctx, "arn", q.Arn)
		stackref.Export(ctx, "url", q.URL)
		stackref.Export(ctx, "name", q.Name)
		stackref.Export(ctx, "dlqArn", q.DLQArn)
		return nil
	})
	assert.Equal(t, map[string]any{
		"arn":    arnPrefix + "acme-dev-orders-jobs.fifo",
		"url":    urlPrefix + "acme-dev-orders-jobs.fifo",
		"name":   "acme-dev-orders-jobs.fifo",
		"dlqArn": arnPrefix + "acme-dev-orders-jobs-dlq.fifo",
	}, p.Outputs)
}

func TestValidate(t *testing.T) {
	many := make([]queue.Publisher, 51)
	for i := range many {
		many[i].TopicArn = pulumi.String(topicArn)
	}
	for _, tc := range []struct {
		name string
		args queue.Args
		want string
	}{
		{"receive count", queue.Args{Scope: scopetest.New(), MaxReceiveCount: -1},
			"MaxReceiveCount: -1 is not between 1 and 1000"},
		{"durations out of range", queue.Args{Scope: scopetest.New(), VisibilityTimeout: 13 * time.Hour,
			Retention: 30 * time.Second, DLQRetention: 15 * 24 * time.Hour, Delay: 16 * time.Minute, MaxMessageAge: -time.Minute},
			"VisibilityTimeout: 13h is not between 1s and 12h\n" +
				"Retention: 30s is not between 1m and 14d\n" +
				"DLQRetention: 15d is not between 1m and 14d\n" +
				"Delay: 16m is not between 0s and 15m\n" +
				"MaxMessageAge: -1m is not between 1m and 14d"},
		{"fractional seconds", queue.Args{Scope: scopetest.New(), VisibilityTimeout: 1500 * time.Millisecond,
			Delay: 2500 * time.Millisecond},
			"VisibilityTimeout: 1.5s is not a whole number of seconds\nDelay: 2.5s is not a whole number of seconds"},
		{"dead-letter queue keeps messages shorter", queue.Args{Scope: scopetest.New(), Retention: 7 * 24 * time.Hour,
			DLQRetention: 2 * 24 * time.Hour},
			"DLQRetention: 2d is shorter than Retention 7d; a moved message keeps its enqueue time, so the dead-letter queue must keep messages at least as long"},
		{"age alarm could never fire", queue.Args{Scope: scopetest.New(), Retention: 10 * time.Minute},
			"MaxMessageAge: 15m is not shorter than Retention 10m; the age alarm could never fire"},
		{"publishers", queue.Args{Scope: scopetest.New(), MaxReceiveCount: 1001,
			Publishers: []queue.Publisher{{TopicArn: pulumi.String(topicArn)}, {}}},
			"MaxReceiveCount: 1001 is not between 1 and 1000\nPublishers[1].TopicArn: is required"},
		{"too many publishers", queue.Args{Scope: scopetest.New(), Publishers: many},
			"Publishers: 51 topics is more than 50; a queue policy holds at most 8,192 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got error
			require.Error(t, plantest.RunErr(func(ctx *pulumi.Context) error {
				_, got = queue.New(ctx, "jobs", &tc.args)
				return got
			}))
			assert.EqualError(t, got, `queue "jobs": `+tc.want)
			assert.EqualError(t, tc.args.Validate(), tc.want)
		})
	}
}

func TestValidateReportsScopeProblems(t *testing.T) {
	err := (&queue.Args{MaxReceiveCount: 2000}).Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Scope.KeyArn: is required")
	assert.Contains(t, err.Error(), "MaxReceiveCount: 2000 is not between 1 and 1000")
}

func TestNilArgsNeedAScope(t *testing.T) {
	err := plantest.RunErr(func(ctx *pulumi.Context) error {
		_, err := queue.New(ctx, "jobs", nil)
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `queue "jobs": Scope.`)
}

func TestGolden(t *testing.T) {
	p := newQueue(t, queue.Args{Publishers: []queue.Publisher{{TopicArn: pulumi.String(topicArn)}}})
	plantest.Golden(t, "testdata/queue.plan.json", p)
}
