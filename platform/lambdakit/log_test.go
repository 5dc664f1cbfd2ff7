package lambdakit

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"reflect"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

// records decodes the JSON lines written by a logger, dropping the time, which differs on
// every run.
func records(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	dec := json.NewDecoder(buf)
	for dec.More() {
		var r map[string]any
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("log output is not JSON lines: %v", err)
		}
		if _, ok := r["time"]; !ok {
			t.Errorf("record has no time: %v", r)
		}
		delete(r, "time")
		out = append(out, r)
	}
	return out
}

// env returns a getenv func over a fixed map, so tests never touch the process environment.
func env(vars map[string]string) func(string) string {
	return func(key string) string { return vars[key] }
}

func TestNewLogger(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []map[string]any
	}{
		{
			name: "defaults to info without context or function",
			env:  nil,
			want: []map[string]any{
				{"level": "INFO", "msg": "info"},
				{"level": "WARN", "msg": "warn"},
				{"level": "ERROR", "msg": "error"},
			},
		},
		{
			name: "debug level with context and function",
			env:  map[string]string{EnvLogLevel: "debug", EnvContext: "accounts", EnvFunction: "register"},
			want: []map[string]any{
				{"level": "DEBUG", "msg": "debug", "context": "accounts", "function": "register"},
				{"level": "INFO", "msg": "info", "context": "accounts", "function": "register"},
				{"level": "WARN", "msg": "warn", "context": "accounts", "function": "register"},
				{"level": "ERROR", "msg": "error", "context": "accounts", "function": "register"},
			},
		},
		{
			name: "level names are not case sensitive",
			env:  map[string]string{EnvLogLevel: "ERROR", EnvFunction: "register"},
			want: []map[string]any{
				{"level": "ERROR", "msg": "error", "function": "register"},
			},
		},
		{
			name: "warn level",
			env:  map[string]string{EnvLogLevel: "warn"},
			want: []map[string]any{
				{"level": "WARN", "msg": "warn"},
				{"level": "ERROR", "msg": "error"},
			},
		},
		{
			name: "an invalid level falls back to info",
			env:  map[string]string{EnvLogLevel: "verbose"},
			want: []map[string]any{
				{"level": "INFO", "msg": "info"},
				{"level": "WARN", "msg": "warn"},
				{"level": "ERROR", "msg": "error"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			logger := newLogger(&buf, env(tt.env))
			logger.Debug("debug")
			logger.Info("info")
			logger.Warn("warn")
			logger.Error("error")
			if got := records(t, &buf); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("records:\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestLogger(t *testing.T) {
	tests := []struct {
		name string
		ctx  func(context.Context) context.Context
		want map[string]any
	}{
		{
			name: "stored logger only",
			ctx:  func(ctx context.Context) context.Context { return ctx },
			want: map[string]any{"level": "INFO", "msg": "hello", "context": "accounts"},
		},
		{
			name: "request and correlation ids",
			ctx: func(ctx context.Context) context.Context {
				ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{AwsRequestID: "req-1"})
				return WithCorrelationID(ctx, "corr-1")
			},
			want: map[string]any{
				"level": "INFO", "msg": "hello", "context": "accounts",
				"request_id": "req-1", "correlation_id": "corr-1",
			},
		},
		{
			name: "lambda context without a request id",
			ctx: func(ctx context.Context) context.Context {
				return lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{})
			},
			want: map[string]any{"level": "INFO", "msg": "hello", "context": "accounts"},
		},
		{
			name: "an empty correlation id keeps the earlier one",
			ctx: func(ctx context.Context) context.Context {
				return WithCorrelationID(WithCorrelationID(ctx, "corr-1"), "")
			},
			want: map[string]any{"level": "INFO", "msg": "hello", "context": "accounts", "correlation_id": "corr-1"},
		},
		{
			name: "a nil logger keeps the stored one",
			ctx: func(ctx context.Context) context.Context {
				return WithLogger(ctx, nil)
			},
			want: map[string]any{"level": "INFO", "msg": "hello", "context": "accounts"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			ctx := WithLogger(context.Background(), newLogger(&buf, env(map[string]string{EnvContext: "accounts"})))
			Logger(tt.ctx(ctx)).Info("hello")
			got := records(t, &buf)
			if len(got) != 1 || !reflect.DeepEqual(got[0], tt.want) {
				t.Errorf("records:\n got %v\nwant [%v]", got, tt.want)
			}
		})
	}
}

func TestLoggerDefault(t *testing.T) {
	// Without a stored logger, Logger must still return a working one rather than nil.
	if Logger(context.Background()) == nil {
		t.Fatal("Logger returned nil for a context without a logger")
	}
}

func TestCorrelationID(t *testing.T) {
	tests := []struct {
		name string
		ids  []string
		want string
	}{
		{name: "none", want: ""},
		{name: "one", ids: []string{"a"}, want: "a"},
		{name: "the latest wins", ids: []string{"a", "b"}, want: "b"},
		{name: "empty is ignored", ids: []string{"a", ""}, want: "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			for _, id := range tt.ids {
				ctx = WithCorrelationID(ctx, id)
			}
			if got := CorrelationID(ctx); got != tt.want {
				t.Errorf("CorrelationID = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseLevel(t *testing.T) {
	tests := []struct {
		in   string
		want slog.Level
	}{
		{"", slog.LevelInfo},
		{"debug", slog.LevelDebug},
		{"INFO", slog.LevelInfo},
		{"Warn", slog.LevelWarn},
		{"error", slog.LevelError},
		{"trace", slog.LevelInfo},
	}
	for _, tt := range tests {
		if got := parseLevel(tt.in); got != tt.want {
			t.Errorf("parseLevel(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
