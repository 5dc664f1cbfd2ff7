package table_test

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/components/table"
)

// The orders context's table: orders by id, each customer's orders by date, drafts that
// expire, and a stream for projections; the function that places orders may read and
// write it, and nothing else.
func Example() {
	var s scope.Scope // the context's scope, as every component of the context receives it
	pulumi.Run(func(ctx *pulumi.Context) error {
		orders, err := table.New(ctx, "orders", &table.Args{
			Scope:   s,
			HashKey: table.Key{Name: "orderId", Type: table.String},
			Indexes: []table.Index{{
				Name:     "byCustomer",
				HashKey:  table.Key{Name: "customerId", Type: table.String},
				RangeKey: table.Key{Name: "placedAt", Type: table.Number},
			}},
			TTLAttribute: "expiresAt",
			Stream:       table.StreamNewAndOldImages,
		})
		if err != nil {
			return err
		}
		_, err = function.New(ctx, "place-order", &function.Args{
			Scope:  s,
			Source: "./handlers/place-order",
			Grants: orders.AllowReadWrite(),
		})
		if err != nil {
			return err
		}
		ctx.Export("ordersTableName", orders.Name)
		return nil
	})
}
