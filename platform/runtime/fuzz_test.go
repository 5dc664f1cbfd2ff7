package runtime

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// FuzzParseEnvelope checks that ParseEnvelope never panics, that what it accepts is valid,
// and that an accepted envelope encodes and parses back to itself.
func FuzzParseEnvelope(f *testing.F) {
	f.Add(validBody)
	f.Add(`{"id":"x","type":"Ab","version":1,"source":"s","time":"2026-01-01T00:00:00Z","data":{ }}`)
	f.Add(`{"Type":"Notification","Message":"{}"}`)
	f.Add(`{"data":null}`)
	f.Fuzz(func(t *testing.T, body string) {
		e, err := ParseEnvelope(body)
		if err != nil {
			return
		}
		if err := e.Validate(); err != nil {
			t.Fatalf("ParseEnvelope accepted an invalid envelope: %v", err)
		}
		out, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("encode %+v: %v", e, err)
		}
		again, err := ParseEnvelope(string(out))
		if err != nil {
			t.Fatalf("ParseEnvelope(%s) = %v after encoding an accepted envelope", out, err)
		}
		// Encoding compacts the data, so compare it by meaning.
		e.Data, again.Data = compact(t, e.Data), compact(t, again.Data)
		if !reflect.DeepEqual(again, e) {
			t.Fatalf("round trip changed the envelope:\n%+v\n%+v", e, again)
		}
	})
}

func compact(t *testing.T, data json.RawMessage) json.RawMessage {
	t.Helper()
	out, err := json.Marshal(data)
	if err != nil {
		t.Fatalf("compact %s: %v", data, err)
	}
	return out
}

// FuzzDecodeBody checks that DecodeBody never panics and fails only with a
// *ValidationError, which ErrorResponse answers with 400 rather than 500.
func FuzzDecodeBody(f *testing.F) {
	f.Add("application/json", `{"owner":"ann","credit":3,"address":{"city":"Oslo"},"tags":["a"]}`, false)
	f.Add("application/json; charset=utf-8", `eyJvd25lciI6ImFubiJ9`, true)
	f.Add("text/plain", `{}`, false)
	f.Add("application/json", `{"credit":1e400}`, false)
	f.Add("application/json", `{"opened":"2026-01-01T00:00:00Z"} {}`, false)
	f.Fuzz(func(t *testing.T, contentType, body string, base64 bool) {
		req := events.APIGatewayV2HTTPRequest{
			Headers:         map[string]string{"content-type": contentType},
			Body:            body,
			IsBase64Encoded: base64,
		}
		_, err := DecodeBody[openAccount](req)
		if err == nil {
			return
		}
		var verr *ValidationError
		if !errors.As(err, &verr) || len(verr.Fields) != 1 {
			t.Fatalf("DecodeBody(%q, %q) = %v, want a *ValidationError with one field", contentType, body, err)
		}
	})
}
