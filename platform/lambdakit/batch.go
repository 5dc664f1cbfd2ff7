package lambdakit

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// ProcessSQS calls handle for each message of ev and returns the messages that failed as
// batch item failures. The platform's event source mappings report batch item failures,
// so SQS deletes the messages that succeeded and delivers only the failed ones again,
// until they reach the dead-letter queue.
//
// Each call of handle gets a context whose logger carries the message id, and each
// failure is logged with it. A message is reported as failed without calling handle when
// ctx is done, since its work could not finish in time, and, on a FIFO queue, after the
// first failure of the batch: AWS asks for that so the later messages are not processed
// before the failed one, out of order.
func ProcessSQS(ctx context.Context, ev events.SQSEvent, handle func(context.Context, events.SQSMessage) error) events.SQSEventResponse {
	// Not nil, so that the response encodes as [] rather than null.
	failures := make([]events.SQSBatchItemFailure, 0)
	base := storedLogger(ctx)
	var stop error // why the rest of the batch is not processed, once it is known
	for _, msg := range ev.Records {
		msgCtx := WithLogger(ctx, base.With(LogKeyMessageID, msg.MessageId))
		logger := Logger(msgCtx)
		if stop == nil && ctx.Err() != nil {
			stop = fmt.Errorf("invocation ended: %w", ctx.Err())
		}
		if stop != nil {
			logger.Warn("message not processed", LogKeyError, stop)
			failures = append(failures, events.SQSBatchItemFailure{ItemIdentifier: msg.MessageId})
			continue
		}
		err := handleMessage(msgCtx, msg, handle)
		if err == nil {
			continue
		}
		if p, ok := errors.AsType[*panicError](err); ok {
			logger.Error("message failed", LogKeyError, err, "stack", string(p.stack))
		} else {
			logger.Error("message failed", LogKeyError, err)
		}
		failures = append(failures, events.SQSBatchItemFailure{ItemIdentifier: msg.MessageId})
		if isFIFO(msg) {
			stop = fmt.Errorf("an earlier message of this fifo batch failed: %s", msg.MessageId)
		}
	}
	return events.SQSEventResponse{BatchItemFailures: failures}
}

// handleMessage calls handle and turns a panic into an error, for a queue message or a
// stream record. A panic is recovered per message rather than left to crash the function,
// because a crash fails the whole batch:
// every message, those already handled included, would be delivered again, and the one
// that panics would crash every retry until the whole batch sat in the dead-letter queue.
// Recovered, the panic is logged with its stack at error level, which alarms watch, and
// only its message goes back to the queue. Handlers must therefore keep no state between
// messages that a panic could leave half-changed.
func handleMessage[T any](ctx context.Context, msg T, handle func(context.Context, T) error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &panicError{value: v, stack: debug.Stack()}
		}
	}()
	return handle(ctx, msg)
}

// panicError is a recovered panic, with the stack where it happened.
type panicError struct {
	value any
	stack []byte
}

func (e *panicError) Error() string {
	return fmt.Sprintf("panic: %v", e.value)
}

// Unwrap returns the panic value when it is an error, so that errors.Is sees through it.
func (e *panicError) Unwrap() error {
	err, _ := e.value.(error)
	return err
}

// isFIFO reports whether msg came from a FIFO queue, whose name AWS requires to end in
// ".fifo".
func isFIFO(msg events.SQSMessage) bool {
	return strings.HasSuffix(msg.EventSourceARN, ".fifo") || msg.Attributes["MessageGroupId"] != ""
}
