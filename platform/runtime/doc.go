// Package runtime is the small kit that the AWS Lambda handlers of every context share. It
// runs inside the handlers, so it imports nothing from Pulumi or from the rest of the
// repository: handler binaries stay small and cold starts short.
//
// It offers:
//   - logging: NewLogger, Logger, WithLogger, WithCorrelationID and CorrelationID give JSON
//     logs whose records say which context, function, invocation and business flow they
//     belong to;
//   - events: Envelope, NewEnvelope, ParseEnvelope, EnvelopeFromSQS and Decode publish and
//     consume versioned domain events over SNS and SQS;
//   - HTTP APIs: JSON, DecodeBody, Problem and ErrorResponse serve API Gateway HTTP APIs
//     (payload format 2.0) and answer errors as RFC 9457 problem details, mapping
//     ValidationError, ErrNotFound, ErrConflict and ErrForbidden to 400, 404, 409 and 403;
//   - authorization: ClaimsFrom, RequireScope and Claims read what the JWT authorizer of
//     the HTTP API has already verified;
//   - queues: ProcessSQS reports partial batch failures, so that only the messages that
//     failed are delivered again.
//
// Default settings:
//   - logs are JSON on standard output at level info, unless LOG_LEVEL names another level
//     (debug, info, warn, error); records carry "context" and "function" from
//     STRATUM_CONTEXT and STRATUM_FUNCTION, and Logger adds "request_id" and
//     "correlation_id";
//   - a request body must be application/json in UTF-8, at most MaxBodyBytes (1 MiB), one
//     JSON value without unknown fields;
//   - an error that is none of the mapped ones answers 500 with a generic detail and is
//     logged, so internal error text never reaches a client;
//   - event data is decoded tolerating unknown fields, so producers can add fields without
//     a new version;
//   - ProcessSQS recovers a panic per message and reports that message as failed; on a FIFO
//     queue it stops at the first failure and reports the rest as failed too, to keep order.
package runtime
