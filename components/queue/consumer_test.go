package queue_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/queue"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
)

const aliasArn = "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-orders-worker:live"

// consumerProgram creates queue "jobs" with qargs, function "worker" with the given timeout
// and consumer "jobs-worker" with cargs (Function filled in when nil).
func consumerProgram(qargs queue.Args, timeout time.Duration, cargs queue.ConsumerArgs, got *error) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		qargs.Scope = scopetest.New()
		q, err := queue.New(ctx, "jobs", &qargs)
		if err != nil {
			return err
		}
		fn, err := function.New(ctx, "worker", &function.Args{
			Scope: scopetest.New(), Archive: "testdata/bootstrap.zip", Timeout: timeout,
		})
		if err != nil {
			return err
		}
		if cargs.Function == nil {
			cargs.Function = fn
		}
		_, err = queue.NewConsumer(ctx, "jobs-worker", q, &cargs)
		if got != nil {
			*got = err
		}
		return err
	}
}

func TestConsumerMapsTheQueueToTheAlias(t *testing.T) {
	p := plantest.Run(t, consumerProgram(queue.Args{}, 0, queue.ConsumerArgs{}, nil))

	component := get(t, p, queue.ConsumerTypeToken, "jobs-worker")
	assert.Empty(t, component.Parent)
	assert.Equal(t, []string{mappingType + " jobs-worker"}, children(p, component.URN))

	m := get(t, p, mappingType, "jobs-worker")
	assert.Equal(t, arnPrefix+"acme-dev-orders-jobs", m.Inputs["eventSourceArn"])
	assert.Equal(t, aliasArn, m.Inputs["functionName"])
	assert.Equal(t, []any{"ReportBatchItemFailures"}, m.Inputs["functionResponseTypes"])
	assert.EqualValues(t, 10, m.Inputs["batchSize"])
	assert.Equal(t, true, m.Inputs["enabled"])
	assert.NotContains(t, m.Inputs, "maximumBatchingWindowInSeconds")
	assert.NotContains(t, m.Inputs, "scalingConfig")
	assert.Equal(t, "orders", m.Inputs["tags"].(map[string]any)["context"])

	grant := get(t, p, rolePolType, "worker-jobs-worker-consume")
	fn := get(t, p, function.TypeToken, "worker")
	assert.Equal(t, fn.URN, grant.Parent, "the grant is the function's, on its role")
	assert.Equal(t, "jobs-worker-consume", grant.Inputs["name"])
	assert.Equal(t, "acme-dev-orders-worker", grant.Inputs["role"])
	assert.Equal(t, iam.Parsed{Version: iam.Version, Statement: []iam.ParsedStatement{
		{Sid: "QueueJobsConsume", Effect: "Allow", Action: []string{"sqs:ChangeMessageVisibility", "sqs:DeleteMessage",
			"sqs:GetQueueAttributes", "sqs:ReceiveMessage"}, Resource: []string{arnPrefix + "acme-dev-orders-jobs"}},
		{Sid: "QueueJobsConsumeKey", Effect: "Allow", Action: []string{"kms:Decrypt"}, Resource: []string{scopeKeyArn}, Condition: map[string]map[string][]string{"StringEquals": {"kms:ViaService": {"sqs.eu-west-1.amazonaws.com"}}}},
	}}, parsePolicy(t, grant, "policy"))
	assert.True(t, slices.Contains(m.Dependencies, grant.URN), "the mapping waits for the grant: %v", m.Dependencies)
	var policies []string
	for _, r := range p.Find(rolePolType, "") {
		policies = append(policies, r.Name)
	}
	assert.ElementsMatch(t, []string{"worker-policy", "worker-jobs-worker-consume"}, policies,
		"the function's own policy and the one grant")
}

func TestConsumerBatchingAndConcurrency(t *testing.T) {
	five := 5
	p := plantest.Run(t, consumerProgram(queue.Args{}, 0,
		queue.ConsumerArgs{BatchSize: 500, BatchWindow: 20 * time.Second, MaxConcurrency: &five}, nil))
	m := get(t, p, mappingType, "jobs-worker")
	assert.EqualValues(t, 500, m.Inputs["batchSize"])
	assert.EqualValues(t, 20, m.Inputs["maximumBatchingWindowInSeconds"])
	assert.Equal(t, map[string]any{"maximumConcurrency": 5.0}, m.Inputs["scalingConfig"])
}

func TestConsumerOfAFIFOQueue(t *testing.T) {
	p := plantest.Run(t, consumerProgram(queue.Args{FIFO: true}, 0, queue.ConsumerArgs{BatchSize: 10}, nil))
	m := get(t, p, mappingType, "jobs-worker")
	assert.Equal(t, arnPrefix+"acme-dev-orders-jobs.fifo", m.Inputs["eventSourceArn"])
	assert.NotContains(t, m.Inputs, "maximumBatchingWindowInSeconds")
}

func TestConsumerOverridesCannotRewire(t *testing.T) {
	ran := false
	p := plantest.Run(t, consumerProgram(queue.Args{}, 0, queue.ConsumerArgs{Overrides: queue.ConsumerOverrides{
		Mapping: func(a *lambda.EventSourceMappingArgs) {
			ran = true
			a.FilterCriteria = &lambda.EventSourceMappingFilterCriteriaArgs{Filters: lambda.EventSourceMappingFilterCriteriaFilterArray{
				&lambda.EventSourceMappingFilterCriteriaFilterArgs{Pattern: pulumi.String(`{"body":{"type":["created"]}}`)},
			}}
			a.FunctionName = pulumi.String("someone-else")
			a.EventSourceArn = pulumi.String(arnPrefix + "other")
			a.FunctionResponseTypes = pulumi.StringArray{}
			a.Enabled = pulumi.Bool(false)
		},
	}}, nil))
	require.True(t, ran)
	m := get(t, p, mappingType, "jobs-worker")
	assert.Equal(t, map[string]any{"filters": []any{map[string]any{"pattern": `{"body":{"type":["created"]}}`}}},
		m.Inputs["filterCriteria"], "the hook's own setting stays")
	assert.Equal(t, aliasArn, m.Inputs["functionName"])
	assert.Equal(t, arnPrefix+"acme-dev-orders-jobs", m.Inputs["eventSourceArn"])
	assert.Equal(t, []any{"ReportBatchItemFailures"}, m.Inputs["functionResponseTypes"])
	assert.Equal(t, true, m.Inputs["enabled"])
}

func TestConsumerValidate(t *testing.T) {
	one, big := 1, 1001
	for _, tc := range []struct {
		name    string
		qargs   queue.Args
		timeout time.Duration
		cargs   queue.ConsumerArgs
		want    string
	}{
		{"visibility shorter than the function timeout", queue.Args{}, time.Minute, queue.ConsumerArgs{},
			`visibility timeout 30s of queue "jobs" is shorter than function "worker" timeout 1m; set the queue's VisibilityTimeout to at least 1m (AWS recommends 6x the function timeout: 6m)`},
		{"out of range", queue.Args{}, 0, queue.ConsumerArgs{BatchSize: 10001, BatchWindow: 6 * time.Minute, MaxConcurrency: &one},
			"BatchSize: 10001 is not between 1 and 10000\nBatchWindow: 6m is not between 0s and 5m\nMaxConcurrency: 1 is not between 2 and 1000"},
		{"large batch without a window", queue.Args{}, 0, queue.ConsumerArgs{BatchSize: 100, BatchWindow: 500 * time.Millisecond, MaxConcurrency: &big},
			"BatchWindow: 500ms is not a whole number of seconds\nMaxConcurrency: 1001 is not between 2 and 1000"},
		{"large batch with no window", queue.Args{}, 0, queue.ConsumerArgs{BatchSize: 11},
			"BatchWindow: 0s is too short for BatchSize 11; a batch of more than 10 messages needs a window of at least 1s"},
		{"negative batch", queue.Args{}, 0, queue.ConsumerArgs{BatchSize: -1, BatchWindow: -time.Second},
			"BatchSize: -1 is not between 1 and 10000\nBatchWindow: -1s is not between 0s and 5m"},
		{"FIFO limits", queue.Args{FIFO: true}, 0, queue.ConsumerArgs{BatchSize: 20, BatchWindow: 5 * time.Second},
			"BatchSize: 20 is more than 10, the maximum for a FIFO queue\nBatchWindow: 5s is not supported for a FIFO queue; leave it 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got error
			require.Error(t, plantest.RunErr(consumerProgram(tc.qargs, tc.timeout, tc.cargs, &got)))
			assert.EqualError(t, got, `consumer "jobs-worker": `+tc.want)
		})
	}
}

func TestConsumerNeedsAQueueAndAFunction(t *testing.T) {
	var got error
	require.Error(t, plantest.RunErr(func(ctx *pulumi.Context) error {
		_, got = queue.NewConsumer(ctx, "orphan", nil, nil)
		return got
	}))
	assert.EqualError(t, got, "consumer \"orphan\": queue: is required\nFunction: is required")
}

func TestConsumerGolden(t *testing.T) {
	p := plantest.Run(t, consumerProgram(queue.Args{VisibilityTimeout: time.Minute}, time.Minute, queue.ConsumerArgs{}, nil))
	// The function's own resources belong to its golden file; the grant is the consumer's.
	kept := p.Resources[:0]
	for _, r := range p.Resources {
		if !strings.Contains(r.URN, "stratum:function:Function") || r.Name == "worker-jobs-worker-consume" {
			kept = append(kept, r)
		}
	}
	p.Resources = kept
	plantest.Golden(t, "testdata/consumer.plan.json", p)
}

func TestConsumerNameMustMakeAPolicyName(t *testing.T) {
	var got error
	require.Error(t, plantest.RunErr(func(ctx *pulumi.Context) error {
		q, err := queue.New(ctx, "jobs", &queue.Args{Scope: scopetest.New()})
		if err != nil {
			return err
		}
		fn, err := function.New(ctx, "worker", &function.Args{Scope: scopetest.New(), Archive: "testdata/bootstrap.zip"})
		if err != nil {
			return err
		}
		_, got = queue.NewConsumer(ctx, "jobs/worker", q, &queue.ConsumerArgs{Function: fn})
		return got
	}))
	assert.EqualError(t, got, `consumer "jobs/worker": consume grant: function "worker": grant "jobs/worker-consume": name is not 1 to 128 characters of [A-Za-z0-9_+=,.@-]`)
}
