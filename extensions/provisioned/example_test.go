package provisioned_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/httpapi"
	"github.com/stratum-platform/stratum/components/service"
	"github.com/stratum-platform/stratum/extensions/provisioned"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/plan"
)

// A latency-sensitive route is served by a function with four warm environments. The
// caller's own hook on the function (a larger /tmp) runs before the wrapper's (its cost
// tag); the service draws both graphs on its dashboard once the wrapper is added.
func Example() {
	program := func(ctx *pulumi.Context) error {
		svc, err := service.New(ctx, "orders", &service.Args{
			Naming:        naming.Scope{Org: "acme", Env: "dev", Context: "orders"},
			PlatformStack: "organization/platform/dev",
		})
		if err != nil {
			return err
		}
		quote, err := provisioned.New(ctx, "quote", &provisioned.Args{
			Function: function.Args{
				Scope:   svc.Scope,
				Archive: "testdata/bootstrap.zip",
				Overrides: function.Overrides{Function: func(a *lambda.FunctionArgs) {
					a.EphemeralStorage = &lambda.FunctionEphemeralStorageArgs{Size: pulumi.Int(2048)}
				}},
			},
			Concurrency: 4,
		}, pulumi.Parent(svc))
		if err != nil {
			return err
		}
		if err := svc.Add(quote); err != nil {
			return err
		}
		if _, err := svc.API("api", httpapi.Args{
			Spec:       []byte(quotesV1), // the context's contract (api.V1): GET /quotes is operation "quote"
			Operations: map[string]*function.Function{"quote": quote.Function},
		}); err != nil {
			return err
		}
		return svc.Finish()
	}

	p, err := plan.Run(plan.Options{Project: "orders", Stack: "dev", Reference: platformOutputs}, program)
	if err != nil {
		fmt.Println(err)
		return
	}
	config, _ := p.Get("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig", "quote-concurrency")
	fmt.Println(config.Inputs["qualifier"], config.Inputs["provisionedConcurrentExecutions"])
	fn, _ := p.Get("aws:lambda/function:Function", "quote")
	fmt.Println(fn.Inputs["tags"].(map[string]any)[provisioned.TagKey], fn.Inputs["ephemeralStorage"])
	// Output:
	// live 4
	// 4 map[size:2048]
}

// quotesV1 stands for the context's OpenAPI contract, which its api package embeds.
const quotesV1 = `openapi: 3.0.3
info: {title: Quotes API, version: 1.0.0}
paths:
  /quotes:
    get:
      operationId: quote
      security: [{oauth2: [quotes:read]}]
      responses: {'200': {description: A quote.}}
components:
  securitySchemes:
    oauth2:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: 'https://login.acme.example/token', scopes: {quotes:read: Read quotes.}}}
`

// platformOutputs answers the reference to the platform stack, as its golden plan would.
func platformOutputs(string) (map[string]any, error) {
	return map[string]any{
		"alarmTopicArn":          "arn:aws:sns:eu-west-1:111111111111:acme-dev-platform-alarms",
		"jwtIssuer":              "https://login.acme.example/dev",
		"jwtAudiences":           []any{"api://stratum-dev"},
		"permissionsBoundaryArn": "arn:aws:iam::111111111111:policy/acme-dev-boundary",
		"deployRoleArn":          "arn:aws:iam::111111111111:role/acme-dev-platform-ci-deploy",
		"apiDomainName":          "",
		"logDestinationArn":      "arn:aws:logs:eu-west-1:111111111111:destination:acme-dev-platform-logs",
	}, nil
}
