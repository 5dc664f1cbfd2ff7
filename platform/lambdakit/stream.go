package lambdakit

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-lambda-go/events"
)

// ProcessDynamoDBStream calls handle for each record of ev, in order, and returns the first
// record that failed as the batch item failure. The platform's stream event source mappings
// report batch item failures, so Lambda checkpoints before that record and delivers it, and
// every record after it, again.
//
// Unlike ProcessSQS, it stops at the first failure: the records of a stream are ordered,
// Lambda would deliver the later ones again anyway, and handling them before the failed
// one would apply an item's changes out of order. The later records are therefore not
// handled, only logged. A record is also reported as failed, without calling handle, when
// ctx is done, since its work could not finish in time.
//
// Each call of handle gets a context whose logger carries the record's sequence number, and
// a panic is recovered and reported like an error (see ProcessSQS).
func ProcessDynamoDBStream(ctx context.Context, ev events.DynamoDBEvent, handle func(context.Context, events.DynamoDBEventRecord) error) events.DynamoDBEventResponse {
	// Not nil, so that the response encodes as [] rather than null.
	failures := make([]events.DynamoDBBatchItemFailure, 0, 1)
	base := storedLogger(ctx)
	var stop error // why the rest of the batch is not processed, once it is known
	for _, rec := range ev.Records {
		recCtx := WithLogger(ctx, base.With(LogKeySequenceNumber, rec.Change.SequenceNumber))
		logger := Logger(recCtx)
		if stop == nil && ctx.Err() != nil {
			stop = fmt.Errorf("invocation ended: %w", ctx.Err())
			failures = append(failures, events.DynamoDBBatchItemFailure{ItemIdentifier: rec.Change.SequenceNumber})
		}
		if stop != nil {
			logger.Warn("record not processed", LogKeyError, stop)
			continue
		}
		err := handleMessage(recCtx, rec, handle)
		if err == nil {
			continue
		}
		if p, ok := errors.AsType[*panicError](err); ok {
			logger.Error("record failed", LogKeyError, err, "stack", string(p.stack))
		} else {
			logger.Error("record failed", LogKeyError, err)
		}
		failures = append(failures, events.DynamoDBBatchItemFailure{ItemIdentifier: rec.Change.SequenceNumber})
		stop = fmt.Errorf("an earlier record of this batch failed: %s", rec.Change.SequenceNumber)
	}
	return events.DynamoDBEventResponse{BatchItemFailures: failures}
}
