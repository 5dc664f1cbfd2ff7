package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

// Content types of the responses.
const (
	ContentTypeJSON    = "application/json"
	ContentTypeProblem = "application/problem+json"
)

// internalErrorDetail is all a client learns of an unexpected error. The error itself is
// logged: its text may name tables, keys or other internals.
const internalErrorDetail = "The server could not complete the request; the error has been logged."

// JSON returns a response with status and body encoded as JSON. A nil body gives an empty
// body without a content type, as 204 No Content needs. A body that cannot be encoded is
// a bug in the handler: JSON logs it and answers 500 instead.
func JSON(status int, body any) events.APIGatewayV2HTTPResponse {
	if body == nil {
		return events.APIGatewayV2HTTPResponse{StatusCode: status}
	}
	data, err := json.Marshal(body)
	if err != nil {
		lambdakit.Logger(context.Background()).Error("encode response body", lambdakit.LogKeyError, err)
		return internalError().Response()
	}
	return response(status, ContentTypeJSON, data)
}

func response(status int, contentType string, body []byte) events.APIGatewayV2HTTPResponse {
	return events.APIGatewayV2HTTPResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": contentType},
		Body:       string(body),
	}
}

// Problem is an error response in the format of RFC 9457, "Problem Details for HTTP APIs".
type Problem struct {
	// Type is a URI that names the kind of problem; Response sets "about:blank", which
	// means the status says it all, when it is empty.
	Type string `json:"type"`
	// Title is a short summary of the kind of problem; Response sets the status text when
	// it is empty.
	Title string `json:"title"`
	// Status is the HTTP status; Response sets 500 when it is not a valid error status.
	Status int `json:"status"`
	// Detail explains this occurrence of the problem to the client.
	Detail string `json:"detail,omitempty"`
	// Instance is a URI that names this occurrence of the problem.
	Instance string `json:"instance,omitempty"`
	// Errors maps invalid fields to what is wrong with them, for 400 responses.
	Errors map[string]string `json:"errors,omitempty"`
}

// Response returns p as an application/problem+json response, with the defaults of the
// fields' documentation filled in.
func (p Problem) Response() events.APIGatewayV2HTTPResponse {
	if p.Status < 400 || p.Status > 599 {
		p.Status = http.StatusInternalServerError
	}
	if p.Type == "" {
		p.Type = "about:blank"
	}
	if p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	// Marshal cannot fail: a Problem holds only strings, an int and a map of strings.
	data, _ := json.Marshal(p)
	return response(p.Status, ContentTypeProblem, data)
}

func internalError() Problem {
	return Problem{Status: http.StatusInternalServerError, Detail: internalErrorDetail}
}

// ErrorResponse returns the problem response for err:
//   - a *lambdakit.ValidationError gives 400, with its fields as "errors";
//   - lambdakit.ErrForbidden gives 403, lambdakit.ErrNotFound 404 and lambdakit.ErrConflict
//     409, with the text of err as the detail;
//   - any other error gives 500 with a generic detail, and err is logged with
//     lambdakit.Logger(ctx), because its text is for operators, not clients.
//
// Errors are matched with errors.As and errors.Is, so they may be wrapped.
func ErrorResponse(ctx context.Context, err error) events.APIGatewayV2HTTPResponse {
	if verr, ok := errors.AsType[*lambdakit.ValidationError](err); ok {
		lambdakit.Logger(ctx).Debug("invalid request", lambdakit.LogKeyError, err)
		return Problem{
			Status: http.StatusBadRequest,
			Detail: "The request is invalid; see errors for each field.",
			Errors: verr.Fields,
		}.Response()
	}
	status := http.StatusInternalServerError
	switch {
	case errors.Is(err, lambdakit.ErrForbidden):
		status = http.StatusForbidden
	case errors.Is(err, lambdakit.ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, lambdakit.ErrConflict):
		status = http.StatusConflict
	}
	if status == http.StatusInternalServerError {
		lambdakit.Logger(ctx).Error("request failed", lambdakit.LogKeyError, err)
		return internalError().Response()
	}
	lambdakit.Logger(ctx).Debug("request refused", "status", status, lambdakit.LogKeyError, err)
	return Problem{Status: status, Detail: err.Error()}.Response()
}
