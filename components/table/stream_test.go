package table_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/queue"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/components/table"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
)

const (
	mappingType = "aws:lambda/eventSourceMapping:EventSourceMapping"
	rolePolType = "aws:iam/rolePolicy:RolePolicy"
	streamArn   = tableArn + "/stream/2026-01-01T00:00:00.000"
	relayAlias  = "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-orders-relay:live"
	failedArn   = "arn:aws:sqs:eu-west-1:111111111111:acme-dev-orders-failed"
	keyArn      = "arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-000000000001"
)

// streamProgram creates table "orders" with targs, queue "failed", function "relay" and
// stream consumer "orders-relay" with cargs (Function and OnFailure filled in when nil).
func streamProgram(targs table.Args, cargs table.StreamConsumerArgs, got *error) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		targs.Scope = scopetest.New()
		t, err := table.New(ctx, "orders", &targs)
		if err != nil {
			return err
		}
		failed, err := queue.New(ctx, "failed", &queue.Args{Scope: scopetest.New()})
		if err != nil {
			return err
		}
		fn, err := function.New(ctx, "relay", &function.Args{Scope: scopetest.New(), Archive: "testdata/bootstrap.zip"})
		if err != nil {
			return err
		}
		if cargs.Function == nil {
			cargs.Function = fn
		}
		if cargs.OnFailure == nil {
			cargs.OnFailure = failed
		}
		_, err = table.NewStreamConsumer(ctx, "orders-relay", t, &cargs)
		if got != nil {
			*got = err
		}
		return err
	}
}

func streamTable() table.Args {
	return table.Args{HashKey: table.Key{Name: "id", Type: table.String}, Stream: table.StreamNewAndOldImages}
}

func TestStreamConsumerMapsTheStreamToTheAlias(t *testing.T) {
	p := plantest.Run(t, streamProgram(streamTable(), table.StreamConsumerArgs{}, nil))

	component := get(t, p, table.StreamConsumerTypeToken, "orders-relay")
	assert.Equal(t, []string{alarmType + " orders-relay-alarm-iterator-age", mappingType + " orders-relay"}, names(p.Children(component.URN)))

	m := get(t, p, mappingType, "orders-relay")
	assert.Equal(t, streamArn, m.Inputs["eventSourceArn"])
	assert.Equal(t, relayAlias, m.Inputs["functionName"])
	assert.Equal(t, "TRIM_HORIZON", m.Inputs["startingPosition"], "no change written before the mapping is skipped")
	assert.Equal(t, []any{"ReportBatchItemFailures"}, m.Inputs["functionResponseTypes"])
	assert.EqualValues(t, 10, m.Inputs["batchSize"])
	assert.EqualValues(t, -1, m.Inputs["maximumRetryAttempts"], "a failed record is retried until it expires")
	assert.EqualValues(t, -1, m.Inputs["maximumRecordAgeInSeconds"])
	assert.EqualValues(t, 1, m.Inputs["parallelizationFactor"])
	assert.Equal(t, false, m.Inputs["bisectBatchOnFunctionError"])
	assert.Equal(t, map[string]any{"onFailure": map[string]any{"destinationArn": failedArn}}, m.Inputs["destinationConfig"])
	assert.Equal(t, true, m.Inputs["enabled"])

	grant := get(t, p, rolePolType, "relay-orders-relay-consume")
	assert.Equal(t, get(t, p, function.TypeToken, "relay").URN, grant.Parent, "the grant is the function's, on its role")
	doc, err := iam.Parse(grant.String("policy"))
	require.NoError(t, err)
	assert.Equal(t, []iam.ParsedStatement{
		{Sid: "TableOrdersStreamRead", Effect: "Allow", Action: []string{"dynamodb:DescribeStream", "dynamodb:GetRecords",
			"dynamodb:GetShardIterator"}, Resource: []string{streamArn}},
		{Sid: "TableOrdersStreamList", Effect: "Allow", Action: []string{"dynamodb:ListStreams"}, Resource: []string{tableArn + "/stream/*"}},
		{Sid: "TableOrdersStreamKey", Effect: "Allow", Action: []string{"kms:Decrypt"}, Resource: []string{keyArn}, Condition: map[string]map[string][]string{"StringEquals": {"kms:ViaService": {"dynamodb.eu-west-1.amazonaws.com"}}}},
		{Sid: "QueueFailedSend", Effect: "Allow", Action: []string{"sqs:SendMessage"}, Resource: []string{failedArn}},
		{Sid: "QueueFailedSendKey", Effect: "Allow", Action: []string{"kms:Decrypt", "kms:GenerateDataKey"}, Resource: []string{keyArn}, Condition: map[string]map[string][]string{"StringEquals": {"kms:ViaService": {"sqs.eu-west-1.amazonaws.com"}}}},
	}, doc.Statement)
	assert.True(t, slices.Contains(m.Dependencies, grant.URN), "the mapping waits for the grant: %v", m.Dependencies)

	age := get(t, p, alarmType, "orders-relay-alarm-iterator-age")
	assert.Equal(t, "IteratorAge", age.Inputs["metricName"])
	assert.Equal(t, "Maximum", age.Inputs["statistic"])
	assert.EqualValues(t, 300000, age.Inputs["threshold"])
	assert.Equal(t, map[string]any{"FunctionName": "acme-dev-orders-relay"}, age.Inputs["dimensions"])
}

func TestStreamConsumerOverridesCannotRewire(t *testing.T) {
	ran := false
	p := plantest.Run(t, streamProgram(streamTable(), table.StreamConsumerArgs{BatchSize: 100, Overrides: table.StreamConsumerOverrides{
		Mapping: func(a *lambda.EventSourceMappingArgs) {
			ran = true
			a.FilterCriteria = &lambda.EventSourceMappingFilterCriteriaArgs{Filters: lambda.EventSourceMappingFilterCriteriaFilterArray{
				&lambda.EventSourceMappingFilterCriteriaFilterArgs{Pattern: pulumi.String(`{"eventName":["INSERT"]}`)},
			}}
			a.StartingPosition = pulumi.String("LATEST")
			a.MaximumRetryAttempts = pulumi.Int(2)
			a.FunctionName = pulumi.String("someone-else")
		},
	}}, nil))
	require.True(t, ran)
	m := get(t, p, mappingType, "orders-relay")
	assert.Equal(t, map[string]any{"filters": []any{map[string]any{"pattern": `{"eventName":["INSERT"]}`}}},
		m.Inputs["filterCriteria"], "the hook's own setting stays")
	assert.Equal(t, relayAlias, m.Inputs["functionName"])
	assert.Equal(t, "TRIM_HORIZON", m.Inputs["startingPosition"])
	assert.EqualValues(t, -1, m.Inputs["maximumRetryAttempts"])
	assert.EqualValues(t, 100, m.Inputs["batchSize"])
}

func TestStreamConsumerValidate(t *testing.T) {
	var got error
	noStream := streamTable()
	noStream.Stream = ""
	require.Error(t, plantest.RunErr(streamProgram(noStream, table.StreamConsumerArgs{BatchSize: 10001}, &got)))
	assert.EqualError(t, got, "stream consumer \"orders-relay\": table: \"orders\" has no stream; set its Args.Stream\n"+
		"BatchSize: 10001 is not between 1 and 10000")

	require.Error(t, plantest.RunErr(func(ctx *pulumi.Context) error {
		_, got = table.NewStreamConsumer(ctx, "orphan", nil, nil)
		return got
	}))
	assert.EqualError(t, got, "stream consumer \"orphan\": table: is required\nFunction: is required\n"+
		"OnFailure: is required (the queue that keeps the batches given up on)")
}

func TestStreamConsumerGolden(t *testing.T) {
	p := plantest.Run(t, streamProgram(streamTable(), table.StreamConsumerArgs{}, nil))
	// The table's, queue's and function's own resources belong to their golden files; the
	// grant is the consumer's.
	kept := p.Resources[:0]
	for _, r := range p.Resources {
		if strings.Contains(r.URN, table.StreamConsumerTypeToken) || r.Name == "relay-orders-relay-consume" {
			kept = append(kept, r)
		}
	}
	p.Resources = kept
	plantest.Golden(t, "testdata/stream-consumer.plan.json", p)
}
