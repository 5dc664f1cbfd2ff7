package notifications

import (
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/service"
)

// adoptedFromTheService keeps the deployed signing secret when the secret component takes it
// over: it was created as a child of the service with the logical name the component gives
// its secret, so an alias to the same name under the service makes the engine adopt it.
// Without it the engine would create a second secret of the same name (which Secrets Manager
// refuses while the first exists or awaits deletion) and then delete the first, with its key.
func adoptedFromTheService(svc *service.Service) pulumi.ResourceOption {
	const secretType = "aws:secretsmanager/secret:Secret"
	return pulumi.Transformations([]pulumi.ResourceTransformation{
		func(args *pulumi.ResourceTransformationArgs) *pulumi.ResourceTransformationResult {
			if args.Type != secretType {
				return nil
			}
			opts := append(slices.Clone(args.Opts), pulumi.Aliases([]pulumi.Alias{{Parent: svc}}))
			return &pulumi.ResourceTransformationResult{Props: args.Props, Opts: opts}
		},
	})
}
