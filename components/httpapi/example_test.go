package httpapi_test

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/httpapi"
	"github.com/stratum-platform/stratum/components/scope"
)

// The accounts context's public API: reading and registering accounts needs a token with
// the right scope, the health check is open to everyone.
func Example() {
	var s scope.Scope // the context's scope, as every component of the context receives it
	pulumi.Run(func(ctx *pulumi.Context) error {
		getAccount, err := function.New(ctx, "get-account", &function.Args{Scope: s, Source: "./handlers/get-account"})
		if err != nil {
			return err
		}
		register, err := function.New(ctx, "register", &function.Args{Scope: s, Source: "./handlers/register"})
		if err != nil {
			return err
		}
		health, err := function.New(ctx, "health", &function.Args{Scope: s, Source: "./handlers/health"})
		if err != nil {
			return err
		}
		api, err := httpapi.New(ctx, "public", &httpapi.Args{
			Scope: s,
			Authorizer: &httpapi.JWT{
				Issuer:    pulumi.String("https://login.example.com/"),
				Audiences: pulumi.StringArray{pulumi.String("accounts-api")},
			},
			Routes: []httpapi.Route{
				{Key: "GET /accounts/{id}", Function: getAccount, Scopes: []string{"accounts:read"}},
				{Key: "POST /accounts", Function: register, Scopes: []string{"accounts:write"}},
				{Key: "GET /health", Function: health, Public: true},
			},
			CORS: &httpapi.CORS{AllowOrigins: []string{"https://app.example.com"}},
		})
		if err != nil {
			return err
		}
		ctx.Export("accountsApiUrl", api.URL)
		return nil
	})
}
