// Package api is the part of the Lambda kit that serves API Gateway HTTP APIs (payload format
// 2.0): JSON and DecodeBody answer and read JSON, ErrorResponse and Problem answer errors as
// RFC 9457 problem details, and ClaimsFrom and RequireScope read what the API's JWT
// authorizer has already verified. It is a package of its own because only HTTP handlers
// need it, and a call such as api.ErrorResponse(ctx, err) says which side of the function it
// is on.
//
// ErrorResponse maps the errors of package lambdakit, which domain code returns whatever its
// trigger: lambdakit.ValidationError to 400, lambdakit.ErrForbidden to 403,
// lambdakit.ErrNotFound to 404 and lambdakit.ErrConflict to 409.
//
// Default settings:
//   - a request body must be application/json in UTF-8, at most MaxBodyBytes (1 MiB), one
//     JSON value without unknown fields;
//   - an error that is none of the mapped ones answers 500 with a generic detail and is
//     logged, so internal error text never reaches a client.
package api
