package service_test

import (
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/httpapi"
	"github.com/stratum-platform/stratum/components/service"
	"github.com/stratum-platform/stratum/components/table"
	"github.com/stratum-platform/stratum/platform/naming"
)

// A bounded context with a table, a function that writes it and an API whose contract's
// operation the function serves; the function's code is built from handlers/create.
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
		// A context embeds its contract in its api package (api.V1); its operation "create"
		// is served by the function of the same name.
		spec, err := os.ReadFile("api/v1.yaml")
		if err != nil {
			return err
		}
		if _, err := svc.API("api", httpapi.Args{Spec: spec, Operations: map[string]*function.Function{"create": create}}); err != nil {
			return err
		}
		return svc.Finish()
	})
}
