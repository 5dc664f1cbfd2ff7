package scope

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// LogSubscriptionName is the name of the subscription filter that sends a log group to the
// platform's log destination. A log group has at most two subscription filters: the platform
// takes one, a context may add the other.
const LogSubscriptionName = "platform-logs"

// SubscribeLogs sends every event of the log group named logGroup to the scope's log
// destination, through a subscription filter with the given logical name; with no
// destination it creates nothing and returns nil. The component that creates a log group
// calls it, so that no context can leave one out of the platform's log aggregation. The
// filter has no Overrides hook: a hook could filter events away or send them elsewhere, and
// a context that must not aggregate a group says why in a policy suppression instead.
func (s Scope) SubscribeLogs(ctx *pulumi.Context, name string, logGroup pulumi.StringInput,
	opts ...pulumi.ResourceOption,
) (*cloudwatch.LogSubscriptionFilter, error) {
	if s.LogDestinationArn == nil {
		return nil, nil
	}
	// No role: a destination writes to its stream with its own role. No pattern: every
	// event, so that the archive is complete. AWS replaces a filter whose group or
	// destination changes, and the name is fixed within its group, so the old filter goes
	// first.
	return cloudwatch.NewLogSubscriptionFilter(ctx, name, &cloudwatch.LogSubscriptionFilterArgs{
		Name:           pulumi.String(LogSubscriptionName),
		LogGroup:       logGroup,
		FilterPattern:  pulumi.String(""),
		DestinationArn: s.LogDestinationArn,
	}, append(opts, pulumi.DeleteBeforeReplace(true))...)
}
