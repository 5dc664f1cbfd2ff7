package httpapi_test

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/httpapi"
	"github.com/stratum-platform/stratum/components/scope"
)

// accountsV1 stands for a context's contract, which its api package embeds (api.V1).
const accountsV1 = `openapi: 3.0.3
info: {title: Accounts API, version: 1.0.0}
paths:
  /accounts/{accountId}:
    get:
      operationId: get
      security: [{oauth2: [accounts:read]}]
      parameters: [{name: accountId, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: The account.}}
  /accounts:
    post:
      operationId: register
      security: [{oauth2: [accounts:write]}]
      responses: {'201': {description: Registered.}}
  /health:
    get:
      operationId: health
      responses: {'200': {description: Healthy.}}
components:
  securitySchemes:
    oauth2:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: 'https://login.example.com/token', scopes: {accounts:read: Read., accounts:write: Write.}}}
`

// The accounts context's public API, defined by its contract: each operation is bound to the
// function that serves it; reading and registering accounts needs a token with the
// operation's scope, and the health check, which has no security, is open to everyone.
func Example() {
	var s scope.Scope // the context's scope, as every component of the context receives it
	pulumi.Run(func(ctx *pulumi.Context) error {
		functions := map[string]*function.Function{}
		for _, name := range []string{"get", "register", "health"} {
			fn, err := function.New(ctx, name, &function.Args{Scope: s, Source: "./handlers/" + name})
			if err != nil {
				return err
			}
			functions[name] = fn
		}
		api, err := httpapi.New(ctx, "api", &httpapi.Args{
			Scope:      s,
			Spec:       []byte(accountsV1),
			Operations: functions,
			Authorizer: &httpapi.JWT{
				Issuer:    pulumi.String("https://login.example.com/"),
				Audiences: pulumi.StringArray{pulumi.String("accounts-api")},
			},
			RouteThrottles: map[string]httpapi.Throttle{"register": {Burst: 10, Rate: 5}},
			CORS:           &httpapi.CORS{AllowOrigins: []string{"https://app.example.com"}},
		})
		if err != nil {
			return err
		}
		ctx.Export("accountsApiUrl", api.URL)
		return nil
	})
}
