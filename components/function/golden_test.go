package function_test

import (
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
)

func TestGolden(t *testing.T) {
	p := run(t, &function.Args{
		Description: "Serves the orders API.",
		Timeout:     30 * time.Second,
		Environment: map[string]pulumi.StringInput{"TABLE": pulumi.String("acme-dev-orders-orders")},
		OnFailure:   pulumi.String(queueArn),
		Grants: iam.Statements{{Sid: "ReadOrders", Actions: []string{"dynamodb:GetItem", "dynamodb:Query"},
			Resources: []pulumi.StringInput{pulumi.String(tableArn)}}},
	})
	plantest.Golden(t, "testdata/function.plan.json", p)
}
