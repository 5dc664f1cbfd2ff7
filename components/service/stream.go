package service

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/table"
)

// StreamConsumer makes args.Function consume the stream of t. OnFailure defaults to the
// context's failures queue, which exists once the context has a function.
func (s *Service) StreamConsumer(name string, t *table.Table, args table.StreamConsumerArgs) (*table.StreamConsumer, error) {
	if args.OnFailure == nil {
		if s.Failures == nil {
			return nil, s.wrap(fmt.Errorf("stream consumer %q: OnFailure: the context has no failures queue yet; "+
				"create a function with the default OnFailure first, or name a queue", name))
		}
		args.OnFailure = s.Failures
	}
	c, err := table.NewStreamConsumer(s.ctx, name, t, &args, pulumi.Parent(s))
	return c, s.wrap(err)
}
