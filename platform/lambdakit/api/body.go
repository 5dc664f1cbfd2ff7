package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

// MaxBodyBytes is the largest request body, once decoded from base64, that DecodeBody
// accepts. API Gateway allows 10 MB; no command of a JSON API needs that much, and a
// smaller limit keeps a function's memory bounded.
const MaxBodyBytes = 1 << 20

// DecodeBody returns the JSON body of req as a T. It is strict, because a field the
// handler does not know is most likely a client's typo that would otherwise be dropped
// without a word. It returns a *lambdakit.ValidationError, which ErrorResponse answers with
// 400, when:
//   - the content type is not application/json, or names a charset other than UTF-8;
//   - the body, decoded from base64 when API Gateway encoded it, is empty, larger than
//     MaxBodyBytes, not UTF-8 or not JSON;
//   - the JSON is null, has a field that T does not have, has a value of the wrong type
//     for T, or is followed by more data.
func DecodeBody[T any](req events.APIGatewayV2HTTPRequest) (T, error) {
	var zero T
	body, err := requestBody(req)
	if err != nil {
		return zero, err
	}
	if bytes.Equal(bytes.TrimSpace(body), []byte("null")) {
		return zero, invalid("body", "must not be null")
	}
	var v T
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return zero, decodeError(err)
	}
	// A second value would be ignored by Decode; a client that sent one meant something
	// that the handler would not do.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return zero, invalid("body", "must hold a single JSON value")
	}
	return v, nil
}

// requestBody returns the bytes of the body of req after checking its content type,
// encoding and size.
func requestBody(req events.APIGatewayV2HTTPRequest) ([]byte, error) {
	if err := checkContentType(header(req.Headers, "Content-Type")); err != nil {
		return nil, err
	}
	body := []byte(req.Body)
	if req.IsBase64Encoded {
		// Checked before decoding, so that an oversized body is never copied.
		if len(req.Body) > base64.StdEncoding.EncodedLen(MaxBodyBytes) {
			return nil, tooLarge()
		}
		decoded, err := base64.StdEncoding.DecodeString(req.Body)
		if err != nil {
			return nil, invalid("body", "is not valid base64")
		}
		body = decoded
	}
	if len(body) > MaxBodyBytes {
		return nil, tooLarge()
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, invalid("body", "is required")
	}
	// The JSON decoder would replace invalid bytes with U+FFFD and store a string that
	// the client never sent.
	if !utf8.Valid(body) {
		return nil, invalid("body", "must be UTF-8")
	}
	return body, nil
}

// invalid returns a *lambdakit.ValidationError for one field.
func invalid(field, problem string) *lambdakit.ValidationError {
	return &lambdakit.ValidationError{Fields: map[string]string{field: problem}}
}

func tooLarge() *lambdakit.ValidationError {
	return invalid("body", fmt.Sprintf("must be at most %d bytes", MaxBodyBytes))
}

// header returns the value of the header name. HTTP API payloads of version 2.0 have
// lowercase names, but tests and other callers may not, and HTTP names have no case.
func header(headers map[string]string, name string) string {
	for k, v := range headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// checkContentType accepts application/json with no charset or UTF-8, which RFC 8259
// requires of JSON exchanged between systems.
func checkContentType(value string) error {
	const want = "must be " + ContentTypeJSON
	if value == "" {
		return invalid("content-type", want)
	}
	mediaType, params, err := mime.ParseMediaType(value)
	if err != nil || mediaType != ContentTypeJSON {
		return invalid("content-type", want)
	}
	if charset, ok := params["charset"]; ok && !strings.EqualFold(charset, "utf-8") {
		return invalid("content-type", "charset must be utf-8")
	}
	return nil
}

// decodeError turns an error of the JSON decoder into a *lambdakit.ValidationError that a
// client can act on, naming the field when the decoder knows it.
func decodeError(err error) *lambdakit.ValidationError {
	if typeErr, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		want := jsonKind(typeErr.Type)
		// A number that does not fit (too large, or with a fraction for an integer) is of
		// the right JSON type, so the type alone would not tell the client what is wrong.
		if strings.HasPrefix(typeErr.Value, "number") && (strings.HasSuffix(want, "integer") || want == "a number") {
			return invalid(field, "must be "+want+" within range")
		}
		return invalid(field, "must be "+want)
	}
	if syntaxErr, ok := errors.AsType[*json.SyntaxError](err); ok {
		return invalid("body", fmt.Sprintf("is not valid JSON (at byte %d)", syntaxErr.Offset))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return invalid("body", "is not valid JSON (it ends early)")
	}
	// DisallowUnknownFields reports an unknown field only by its text, with no error type.
	if rest, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return invalid("body", "has unknown field "+rest)
	}
	// What is left comes from a type's own UnmarshalJSON, such as time.Time's: its text
	// is about the client's input and tells the client what to fix.
	return invalid("body", "has an invalid value: "+err.Error())
}

// jsonKind names the JSON value that t decodes from, in words for a client.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "a valid value"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "a non-negative integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return "a valid value"
}
