package queue

import (
	"errors"
	"fmt"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/tokens"
)

// ConsumerTypeToken is the Pulumi type of Consumer; renaming it needs an alias.
const ConsumerTypeToken = tokens.QueueConsumer

// Limits of the ConsumerArgs, from Lambda's SQS event source quotas.
const (
	maxBatch          = 10000
	maxFIFOBatch      = 10
	unwindowedBatch   = 10 // a larger batch needs a batching window
	maxBatchWindow    = 5 * time.Minute
	minConcurrency    = 2
	maxConcurrency    = 1000
	defaultBatch      = 10
	recommendedFactor = 6
)

// ConsumerArgs configures a Consumer.
type ConsumerArgs struct {
	// Function processes the messages through its live alias. Its timeout must not be longer
	// than the queue's visibility timeout. Required.
	Function *function.Function
	// BatchSize is the most messages one invocation receives, 1 to 10000, and at most 10 for
	// a FIFO queue. Default: 10.
	BatchSize int
	// BatchWindow is how long Lambda gathers messages before invoking, whole seconds up to
	// 5m; a BatchSize above 10 needs at least 1s, and FIFO queues take none. Default: 0.
	BatchWindow time.Duration
	// MaxConcurrency caps the concurrent invocations this queue causes, 2 to 1000.
	// Default: no cap beyond the function's own concurrency.
	MaxConcurrency *int
	// Overrides change the children's arguments before the component re-applies the fields
	// it owns. Default: none.
	Overrides ConsumerOverrides
}

// ConsumerOverrides are hooks on the Consumer's children. The event source, function,
// batching, scaling and partial batch responses are owned and re-applied after the hook.
type ConsumerOverrides struct {
	// Mapping changes the lambda.EventSourceMappingArgs, for example to add FilterCriteria.
	// Default: none.
	Mapping func(*lambda.EventSourceMappingArgs)
}

// Consumer delivers a queue's messages to a function: a Lambda event source mapping with
// partial batch responses, and exactly the consume permissions on the function's role.
type Consumer struct {
	pulumi.ResourceState

	// Mapping is the event source mapping.
	Mapping *lambda.EventSourceMapping
}

// validate reports every problem with args for queue q at once.
func (a *ConsumerArgs) validate(q *Queue) error {
	var errs []error
	if q == nil {
		errs = append(errs, errors.New("queue: is required"))
	}
	fifo := q != nil && q.FIFO
	if a.Function == nil {
		errs = append(errs, errors.New("Function: is required"))
	}
	switch {
	case a.BatchSize < 0 || a.BatchSize > maxBatch:
		errs = append(errs, fmt.Errorf("BatchSize: %d is not between 1 and %d", a.BatchSize, maxBatch))
	case fifo && a.BatchSize > maxFIFOBatch:
		errs = append(errs, fmt.Errorf("BatchSize: %d is more than %d, the maximum for a FIFO queue", a.BatchSize, maxFIFOBatch))
	}
	switch err := checkDuration(a.BatchWindow, 0, maxBatchWindow); {
	case err != nil:
		errs = append(errs, fmt.Errorf("BatchWindow: %w", err))
	case fifo && a.BatchWindow != 0:
		errs = append(errs, fmt.Errorf("BatchWindow: %s is not supported for a FIFO queue; leave it 0", human(a.BatchWindow)))
	case a.BatchSize > unwindowedBatch && a.BatchWindow < time.Second && !fifo:
		errs = append(errs, fmt.Errorf("BatchWindow: %s is too short for BatchSize %d; a batch of more than %d messages needs a window of at least 1s",
			human(a.BatchWindow), a.BatchSize, unwindowedBatch))
	}
	if c := a.MaxConcurrency; c != nil && (*c < minConcurrency || *c > maxConcurrency) {
		errs = append(errs, fmt.Errorf("MaxConcurrency: %d is not between %d and %d", *c, minConcurrency, maxConcurrency))
	}
	if q != nil && q.Queue == nil {
		errs = append(errs, fmt.Errorf("queue: %q is another stack's (queue.Existing); a context consumes only its own queues", q.name))
	}
	if q != nil && q.Queue != nil && a.Function != nil && q.VisibilityTimeout < a.Function.Timeout {
		errs = append(errs, fmt.Errorf("visibility timeout %s of queue %q is shorter than function %q timeout %s; set the queue's VisibilityTimeout to at least %s (AWS recommends %dx the function timeout: %s)",
			human(q.VisibilityTimeout), q.PulumiResourceName(), a.Function.PulumiResourceName(), human(a.Function.Timeout),
			human(a.Function.Timeout), recommendedFactor, human(recommendedFactor*a.Function.Timeout)))
	}
	return errors.Join(errs...)
}

// withDefaults returns the args with every default filled in.
func (a *ConsumerArgs) withDefaults() ConsumerArgs {
	d := *a
	if d.BatchSize == 0 {
		d.BatchSize = defaultBatch
	}
	return d
}

// NewConsumer makes args.Function consume the messages of q. The function's role gets exactly
// q.AllowConsume() (an inline policy on the function, like function.Grant adds) and the
// mapping waits for it: Lambda refuses to create the mapping without those permissions.
//
// The queue's visibility timeout must be at least the function's timeout, or a message still
// being processed reappears and is processed twice; AWS recommends 6x the timeout so that
// retries after throttling fit too. The queue cannot be changed here: set its
// VisibilityTimeout when creating it.
func NewConsumer(ctx *pulumi.Context, name string, q *Queue, args *ConsumerArgs, opts ...pulumi.ResourceOption) (*Consumer, error) {
	if args == nil {
		args = &ConsumerArgs{}
	}
	if err := args.validate(q); err != nil {
		return nil, fmt.Errorf("consumer %q: %w", name, err)
	}
	a := args.withDefaults()

	c := &Consumer{}
	if err := ctx.RegisterComponentResource(ConsumerTypeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("consumer %q: %w", name, err)
	}
	grant, err := a.Function.Grant(ctx, naming.Child(name, "consume"), q.AllowConsume())
	if err != nil {
		return nil, fmt.Errorf("consumer %q: consume grant: %w", name, err)
	}

	mapping := override.Apply(&lambda.EventSourceMappingArgs{Tags: q.scope.TagMap()}, a.Overrides.Mapping, func(m *lambda.EventSourceMappingArgs) {
		m.EventSourceArn = q.Arn
		m.FunctionName = a.Function.AliasArn
		m.Enabled = pulumi.Bool(true)
		m.FunctionResponseTypes = pulumi.StringArray{pulumi.String("ReportBatchItemFailures")}
		m.BatchSize = pulumi.Int(a.BatchSize)
		m.MaximumBatchingWindowInSeconds = nil
		if a.BatchWindow > 0 {
			m.MaximumBatchingWindowInSeconds = seconds(a.BatchWindow)
		}
		m.ScalingConfig = nil
		if a.MaxConcurrency != nil {
			m.ScalingConfig = &lambda.EventSourceMappingScalingConfigArgs{MaximumConcurrency: pulumi.Int(*a.MaxConcurrency)}
		}
	})
	// Lambda checks the role's SQS permissions when the mapping is created.
	c.Mapping, err = lambda.NewEventSourceMapping(ctx, name, mapping,
		pulumi.Parent(c), pulumi.DependsOn([]pulumi.Resource{grant}))
	if err != nil {
		return nil, fmt.Errorf("consumer %q: event source mapping: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"uuid": c.Mapping.Uuid}); err != nil {
		return nil, fmt.Errorf("consumer %q: %w", name, err)
	}
	return c, nil
}
