package service_test

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/httpapi"
	"github.com/stratum-platform/stratum/components/service"
	"github.com/stratum-platform/stratum/components/table"
	"github.com/stratum-platform/stratum/platform/naming"
)

// A bounded context with a table, a function that writes it and an API route to the
// function; the function's code is built from handlers/create.
func Example() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		svc, err := service.New(ctx, "orders", &service.Args{
			Naming:        naming.Scope{Org: "acme", Env: "dev", Context: "orders"},
			PlatformStack: "organization/platform/dev",
		})
		if err != nil {
			return err
		}
		orders, err := svc.Table("orders", table.Args{HashKey: table.Key{Name: "id", Type: table.String}})
		if err != nil {
			return err
		}
		create, err := svc.Function("create", function.Args{
			Environment: map[string]pulumi.StringInput{"TABLE_NAME": orders.Name},
			Grants:      orders.AllowWrite(),
		})
		if err != nil {
			return err
		}
		if _, err := svc.API("api", httpapi.Args{Routes: []httpapi.Route{
			{Key: "POST /orders", Function: create, Scopes: []string{"orders:write"}},
		}}); err != nil {
			return err
		}
		return svc.Finish()
	})
}
