package openapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/api"
)

// ErrUnknownRoute is returned for a request whose route key is no operation of the spec: the
// gateway routed it, so the gateway and the handler disagree about the contract.
// api.ErrorResponse answers it with 500 and logs it, because the client did nothing wrong.
var ErrUnknownRoute = errors.New("route is not an operation of the spec")

// ValidateRequest checks req against the operation that its route key names, and returns:
//   - an error wrapping ErrUnknownRoute when there is no such operation;
//   - api.ErrNoClaims when the operation has security but no JWT authorizer checked req;
//   - an error wrapping lambdakit.ErrForbidden when the token's scopes meet none of the
//     operation's security requirements (checked first, so that a caller without access learns
//     nothing about the input the operation takes);
//   - a *lambdakit.ValidationError naming every invalid parameter and body field;
//
// and nil for a request that matches the spec. api.ErrorResponse answers each as the contract
// says (500, 500, 403, 400).
func (s *Spec) ValidateRequest(ctx context.Context, req events.APIGatewayV2HTTPRequest) error {
	op, ok := s.operations[req.RouteKey]
	if !ok {
		return fmt.Errorf("route key %q: %w", req.RouteKey, ErrUnknownRoute)
	}
	if err := op.authorize(req); err != nil {
		return err
	}
	input, fields := op.input(req)
	if input != nil {
		err := openapi3filter.ValidateRequest(ctx, input)
		for _, e := range flatten(err) {
			for _, p := range requestProblem(e, input) {
				addField(fields, p.field, p.problem)
			}
		}
	}
	if len(fields) > 0 {
		return &lambdakit.ValidationError{Fields: fields}
	}
	return nil
}

// options are the validation settings: every problem at once, the request left as it came
// (no defaults written), and security checked by authorize.
func options() *openapi3filter.Options {
	return &openapi3filter.Options{
		MultiError:          true,
		SkipSettingDefaults: true,
		AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
	}
}

// authorize checks the token's scopes against the operation's security requirements: each
// requirement needs all of its scopes, and one met requirement is enough.
func (o *Operation) authorize(req events.APIGatewayV2HTTPRequest) error {
	if o.Public {
		return nil
	}
	claims, err := api.ClaimsFrom(req)
	if err != nil {
		return err
	}
	var missing []string
	for _, requirement := range o.security() {
		var lacks []string
		for _, scopes := range requirement {
			for _, scope := range scopes {
				if !claims.HasScope(scope) && !slices.Contains(lacks, scope) {
					lacks = append(lacks, scope)
				}
			}
		}
		if len(lacks) == 0 {
			return nil
		}
		slices.Sort(lacks)
		missing = append(missing, `"`+strings.Join(lacks, `" and "`)+`"`)
	}
	return fmt.Errorf("missing scope %s: %w", strings.Join(missing, " or "), lambdakit.ErrForbidden)
}

// input returns the request as kin-openapi validates it, or nil with the problems that stop
// it from being read (a body that is too large, not base64 or not UTF-8, a charset other than
// UTF-8).
func (o *Operation) input(req events.APIGatewayV2HTTPRequest) (*openapi3filter.RequestValidationInput, map[string]string) {
	fields := map[string]string{}
	body, problem := requestBody(req)
	if problem != "" {
		fields["body"] = problem
	}
	header := http.Header{}
	for name, value := range req.Headers {
		header.Set(name, value)
	}
	if len(req.Cookies) > 0 {
		header.Set("Cookie", strings.Join(req.Cookies, "; "))
	}
	if p := charsetProblem(header.Get("Content-Type"), len(body) > 0); p != "" {
		fields["content-type"] = p
	}
	if len(fields) > 0 {
		return nil, fields
	}
	query := queryValues(req)
	path := req.RawPath
	if path == "" {
		path = o.Path
	}
	httpReq := &http.Request{
		Method:        o.Method,
		URL:           &url.URL{Path: path, RawQuery: query.Encode()},
		Header:        header,
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
	}
	return &openapi3filter.RequestValidationInput{
		Request:     httpReq,
		PathParams:  req.PathParameters,
		QueryParams: query,
		Route:       o.route,
		Options:     options(),
	}, fields
}

// requestBody returns the body of req, decoded from base64 when API Gateway encoded it, or
// the problem with it.
func requestBody(req events.APIGatewayV2HTTPRequest) ([]byte, string) {
	tooLarge := fmt.Sprintf("must be at most %d bytes", api.MaxBodyBytes)
	body := []byte(req.Body)
	if req.IsBase64Encoded {
		// Checked before decoding, so that an oversized body is never copied.
		if len(req.Body) > base64.StdEncoding.EncodedLen(api.MaxBodyBytes) {
			return nil, tooLarge
		}
		decoded, err := base64.StdEncoding.DecodeString(req.Body)
		if err != nil {
			return nil, "is not valid base64"
		}
		body = decoded
	}
	if len(body) > api.MaxBodyBytes {
		return nil, tooLarge
	}
	// The JSON decoder would replace invalid bytes with U+FFFD and validate a string that the
	// client never sent.
	if !utf8.Valid(body) {
		return nil, "must be UTF-8"
	}
	return body, ""
}

// charsetProblem refuses a body in another charset than UTF-8, which RFC 8259 requires of
// JSON; the media type itself is checked against the operation's by the validation.
func charsetProblem(contentType string, hasBody bool) string {
	if !hasBody || contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Sprintf("is not a media type, got %s", quote(contentType))
	}
	if charset, ok := params["charset"]; ok && !strings.EqualFold(charset, "utf-8") {
		return "charset must be utf-8, got " + quote(charset)
	}
	return ""
}

// queryValues returns the query of req: the raw query string as the client sent it, which
// keeps repeated parameters apart, or the parsed parameters when there is none (as in tests).
func queryValues(req events.APIGatewayV2HTTPRequest) url.Values {
	if req.RawQueryString != "" {
		if q, err := url.ParseQuery(req.RawQueryString); err == nil {
			return q
		}
	}
	q := url.Values{}
	for name, value := range req.QueryStringParameters {
		q.Set(name, value)
	}
	return q
}

// addField records problem for field, keeping every problem of a field that has several.
func addField(fields map[string]string, field, problem string) {
	if old, ok := fields[field]; ok && old != problem {
		problem = old + "; " + problem
	}
	fields[field] = problem
}
