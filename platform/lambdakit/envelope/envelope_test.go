package envelope

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"testing"
	"time"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

type accountOpened struct {
	AccountID string `json:"accountId"`
	Owner     string `json:"owner"`
}

// fixedClock returns a time with nanoseconds and a zone, to show that envelopes keep UTC
// milliseconds only.
func fixedClock() time.Time {
	return time.Date(2026, 3, 4, 6, 7, 8, 123456789, time.FixedZone("CET", 3600))
}

func TestNew(t *testing.T) {
	entropy := bytes.Repeat([]byte{0xff}, 16)
	tests := []struct {
		name    string
		ctx     context.Context
		typ     string
		version int
		data    any
		entropy []byte
		want    Envelope
		wantErr string
	}{
		{
			name:    "starts a flow",
			ctx:     context.Background(),
			typ:     "AccountOpened",
			version: 1,
			data:    accountOpened{AccountID: "a-1", Owner: "ann"},
			entropy: entropy,
			want: Envelope{
				ID:            "ffffffff-ffff-4fff-bfff-ffffffffffff",
				Type:          "AccountOpened",
				Version:       1,
				Source:        "accounts",
				Time:          time.Date(2026, 3, 4, 5, 7, 8, 123000000, time.UTC),
				CorrelationID: "ffffffff-ffff-4fff-bfff-ffffffffffff",
				Data:          json.RawMessage(`{"accountId":"a-1","owner":"ann"}`),
			},
		},
		{
			name:    "joins the flow of ctx",
			ctx:     lambdakit.WithCorrelationID(context.Background(), "corr-1"),
			typ:     "AccountOpened",
			version: 2,
			data:    map[string]int{"n": 1},
			entropy: make([]byte, 16),
			want: Envelope{
				ID:            "00000000-0000-4000-8000-000000000000",
				Type:          "AccountOpened",
				Version:       2,
				Source:        "accounts",
				Time:          time.Date(2026, 3, 4, 5, 7, 8, 123000000, time.UTC),
				CorrelationID: "corr-1",
				Data:          json.RawMessage(`{"n":1}`),
			},
		},
		{
			name:    "data that cannot be encoded",
			ctx:     context.Background(),
			typ:     "AccountOpened",
			version: 1,
			data:    make(chan int),
			entropy: entropy,
			wantErr: `event "AccountOpened": data: json: unsupported type: chan int`,
		},
		{
			name:    "no randomness",
			ctx:     context.Background(),
			typ:     "AccountOpened",
			version: 1,
			data:    accountOpened{},
			entropy: []byte{1, 2, 3},
			wantErr: `event "AccountOpened": id: read random bytes: unexpected EOF`,
		},
		{
			name:    "invalid type, version and data at once",
			ctx:     context.Background(),
			typ:     "account.opened",
			version: 0,
			data:    []string{"a"},
			entropy: entropy,
			wantErr: `invalid envelope: data: must be a JSON object; type: "account.opened" does not match ^[A-Z][A-Za-z]+$; version: must be at least 1, got 0`,
		},
		{
			name:    "nil data",
			ctx:     context.Background(),
			typ:     "AccountOpened",
			version: 1,
			data:    nil,
			entropy: entropy,
			wantErr: `invalid envelope: data: must be a JSON object`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := newEnvelope(tt.ctx, "accounts", tt.typ, tt.version, tt.data, bytes.NewReader(tt.entropy), fixedClock)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("error = %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("envelope:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestNewRandomID(t *testing.T) {
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := make(map[string]bool)
	for range 100 {
		e, err := New(context.Background(), "accounts", "AccountOpened", 1, accountOpened{})
		if err != nil {
			t.Fatal(err)
		}
		if !uuid.MatchString(e.ID) {
			t.Fatalf("id %q is not a version 4 UUID", e.ID)
		}
		if seen[e.ID] {
			t.Fatalf("id %q repeated", e.ID)
		}
		seen[e.ID] = true
		if e.Time.Location() != time.UTC || e.Time.Nanosecond()%int(time.Millisecond) != 0 {
			t.Fatalf("time %v is not UTC milliseconds", e.Time)
		}
	}
}

func validEnvelope() Envelope {
	return Envelope{
		ID:            "00000000-0000-4000-8000-000000000000",
		Type:          "AccountOpened",
		Version:       1,
		Source:        "accounts",
		Time:          time.Date(2026, 3, 4, 5, 7, 8, 123000000, time.UTC),
		CorrelationID: "corr-1",
		Data:          json.RawMessage(`{"accountId":"a-1","owner":"ann"}`),
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Envelope)
		want   map[string]string
	}{
		{name: "valid", change: func(*Envelope) {}},
		{name: "no correlation id is valid", change: func(e *Envelope) { e.CorrelationID = "" }},
		{name: "data with spaces", change: func(e *Envelope) { e.Data = json.RawMessage(" {} ") }},
		{name: "blank id", change: func(e *Envelope) { e.ID = " " }, want: map[string]string{"id": "is required"}},
		{name: "no type", change: func(e *Envelope) { e.Type = "" }, want: map[string]string{"type": "is required"}},
		{name: "one letter type", change: func(e *Envelope) { e.Type = "A" }, want: map[string]string{"type": `"A" does not match ^[A-Z][A-Za-z]+$`}},
		{name: "lowercase type", change: func(e *Envelope) { e.Type = "accountOpened" }, want: map[string]string{"type": `"accountOpened" does not match ^[A-Z][A-Za-z]+$`}},
		{name: "type with digits", change: func(e *Envelope) { e.Type = "AccountOpened2" }, want: map[string]string{"type": `"AccountOpened2" does not match ^[A-Z][A-Za-z]+$`}},
		{name: "negative version", change: func(e *Envelope) { e.Version = -1 }, want: map[string]string{"version": "must be at least 1, got -1"}},
		{name: "no source", change: func(e *Envelope) { e.Source = "" }, want: map[string]string{"source": "is required"}},
		{name: "no time", change: func(e *Envelope) { e.Time = time.Time{} }, want: map[string]string{"time": "is required"}},
		{name: "null data", change: func(e *Envelope) { e.Data = json.RawMessage("null") }, want: map[string]string{"data": "must be a JSON object"}},
		{name: "array data", change: func(e *Envelope) { e.Data = json.RawMessage("[]") }, want: map[string]string{"data": "must be a JSON object"}},
		{name: "broken data", change: func(e *Envelope) { e.Data = json.RawMessage(`{"a":`) }, want: map[string]string{"data": "must be a JSON object"}},
		{name: "two objects", change: func(e *Envelope) { e.Data = json.RawMessage(`{}{}`) }, want: map[string]string{"data": "must be a JSON object"}},
		{
			name:   "everything at once",
			change: func(e *Envelope) { *e = Envelope{} },
			want: map[string]string{
				"id": "is required", "type": "is required", "version": "must be at least 1, got 0",
				"source": "is required", "time": "is required", "data": "must be a JSON object",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEnvelope()
			tt.change(&e)
			err := e.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			verr, ok := errors.AsType[*lambdakit.ValidationError](err)
			if !ok {
				t.Fatalf("Validate() = %v, want a *lambdakit.ValidationError", err)
			}
			if !reflect.DeepEqual(verr.Fields, tt.want) {
				t.Errorf("fields:\n got %v\nwant %v", verr.Fields, tt.want)
			}
		})
	}
}

func TestValidateMessage(t *testing.T) {
	err := Envelope{}.Validate()
	want := "invalid envelope: data: must be a JSON object; id: is required; source: is required; time: is required; type: is required; version: must be at least 1, got 0"
	if err == nil || err.Error() != want {
		t.Errorf("Validate() = %v\nwant %s", err, want)
	}
}

func TestMessageAttributes(t *testing.T) {
	got := validEnvelope().MessageAttributes()
	if want := map[string]string{"type": "AccountOpened"}; !reflect.DeepEqual(got, want) {
		t.Errorf("MessageAttributes() = %v, want %v", got, want)
	}
}

func TestEnvelopeContext(t *testing.T) {
	tests := []struct {
		name          string
		id, corr, ctx string
		want          string
	}{
		{name: "the envelope's correlation id", id: "e-1", corr: "corr-1", ctx: "old", want: "corr-1"},
		{name: "the id starts a flow", id: "e-1", want: "e-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Envelope{ID: tt.id, CorrelationID: tt.corr}
			ctx := e.Context(lambdakit.WithCorrelationID(context.Background(), tt.ctx))
			if got := lambdakit.CorrelationID(ctx); got != tt.want {
				t.Errorf("CorrelationID = %q, want %q", got, tt.want)
			}
		})
	}
}
