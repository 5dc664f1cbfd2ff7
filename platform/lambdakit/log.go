package lambdakit

import (
	"context"
	"io"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

// The environment variables the function component sets on every Lambda function.
const (
	EnvLogLevel = "LOG_LEVEL"        // debug, info, warn or error; info when unset or invalid
	EnvContext  = "STRATUM_CONTEXT"  // the bounded context that owns the function
	EnvFunction = "STRATUM_FUNCTION" // the function's logical name within its context
)

// The keys that this package adds to log records. They are constants so that log queries
// and alarms written by the platform team can rely on them.
const (
	LogKeyContext        = "context"
	LogKeyFunction       = "function"
	LogKeyRequestID      = "request_id"
	LogKeyCorrelationID  = "correlation_id"
	LogKeyMessageID      = "message_id"
	LogKeySequenceNumber = "sequence_number"
	LogKeyError          = "error"
)

// Context keys are distinct types so that no other package can read or overwrite them.
type (
	loggerKey        struct{}
	correlationIDKey struct{}
)

// newLogger returns a logger that writes JSON records to w. Its level comes from LOG_LEVEL
// (info when unset or not a level), and every record carries "context" and "function" from
// STRATUM_CONTEXT and STRATUM_FUNCTION when they are set, read with getenv. Main makes one
// on standard output, because Lambda sends standard output to CloudWatch Logs.
func newLogger(w io.Writer, getenv func(string) string) *slog.Logger {
	logger := slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: parseLevel(getenv(EnvLogLevel))}))
	if c := getenv(EnvContext); c != "" {
		logger = logger.With(LogKeyContext, c)
	}
	if f := getenv(EnvFunction); f != "" {
		logger = logger.With(LogKeyFunction, f)
	}
	return logger
}

// parseLevel falls back to info instead of failing: a typo in LOG_LEVEL must not stop a
// function from serving, and info is what production runs with.
func parseLevel(s string) slog.Level {
	var level slog.Level
	if s == "" || level.UnmarshalText([]byte(s)) != nil {
		return slog.LevelInfo
	}
	return level
}

// WithLogger returns a copy of ctx that carries logger, for Logger to find. A nil logger
// leaves ctx as it is.
func WithLogger(ctx context.Context, logger *slog.Logger) context.Context {
	if logger == nil {
		return ctx
	}
	return context.WithValue(ctx, loggerKey{}, logger)
}

// Logger returns the logger stored in ctx by Main or WithLogger, or one like Main's when
// there is none, with "request_id" set to the Lambda request id and "correlation_id" set
// to CorrelationID(ctx) when ctx has them.
func Logger(ctx context.Context) *slog.Logger {
	logger := storedLogger(ctx)
	if lc, ok := lambdacontext.FromContext(ctx); ok && lc.AwsRequestID != "" {
		logger = logger.With(LogKeyRequestID, lc.AwsRequestID)
	}
	if id := CorrelationID(ctx); id != "" {
		logger = logger.With(LogKeyCorrelationID, id)
	}
	return logger
}

// storedLogger returns the logger of ctx without the attributes that Logger adds. Code
// that stores a derived logger back into a context starts from it, because slog does not
// replace an attribute added twice: the record would carry the key twice.
func storedLogger(ctx context.Context) *slog.Logger {
	if logger, ok := ctx.Value(loggerKey{}).(*slog.Logger); ok {
		return logger
	}
	return newLogger(os.Stdout, os.Getenv)
}

// WithCorrelationID returns a copy of ctx that carries id as the correlation id: the id
// that follows one business flow across requests, events and functions. An empty id leaves
// ctx as it is, so that a missing value never hides one set earlier.
func WithCorrelationID(ctx context.Context, id string) context.Context {
	if id == "" {
		return ctx
	}
	return context.WithValue(ctx, correlationIDKey{}, id)
}

// CorrelationID returns the correlation id stored in ctx by WithCorrelationID, or "".
func CorrelationID(ctx context.Context) string {
	id, _ := ctx.Value(correlationIDKey{}).(string)
	return id
}
