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
