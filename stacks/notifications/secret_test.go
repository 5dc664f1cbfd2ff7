package notifications

import (
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/service"
)

// aliases records the parent URN of every alias a resource is registered with.
type aliases struct {
	mu  sync.Mutex
	got map[string][]string
}

func (a *aliases) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, alias := range args.RegisterRPC.GetAliases() {
		a.got[args.Name] = append(a.got[args.Name], alias.GetSpec().GetParentUrn())
	}
	return args.Name + "-id", args.Inputs, nil
}

func (a *aliases) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) { return args.Args, nil }

// The signing secret, once a child of the service, is adopted under the secret component by
// an alias to the same name under the service; the component's other children are not.
func TestSigningSecretIsAdopted(t *testing.T) {
	mocks := &aliases{got: map[string][]string{}}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		svc := &service.Service{}
		if err := ctx.RegisterComponentResource("stratum:service:Service", "notifications", svc); err != nil {
			return err
		}
		component := &pulumi.ResourceState{}
		if err := ctx.RegisterComponentResource("stratum:secret:Secret", "signing-secret", component,
			pulumi.Parent(svc), adoptedFromTheService(svc)); err != nil {
			return err
		}
		for _, child := range []struct{ typ, name string }{
			{"aws:secretsmanager/secret:Secret", "signing-secret"},
			{"aws:secretsmanager/secretPolicy:SecretPolicy", "signing-secret-policy"},
		} {
			var res pulumi.CustomResourceState
			if err := ctx.RegisterResource(child.typ, child.name, pulumi.Map{}, &res, pulumi.Parent(component)); err != nil {
				return err
			}
		}
		return nil
	}, pulumi.WithMocks("notifications", "dev", mocks))
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{
		"signing-secret": {"urn:pulumi:dev::notifications::stratum:service:Service::notifications"},
	}, mocks.got)
}
