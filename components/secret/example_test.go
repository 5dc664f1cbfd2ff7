package secret_test

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/components/secret"
)

// A signing key that rotates every 30 days, read by the function that signs deliveries with
// it: the function is a reader (the resource policy lets it read) and is granted AllowRead.
// A context's program writes svc.Secret instead, which fills the scope and administrators.
func Example() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		s := scopetest.New() // the context's scope
		signing, err := secret.New(ctx, "signing-key", &secret.Args{
			Scope:          s,
			Readers:        []string{"deliver"},
			Administrators: []pulumi.StringInput{pulumi.String("arn:aws:iam::111111111111:role/acme-dev-platform-ci-deploy")},
		})
		if err != nil {
			return err
		}
		_, err = function.New(ctx, "deliver", &function.Args{
			Scope: s, Source: "./handlers/deliver",
			Environment: map[string]pulumi.StringInput{"SECRET_ARN": signing.Arn},
			Grants:      signing.AllowRead(),
		})
		return err
	})
}
