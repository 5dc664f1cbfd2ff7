// Package openapi is the part of the Lambda kit that holds an HTTP API handler to its OpenAPI
// contract. A handler embeds its context's spec (stacks/<context>/api), loads it once with
// Load at start-up, and wraps its Handle with (*Spec).Wrap, which validates every request
// against the operation that the request's API Gateway route key names ("GET
// /accounts/{accountId}") before the handler sees it: the security requirement's scopes, the
// path and query parameters, the content type and the JSON body. An invalid request is answered
// with problem+json (lambdakit/api's Problem) naming every invalid field at once; the handler
// runs only on requests that match the spec.
//
// In tests, package openapitest validates a handler's responses against the same spec, so that
// a handler whose answers drift from its contract fails, and checks the spec's examples and its
// operations against the handlers.
//
// Default settings:
//   - the spec must be OpenAPI 3.0, valid, and give every operation an operationId;
//   - a request whose route key is not an operation of the spec is a deployment error, answered
//     500 and logged (the gateway was built from another spec);
//   - an operation without security, or with an empty requirement, is public; otherwise one of
//     its requirements must be met by the scopes of the JWT authorizer's claims;
//   - request bodies are at most api.MaxBodyBytes, in one of the operation's media types, in
//     UTF-8; defaults are not written into the request, which the handler receives unchanged.
//
// It imports nothing from Pulumi: it runs inside Lambda.
package openapi
