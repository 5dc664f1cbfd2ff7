package platform

import (
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// aliases records the aliases every resource is registered with.
type aliases struct {
	mu  sync.Mutex
	got map[string][]string
}

func (a *aliases) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, spec := range args.RegisterRPC.GetAliases() {
		a.got[args.Name] = append(a.got[args.Name], spec.GetSpec().GetName()+" noParent="+boolString(spec.GetSpec().GetNoParent()))
	}
	return args.Name + "-id", args.Inputs, nil
}

func (a *aliases) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) { return args.Args, nil }

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// The alarm topic and its policy, once at the top of the stack, are adopted under the topic
// component by an alias to the same name without a parent; its other children are not.
func TestMovedUnderComponent(t *testing.T) {
	mocks := &aliases{got: map[string][]string{}}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		parent := &pulumi.ResourceState{}
		if err := ctx.RegisterComponentResource("stratum:topic:Topic", "alarms", parent,
			movedUnderComponent("aws:sns/topic:Topic", "aws:sns/topicPolicy:TopicPolicy")); err != nil {
			return err
		}
		for _, child := range []struct{ typ, name string }{
			{"aws:sns/topic:Topic", "alarms"}, {"aws:sns/topicPolicy:TopicPolicy", "alarms-policy"},
			{"aws:sqs/queue:Queue", "alarms-other"},
		} {
			var res pulumi.CustomResourceState
			if err := ctx.RegisterResource(child.typ, child.name, pulumi.Map{}, &res, pulumi.Parent(parent)); err != nil {
				return err
			}
		}
		return nil
	}, pulumi.WithMocks("platform", "dev", mocks))
	require.NoError(t, err)
	// The component shares the topic's name but has no alias; the queue is no moved type.
	assert.Equal(t, map[string][]string{
		"alarms":        {" noParent=true"},
		"alarms-policy": {" noParent=true"},
	}, mocks.got)
}
