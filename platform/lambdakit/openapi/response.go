package openapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/stratum-platform/stratum/platform/lambdakit/api"
)

// Handler is the signature of an HTTP API handler (payload format 2.0), as lambda.Start
// accepts it.
type Handler func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// Wrap returns a handler that validates each request with ValidateRequest and calls h only
// with a request that matches the spec; any other is answered with api.ErrorResponse (400
// naming every invalid field, 403, or 500 for a deployment error, which is logged). Every
// response of a deprecated operation with a sunset date, valid or not, carries its
// Deprecation, Sunset and Link headers, so that a caller learns of the end whatever it sends.
func (s *Spec) Wrap(h Handler) Handler {
	return func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		resp, err := s.serve(ctx, h, req)
		if op, ok := s.operations[req.RouteKey]; ok && op.Deprecation != nil && err == nil {
			resp = op.Deprecation.addHeaders(resp)
		}
		return resp, err
	}
}

func (s *Spec) serve(ctx context.Context, h Handler, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	if err := s.ValidateRequest(ctx, req); err != nil {
		return api.ErrorResponse(ctx, err), nil
	}
	return h(ctx, req)
}

// ValidateResponse checks resp, the answer to req, against the operation of req's route key:
// its status must be one the operation declares, its content type one the status declares,
// its body must match that media type's schema (or be empty when the status declares no
// content), and the declared required headers must be present and valid. It is meant for
// tests (openapitest.Serve): a handler's answers are checked against its contract, so a
// handler that drifts from its spec fails. The error lists every problem found.
func (s *Spec) ValidateResponse(ctx context.Context, req events.APIGatewayV2HTTPRequest, resp events.APIGatewayV2HTTPResponse) error {
	op, ok := s.operations[req.RouteKey]
	if !ok {
		return fmt.Errorf("route key %q: %w", req.RouteKey, ErrUnknownRoute)
	}
	prefix := fmt.Sprintf("%s (%s): %d response", op.RouteKey(), op.ID, resp.StatusCode)
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		decoded, err := base64.StdEncoding.DecodeString(resp.Body)
		if err != nil {
			return fmt.Errorf("%s: body is not valid base64: %w", prefix, err)
		}
		body = decoded
	}
	header := http.Header{}
	for name, value := range resp.Headers {
		header.Set(name, value)
	}
	for name, values := range resp.MultiValueHeaders {
		for _, v := range values {
			header.Add(name, v)
		}
	}
	if declared := op.route.Operation.Responses.Status(resp.StatusCode); declared != nil && declared.Value != nil &&
		len(declared.Value.Content) == 0 && len(body) > 0 {
		return fmt.Errorf("%s: has a body, but the spec declares no content for it", prefix)
	}
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    &http.Request{Method: op.Method, URL: &url.URL{Path: op.Path}, Header: http.Header{}},
			PathParams: req.PathParameters,
			Route:      op.route,
		},
		Status:  resp.StatusCode,
		Header:  header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	err := openapi3filter.ValidateResponse(ctx, input)
	if err == nil {
		return nil
	}
	var problems []string
	for _, e := range flatten(err) {
		problems = append(problems, responseProblems(e)...)
	}
	return fmt.Errorf("%s: %s", prefix, strings.Join(problems, "; "))
}

// responseProblems describes what is wrong with a response, in the words the request
// problems use.
func responseProblems(err error) []string {
	respErr, ok := errors.AsType[*openapi3filter.ResponseError](err)
	if !ok || respErr.Err == nil {
		return []string{err.Error()}
	}
	var out []string
	for _, e := range flatten(respErr.Err) {
		schemaErr, ok := errors.AsType[*openapi3.SchemaError](e)
		if !ok {
			out = append(out, respErr.Reason+": "+e.Error())
			continue
		}
		field, problem := schemaProblem(schemaErr)
		if field == "" {
			field = "body"
		} else {
			field = "body." + field
		}
		out = append(out, field+": "+problem)
	}
	return out
}
