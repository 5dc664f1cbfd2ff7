package function_test

import (
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/platform/iam"
)

// A product team builds its handler from the repository and grants it what it uses.
func Example() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		// In a stack the service component hands every component its context's scope.
		s := scopetest.New()
		orders := pulumi.String("arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-orders-orders")

		api, err := function.New(ctx, "api", &function.Args{
			Scope:       s,
			Source:      "./cmd/api",
			Description: "Serves the orders API.",
			Timeout:     30 * time.Second,
			Environment: map[string]pulumi.StringInput{"TABLE": pulumi.String("acme-dev-orders-orders")},
			Grants: iam.Statements{{
				Sid:       "ReadOrders",
				Actions:   []string{"dynamodb:GetItem", "dynamodb:Query"},
				Resources: []pulumi.StringInput{orders},
			}},
		})
		if err != nil {
			return err
		}
		ctx.Export("apiAlias", api.AliasArn)
		return nil
	})
}
