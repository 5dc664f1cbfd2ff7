package api

import (
	"errors"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

// FuzzDecodeBody checks that DecodeBody never panics and fails only with a
// *lambdakit.ValidationError, which ErrorResponse answers with 400 rather than 500.
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
		var verr *lambdakit.ValidationError
		if !errors.As(err, &verr) || len(verr.Fields) != 1 {
			t.Fatalf("DecodeBody(%q, %q) = %v, want a *ValidationError with one field", contentType, body, err)
		}
	})
}
