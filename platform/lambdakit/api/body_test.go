package api

import (
	"encoding/base64"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

type openAccount struct {
	Owner   string    `json:"owner"`
	Credit  uint8     `json:"credit"`
	Opened  time.Time `json:"opened"`
	Address *struct {
		City string `json:"city"`
	} `json:"address"`
	Tags []string `json:"tags"`
}

func TestDecodeBody(t *testing.T) {
	jsonHeaders := map[string]string{"content-type": "application/json"}
	b64 := base64.StdEncoding.EncodeToString
	large := `{"owner":"` + strings.Repeat("a", MaxBodyBytes) + `"}`
	tests := []struct {
		name       string
		headers    map[string]string
		body       string
		base64     bool
		want       openAccount
		wantFields map[string]string
	}{
		{name: "plain", headers: jsonHeaders, body: `{"owner":"ann","tags":["a"]}`, want: openAccount{Owner: "ann", Tags: []string{"a"}}},
		{name: "base64", headers: jsonHeaders, body: b64([]byte(`{"owner":"ann"}`)), base64: true, want: openAccount{Owner: "ann"}},
		{name: "charset and header case", headers: map[string]string{"Content-Type": "application/json; charset=UTF-8"}, body: ` {"owner":"ann"} ` + "\n", want: openAccount{Owner: "ann"}},
		{name: "no content type", body: `{}`, wantFields: map[string]string{"content-type": "must be application/json"}},
		{name: "another content type", headers: map[string]string{"content-type": "text/plain"}, body: `{}`, wantFields: map[string]string{"content-type": "must be application/json"}},
		{name: "a JSON suffix type", headers: map[string]string{"content-type": "application/merge-patch+json"}, body: `{}`, wantFields: map[string]string{"content-type": "must be application/json"}},
		{name: "a broken content type", headers: map[string]string{"content-type": "application/json; charset"}, body: `{}`, wantFields: map[string]string{"content-type": "must be application/json"}},
		{name: "another charset", headers: map[string]string{"content-type": "application/json; charset=iso-8859-1"}, body: `{}`, wantFields: map[string]string{"content-type": "charset must be utf-8"}},
		{name: "empty", headers: jsonHeaders, body: ``, wantFields: map[string]string{"body": "is required"}},
		{name: "blank", headers: jsonHeaders, body: " \n", wantFields: map[string]string{"body": "is required"}},
		{name: "null", headers: jsonHeaders, body: `null`, wantFields: map[string]string{"body": "must not be null"}},
		{name: "invalid base64", headers: jsonHeaders, body: `{"owner":"ann"}`, base64: true, wantFields: map[string]string{"body": "is not valid base64"}},
		{name: "too large", headers: jsonHeaders, body: large, wantFields: map[string]string{"body": "must be at most 1048576 bytes"}},
		{name: "too large in base64", headers: jsonHeaders, body: b64([]byte(large)), base64: true, wantFields: map[string]string{"body": "must be at most 1048576 bytes"}},
		{name: "too large once decoded", headers: jsonHeaders, body: b64([]byte(large[:MaxBodyBytes+1])), base64: true, wantFields: map[string]string{"body": "must be at most 1048576 bytes"}},
		{name: "not UTF-8", headers: jsonHeaders, body: "{\"owner\":\"\xff\"}", wantFields: map[string]string{"body": "must be UTF-8"}},
		{name: "syntax error", headers: jsonHeaders, body: `{"owner":ann}`, wantFields: map[string]string{"body": "is not valid JSON (at byte 10)"}},
		{name: "cut short", headers: jsonHeaders, body: `{"owner":"ann"`, wantFields: map[string]string{"body": "is not valid JSON (it ends early)"}},
		{name: "unknown field", headers: jsonHeaders, body: `{"owner":"ann","ownr":"bob"}`, wantFields: map[string]string{"body": `has unknown field "ownr"`}},
		{name: "unknown nested field", headers: jsonHeaders, body: `{"address":{"town":"x"}}`, wantFields: map[string]string{"body": `has unknown field "town"`}},
		{name: "wrong type", headers: jsonHeaders, body: `{"owner":7}`, wantFields: map[string]string{"owner": "must be a string"}},
		{name: "wrong nested type", headers: jsonHeaders, body: `{"address":{"city":[]}}`, wantFields: map[string]string{"address.city": "must be a string"}},
		{name: "wrong element type", headers: jsonHeaders, body: `{"tags":[1]}`, wantFields: map[string]string{"tags": "must be a string"}},
		{name: "an array for an object", headers: jsonHeaders, body: `[]`, wantFields: map[string]string{"body": "must be an object"}},
		{name: "out of range", headers: jsonHeaders, body: `{"credit":300}`, wantFields: map[string]string{"credit": "must be a non-negative integer within range"}},
		{name: "a fraction for an integer", headers: jsonHeaders, body: `{"credit":1.5}`, wantFields: map[string]string{"credit": "must be a non-negative integer within range"}},
		{name: "a string for an integer", headers: jsonHeaders, body: `{"credit":"1"}`, wantFields: map[string]string{"credit": "must be a non-negative integer"}},
		{name: "bad time", headers: jsonHeaders, body: `{"opened":"monday"}`, wantFields: map[string]string{"body": `has an invalid value: parsing time "monday" as "2006-01-02T15:04:05Z07:00": cannot parse "monday" as "2006"`}},
		{name: "trailing value", headers: jsonHeaders, body: `{"owner":"ann"}{"owner":"bob"}`, wantFields: map[string]string{"body": "must hold a single JSON value"}},
		{name: "trailing garbage", headers: jsonHeaders, body: `{"owner":"ann"} x`, wantFields: map[string]string{"body": "must hold a single JSON value"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := events.APIGatewayV2HTTPRequest{Headers: tt.headers, Body: tt.body, IsBase64Encoded: tt.base64}
			got, err := DecodeBody[openAccount](req)
			if tt.wantFields != nil {
				verr, ok := errors.AsType[*lambdakit.ValidationError](err)
				if !ok {
					t.Fatalf("error = %v, want a *lambdakit.ValidationError", err)
				}
				if !reflect.DeepEqual(verr.Fields, tt.wantFields) {
					t.Errorf("fields:\n got %v\nwant %v", verr.Fields, tt.wantFields)
				}
				if !reflect.DeepEqual(got, openAccount{}) {
					t.Errorf("value = %+v on error, want the zero value", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("value = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDecodeBodyScalar(t *testing.T) {
	req := events.APIGatewayV2HTTPRequest{Headers: map[string]string{"content-type": "application/json"}, Body: `42`}
	got, err := DecodeBody[int](req)
	if err != nil || got != 42 {
		t.Errorf("DecodeBody[int] = %d, %v; want 42, nil", got, err)
	}
}
