// Package lambdakit is the kit that the AWS Lambda handlers of every context share: how a
// function starts, logs, reports failures and answers a batch of queue messages. It runs
// inside the handlers, so it and its packages import nothing from Pulumi or from the rest of
// the repository: handler binaries stay small and cold starts short.
//
// The kit is split into packages by what a handler does, so that a handler imports only
// what its trigger needs and every call reads as what it is:
//   - lambdakit (this package), which every handler imports: Main starts a function (logger,
//     required environment, AWS configuration, then the Lambda runtime); Logger,
//     WithLogger, WithCorrelationID and CorrelationID give JSON logs whose records say which
//     context, function, invocation and business flow they belong to; ValidationError,
//     ErrNotFound, ErrConflict and ErrForbidden say what went wrong, whatever the trigger;
//     ProcessSQS reports partial batch failures, so that only the messages that failed are
//     delivered again, and ProcessDynamoDBStream does the same for the records of a table's
//     stream, in order;
//   - api, for API Gateway HTTP APIs (payload format 2.0): api.JSON and api.ErrorResponse
//     answer with JSON and RFC 9457 problem details, api.DecodeBody reads request bodies,
//     api.RequireScope reads what the JWT authorizer verified;
//   - envelope, for domain events over SNS and SQS: envelope.New, envelope.FromSQS and
//     envelope.Decode publish and consume versioned events in one Envelope;
//   - secret, for the keys of components/secret: secret.Cache reads a key with a TTL,
//     Refresh after a refused signature and Verify against the current and previous keys;
//     secret.Rotator is the rotation function's four steps.
//
// The name says what the kit is for, Lambda functions, without shadowing the standard
// library's runtime or aws-lambda-go's lambda package, which a handler's main imports too.
//
// Logs in the platform's aggregation. Every log group a component creates is subscribed to
// the platform's log destination, so a handler's records reach the log archive (and the
// search domain, where an environment has one) as the JSON objects the handler wrote, inside
// CloudWatch Logs' envelope. To keep business fields queryable there, log them as attributes
// of the record, never inside the message text, and keep one name per meaning across contexts:
//   - the record's own fields, from log/slog: "time" (RFC 3339), "level" (DEBUG, INFO, WARN,
//     ERROR) and "msg" (a constant sentence: what happened, not the values);
//   - the kit's fields (the LogKey constants): "context" and "function" (which bounded
//     context and function wrote it), "request_id" (the Lambda invocation), "correlation_id"
//     (the business flow, carried across events and requests), "message_id" (the SQS or SNS
//     message being processed), "sequence_number" (the stream record) and "error" (the
//     error's text, on failures);
//   - a context's own fields: lower snake case, named after the domain ("account_id",
//     "order_id", "tenant_id"), the same name wherever the same thing is logged, scalar
//     values (a string, a number or a boolean), never a secret or personal data beyond an
//     identifier: the archive keeps them for the platform's retention.
//
// Default settings:
//   - logs are JSON on standard output at level info, unless LOG_LEVEL names another level
//     (debug, info, warn, error); records carry "context" and "function" from
//     STRATUM_CONTEXT and STRATUM_FUNCTION, and Logger adds "request_id" and
//     "correlation_id";
//   - a function that lacks a required environment variable, whose AWS configuration does
//     not load or whose wiring fails logs one error record that says why (naming every
//     missing variable) and exits with status 1 before serving anything;
//   - ProcessSQS recovers a panic per message and reports that message as failed; on a FIFO
//     queue it stops at the first failure and reports the rest as failed too, to keep order;
//   - ProcessDynamoDBStream recovers a panic per record too, and always stops at the first
//     failure, which it reports: Lambda resumes the stream from there.
package lambdakit
