package table

import (
	"errors"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/alarm"
	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/components/queue"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/tokens"
)

// StreamConsumerTypeToken is the Pulumi type of StreamConsumer; renaming it needs an alias.
const StreamConsumerTypeToken = tokens.TableStreamConsumer

// Settings of a StreamConsumer, from Lambda's DynamoDB event source quotas.
const (
	maxStreamBatch     = 10000
	defaultStreamBatch = 10
	// iteratorAgeLimitMs is how old the oldest unprocessed record may grow before the alarm:
	// a consumer that keeps failing on a record stops its shard, and only the iterator age
	// shows it, because a reported batch item failure is not a function error.
	iteratorAgeLimitMs = 5 * 60 * 1000
)

// StreamConsumerArgs configures a StreamConsumer.
type StreamConsumerArgs struct {
	// Function processes the records through its live alias and reports the ones it failed
	// on as batch item failures (lambdakit.ProcessDynamoDBStream). Required.
	Function *function.Function
	// OnFailure receives the description (shard and sequence numbers, not the records) of a
	// batch that Lambda gives up on, which happens only when its records expire from the
	// stream (24 hours); the function's role is granted sending to it. Required.
	OnFailure *queue.Queue
	// BatchSize is the most records one invocation receives, 1 to 10000. Default: 10.
	BatchSize int
	// Overrides change the children's arguments before the component re-applies the fields
	// it owns. Default: none.
	Overrides StreamConsumerOverrides
}

// StreamConsumerOverrides are hooks on the StreamConsumer's children. The event source,
// function, starting position, batching, retries, failure destination and partial batch
// responses are owned and re-applied after the hook.
type StreamConsumerOverrides struct {
	// Mapping changes the lambda.EventSourceMappingArgs, for example to add FilterCriteria.
	// Default: none.
	Mapping func(*lambda.EventSourceMappingArgs)
}

// StreamConsumer delivers a table's stream to a function: a Lambda event source mapping that
// starts at the oldest record, retries a failed record until it expires (so that no change
// is skipped and the order of an item's changes is kept), reports partial batch failures,
// and sends what it gives up on to a queue; exactly the stream read and failure delivery
// permissions on the function's role; and an alarm on the age of the oldest unprocessed
// record.
type StreamConsumer struct {
	pulumi.ResourceState

	// Mapping is the event source mapping.
	Mapping *lambda.EventSourceMapping
	// IteratorAge is the alarm on the age of the oldest record not processed yet.
	IteratorAge *cloudwatch.MetricAlarm
}

// validate reports every problem with args for table t at once.
func (a *StreamConsumerArgs) validate(t *Table) error {
	var errs []error
	switch {
	case t == nil:
		errs = append(errs, errors.New("table: is required"))
	case !t.stream:
		errs = append(errs, fmt.Errorf("table: %q has no stream; set its Args.Stream", t.name))
	}
	if a.Function == nil {
		errs = append(errs, errors.New("Function: is required"))
	}
	if a.OnFailure == nil {
		errs = append(errs, errors.New("OnFailure: is required (the queue that keeps the batches given up on)"))
	}
	if a.BatchSize < 0 || a.BatchSize > maxStreamBatch {
		errs = append(errs, fmt.Errorf("BatchSize: %d is not between 1 and %d", a.BatchSize, maxStreamBatch))
	}
	return errors.Join(errs...)
}

// withDefaults returns the args with every default filled in.
func (a *StreamConsumerArgs) withDefaults() StreamConsumerArgs {
	d := *a
	if d.BatchSize == 0 {
		d.BatchSize = defaultStreamBatch
	}
	return d
}

// NewStreamConsumer makes args.Function consume the stream of t. The function's role gets
// exactly t.AllowStreamRead() and args.OnFailure.AllowSend() (an inline policy on the
// function, like function.Grant adds), and the mapping waits for it: Lambda checks those
// permissions when it creates the mapping.
func NewStreamConsumer(ctx *pulumi.Context, name string, t *Table, args *StreamConsumerArgs, opts ...pulumi.ResourceOption) (*StreamConsumer, error) {
	if args == nil {
		args = &StreamConsumerArgs{}
	}
	if err := args.validate(t); err != nil {
		return nil, fmt.Errorf("stream consumer %q: %w", name, err)
	}
	a := args.withDefaults()

	c := &StreamConsumer{}
	if err := ctx.RegisterComponentResource(StreamConsumerTypeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("stream consumer %q: %w", name, err)
	}
	grant, err := a.Function.Grant(ctx, naming.Child(name, "consume"), slices.Concat(t.AllowStreamRead(), a.OnFailure.AllowSend()))
	if err != nil {
		return nil, fmt.Errorf("stream consumer %q: consume grant: %w", name, err)
	}

	mapping := override.Apply(&lambda.EventSourceMappingArgs{Tags: t.scope.TagMap()}, a.Overrides.Mapping, func(m *lambda.EventSourceMappingArgs) {
		m.EventSourceArn = t.StreamArn
		m.FunctionName = a.Function.AliasArn
		m.Enabled = pulumi.Bool(true)
		// The oldest record still in the stream, not the next one: the changes written
		// between the stream's creation and the mapping's are consumed too.
		m.StartingPosition = pulumi.String("TRIM_HORIZON")
		m.FunctionResponseTypes = pulumi.StringArray{pulumi.String("ReportBatchItemFailures")}
		m.BatchSize = pulumi.Int(a.BatchSize)
		// -1: retry until the record expires. A consumer that skipped a record after some
		// retries would lose a change for good, and the records after it would overtake it.
		m.MaximumRetryAttempts = pulumi.Int(-1)
		m.MaximumRecordAgeInSeconds = pulumi.Int(-1)
		m.BisectBatchOnFunctionError = pulumi.Bool(false)
		m.ParallelizationFactor = pulumi.Int(1)
		m.DestinationConfig = &lambda.EventSourceMappingDestinationConfigArgs{
			OnFailure: &lambda.EventSourceMappingDestinationConfigOnFailureArgs{DestinationArn: a.OnFailure.Arn},
		}
	})
	c.Mapping, err = lambda.NewEventSourceMapping(ctx, name, mapping,
		pulumi.Parent(c), pulumi.DependsOn([]pulumi.Resource{grant}))
	if err != nil {
		return nil, fmt.Errorf("stream consumer %q: event source mapping: %w", name, err)
	}
	c.IteratorAge, err = alarm.New(ctx, name, t.scope, alarm.Spec{
		Name: "iterator-age",
		Description: "Records of the stream have waited more than 5 minutes: the function keeps failing on " +
			"one (it is retried until it expires after 24 hours) or falls behind; see its log group.",
		Namespace:  "AWS/Lambda",
		Metric:     "IteratorAge",
		Dimensions: pulumi.StringMap{"FunctionName": a.Function.Name},
		Statistic:  "Maximum",
		Threshold:  pulumi.Float64(iteratorAgeLimitMs),
	}, c)
	if err != nil {
		return nil, fmt.Errorf("stream consumer %q: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"uuid": c.Mapping.Uuid}); err != nil {
		return nil, fmt.Errorf("stream consumer %q: %w", name, err)
	}
	return c, nil
}
