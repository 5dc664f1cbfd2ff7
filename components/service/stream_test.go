package service_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/service"
	"github.com/stratum-platform/stratum/components/table"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
)

// outbox is a context whose relay function consumes its table's stream.
func outbox(withFunctionFirst bool) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		svc, err := service.New(ctx, "orders", args())
		if err != nil {
			return err
		}
		items, err := svc.Table("items", table.Args{HashKey: table.Key{Name: "id", Type: table.String}, Stream: table.StreamNewAndOldImages})
		if err != nil {
			return err
		}
		var relay *function.Function
		if withFunctionFirst {
			if relay, err = svc.Function("relay", function.Args{Archive: "testdata/bootstrap.zip"}); err != nil {
				return err
			}
		}
		if _, err := svc.StreamConsumer("items-relay", items, table.StreamConsumerArgs{Function: relay}); err != nil {
			return err
		}
		return svc.Finish()
	}
}

func TestStreamConsumerDefaultsToTheFailuresQueue(t *testing.T) {
	p := plantest.RunWithReferences(t, refs, outbox(true))
	m, err := p.Get("aws:lambda/eventSourceMapping:EventSourceMapping", "items-relay")
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"onFailure": map[string]any{"destinationArn": plantest.ARN(t, p, "aws:sqs/queue:Queue", "failures")}},
		m.Inputs["destinationConfig"])
	consumer, err := p.Get(table.StreamConsumerTypeToken, "items-relay")
	require.NoError(t, err)
	svc, err := p.Get(service.TypeToken, "orders")
	require.NoError(t, err)
	assert.Equal(t, svc.URN, consumer.Parent)
}

func TestStreamConsumerNeedsAFailuresQueue(t *testing.T) {
	_, err := plan.Run(plan.Options{Project: "p", Stack: "dev", Reference: func(string) (map[string]any, error) {
		return refs[platformStack], nil
	}}, outbox(false))
	assert.ErrorContains(t, err, `service "orders": stream consumer "items-relay": OnFailure: the context has no failures queue yet`)
}
