package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

func TestJSON(t *testing.T) {
	tests := []struct {
		name string
		code int
		body any
		want events.APIGatewayV2HTTPResponse
	}{
		{
			name: "object",
			code: 201,
			body: map[string]any{"id": "a-1", "open": true},
			want: events.APIGatewayV2HTTPResponse{
				StatusCode: 201,
				Headers:    map[string]string{"Content-Type": "application/json"},
				Body:       `{"id":"a-1","open":true}`,
			},
		},
		{
			name: "array",
			code: 200,
			body: []string{"a", "b"},
			want: events.APIGatewayV2HTTPResponse{
				StatusCode: 200,
				Headers:    map[string]string{"Content-Type": "application/json"},
				Body:       `["a","b"]`,
			},
		},
		{
			name: "no body",
			code: 204,
			body: nil,
			want: events.APIGatewayV2HTTPResponse{StatusCode: 204},
		},
		{
			name: "a body that cannot be encoded",
			code: 200,
			body: map[string]any{"c": make(chan int)},
			want: events.APIGatewayV2HTTPResponse{
				StatusCode: 500,
				Headers:    map[string]string{"Content-Type": "application/problem+json"},
				Body:       `{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"The server could not complete the request; the error has been logged."}`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := JSON(tt.code, tt.body); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("JSON() =\n %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestProblemResponse(t *testing.T) {
	tests := []struct {
		name     string
		problem  Problem
		wantCode int
		wantBody string
	}{
		{
			name: "every field",
			problem: Problem{
				Type:     "https://stratum.example/problems/invalid-account",
				Title:    "Invalid account",
				Status:   400,
				Detail:   "The account is invalid.",
				Instance: "/accounts/a-1",
				Errors:   map[string]string{"owner": "is required", "email": "must be an email address"},
			},
			wantCode: 400,
			wantBody: `{"type":"https://stratum.example/problems/invalid-account","title":"Invalid account","status":400,"detail":"The account is invalid.","instance":"/accounts/a-1","errors":{"email":"must be an email address","owner":"is required"}}`,
		},
		{
			name:     "defaults from the status",
			problem:  Problem{Status: 404},
			wantCode: 404,
			wantBody: `{"type":"about:blank","title":"Not Found","status":404}`,
		},
		{
			name:     "no status",
			problem:  Problem{Detail: "x"},
			wantCode: 500,
			wantBody: `{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"x"}`,
		},
		{
			name:     "a success status is not a problem",
			problem:  Problem{Status: 200},
			wantCode: 500,
			wantBody: `{"type":"about:blank","title":"Internal Server Error","status":500}`,
		},
		{
			name:     "HTML characters stay escaped",
			problem:  Problem{Status: 409, Detail: "<b>&</b>"},
			wantCode: 409,
			wantBody: `{"type":"about:blank","title":"Conflict","status":409,"detail":"\u003cb\u003e\u0026\u003c/b\u003e"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.problem.Response()
			want := events.APIGatewayV2HTTPResponse{
				StatusCode: tt.wantCode,
				Headers:    map[string]string{"Content-Type": "application/problem+json"},
				Body:       tt.wantBody,
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Response() =\n %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestErrorResponse(t *testing.T) {
	const secret = "dynamodb: table acme-prod-accounts: throttled"
	tests := []struct {
		name     string
		err      error
		wantCode int
		wantBody string
		wantLog  string // a text the error log must contain; "" when nothing is logged at info
	}{
		{
			name:     "validation error",
			err:      fmt.Errorf("register: %w", &lambdakit.ValidationError{Fields: map[string]string{"owner": "is required", "email": "must be an email address"}}),
			wantCode: 400,
			wantBody: `{"type":"about:blank","title":"Bad Request","status":400,"detail":"The request is invalid; see errors for each field.","errors":{"email":"must be an email address","owner":"is required"}}`,
		},
		{
			name:     "validation error without fields",
			err:      &lambdakit.ValidationError{},
			wantCode: 400,
			wantBody: `{"type":"about:blank","title":"Bad Request","status":400,"detail":"The request is invalid; see errors for each field."}`,
		},
		{
			name:     "not found",
			err:      fmt.Errorf("account %q: %w", "a-1", lambdakit.ErrNotFound),
			wantCode: 404,
			wantBody: `{"type":"about:blank","title":"Not Found","status":404,"detail":"account \"a-1\": not found"}`,
		},
		{
			name:     "conflict",
			err:      fmt.Errorf("account %q exists: %w", "a-1", lambdakit.ErrConflict),
			wantCode: 409,
			wantBody: `{"type":"about:blank","title":"Conflict","status":409,"detail":"account \"a-1\" exists: conflict"}`,
		},
		{
			name:     "forbidden",
			err:      fmt.Errorf("missing scope %q: %w", "accounts:write", lambdakit.ErrForbidden),
			wantCode: 403,
			wantBody: `{"type":"about:blank","title":"Forbidden","status":403,"detail":"missing scope \"accounts:write\": forbidden"}`,
		},
		{
			name:     "anything else is internal and only logged",
			err:      errors.New(secret),
			wantCode: 500,
			wantBody: `{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"The server could not complete the request; the error has been logged."}`,
			wantLog:  `"level":"ERROR","msg":"request failed","correlation_id":"corr-1","error":"` + secret + `"`,
		},
		{
			name:     "no claims is a deployment error",
			err:      ErrNoClaims,
			wantCode: 500,
			wantBody: `{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"The server could not complete the request; the error has been logged."}`,
			wantLog:  `"error":"request has no jwt authorizer claims"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&logs, nil))
			ctx := lambdakit.WithCorrelationID(lambdakit.WithLogger(context.Background(), logger), "corr-1")
			got := ErrorResponse(ctx, tt.err)
			want := events.APIGatewayV2HTTPResponse{
				StatusCode: tt.wantCode,
				Headers:    map[string]string{"Content-Type": "application/problem+json"},
				Body:       tt.wantBody,
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("ErrorResponse() =\n %+v\nwant %+v", got, want)
			}
			if strings.Contains(got.Body, "dynamodb") {
				t.Errorf("the response leaks the internal error: %s", got.Body)
			}
			if tt.wantLog == "" {
				if logs.Len() != 0 {
					t.Errorf("logged at info level: %s", logs.String())
				}
			} else if !strings.Contains(logs.String(), tt.wantLog) {
				t.Errorf("log %s\ndoes not contain %s", logs.String(), tt.wantLog)
			}
		})
	}
}
