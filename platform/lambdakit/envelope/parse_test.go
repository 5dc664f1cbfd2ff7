package envelope

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

func TestEnvelopeRoundTrip(t *testing.T) {
	e, err := New(lambdakit.WithCorrelationID(context.Background(), "corr-1"), "accounts", "AccountOpened", 1,
		accountOpened{AccountID: "a-1", Owner: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(string(body))
	if err != nil {
		t.Fatalf("Parse(%s) = %v", body, err)
	}
	if !reflect.DeepEqual(got, e) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, e)
	}
	data, err := Decode[accountOpened](got, "AccountOpened", 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := (accountOpened{AccountID: "a-1", Owner: "ann"}); data != want {
		t.Errorf("data = %+v, want %+v", data, want)
	}
}

// validBody is the JSON of validEnvelope.
const validBody = `{"id":"00000000-0000-4000-8000-000000000000","type":"AccountOpened","version":1,"source":"accounts","time":"2026-03-04T05:07:08.123Z","correlationId":"corr-1","data":{"accountId":"a-1","owner":"ann"}}`

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		wantErr string
	}{
		{name: "valid", body: validBody},
		{name: "unknown envelope fields are ignored", body: `{"subject":"x",` + validBody[1:]},
		{name: "time in another zone", body: strings.Replace(validBody, "05:07:08.123Z", "07:07:08.123+02:00", 1)},
		{name: "not JSON", body: `hello`, wantErr: "invalid envelope: invalid character 'h' looking for beginning of value"},
		{name: "trailing data", body: validBody + `{}`, wantErr: "invalid envelope: invalid character '{' after top-level value"},
		{name: "bad time", body: `{"time":"yesterday"}`, wantErr: `invalid envelope: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"`},
		{name: "invalid fields", body: `{"type":"x","version":1,"data":{}}`, wantErr: `invalid envelope: id: is required; source: is required; time: is required; type: "x" does not match ^[A-Z][A-Za-z]+$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.body)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v\nwant %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := validEnvelope(); !reflect.DeepEqual(got, want) {
				t.Errorf("envelope:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name     string
		change   func(*Envelope)
		typ      string
		version  int
		want     accountOpened
		wantErr  string
		wantIs   error
		wantZero bool
	}{
		{name: "valid", typ: "AccountOpened", version: 1, want: accountOpened{AccountID: "a-1", Owner: "ann"}},
		{
			name:    "unknown data fields are tolerated",
			change:  func(e *Envelope) { e.Data = json.RawMessage(`{"accountId":"a-1","plan":"gold"}`) },
			typ:     "AccountOpened",
			version: 1,
			want:    accountOpened{AccountID: "a-1"},
		},
		{
			name:    "another type",
			typ:     "AccountClosed",
			version: 1,
			wantErr: `unexpected event type "AccountOpened", want "AccountClosed"`,
			wantIs:  ErrUnexpectedType,
		},
		{
			name:    "a newer version",
			change:  func(e *Envelope) { e.Version = 2 },
			typ:     "AccountOpened",
			version: 1,
			wantErr: `event "AccountOpened": unsupported event version 2, want 1`,
			wantIs:  ErrUnsupportedVersion,
		},
		{
			name:    "an invalid envelope",
			change:  func(e *Envelope) { e.Source = "" },
			typ:     "AccountOpened",
			version: 1,
			wantErr: `event "AccountOpened": invalid envelope: source: is required`,
		},
		{
			name:    "data of the wrong shape",
			change:  func(e *Envelope) { e.Data = json.RawMessage(`{"accountId":"a-1","owner":7}`) },
			typ:     "AccountOpened",
			version: 1,
			wantErr: `event "AccountOpened" version 1: data: json: cannot unmarshal number into Go struct field accountOpened.owner of type string`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEnvelope()
			if tt.change != nil {
				tt.change(&e)
			}
			got, err := Decode[accountOpened](e, tt.typ, tt.version)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v\nwant %s", err, tt.wantErr)
				}
				if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
					t.Errorf("errors.Is(%v, %v) = false", err, tt.wantIs)
				}
				if got != (accountOpened{}) {
					t.Errorf("data = %+v on error, want the zero value", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("data = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestFromSQS(t *testing.T) {
	notification := func(message string) string {
		b, err := json.Marshal(map[string]string{
			"Type":      "Notification",
			"MessageId": "m-1",
			"TopicArn":  "arn:aws:sns:eu-west-1:123456789012:acme-dev-accounts-events",
			"Message":   message,
		})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	// An event may itself be called "Notification": raw delivery must not mistake it for
	// an SNS wrapper.
	notificationEvent := validEnvelope()
	notificationEvent.Type = "Notification"
	notificationBody, err := json.Marshal(notificationEvent)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		body    string
		want    Envelope
		wantErr string
	}{
		{name: "raw delivery", body: validBody, want: validEnvelope()},
		{name: "sns notification", body: notification(validBody), want: validEnvelope()},
		{name: "raw event named Notification", body: string(notificationBody), want: notificationEvent},
		{
			name:    "sns notification of an invalid envelope",
			body:    notification(`{}`),
			wantErr: "sns notification: invalid envelope: data: must be a JSON object; id: is required; source: is required; time: is required; type: is required; version: must be at least 1, got 0",
		},
		{
			name:    "sns notification whose message is not JSON",
			body:    notification(`hello`),
			wantErr: "sns notification: invalid envelope: invalid character 'h' looking for beginning of value",
		},
		{
			name:    "other notification types are not unwrapped",
			body:    `{"Type":"SubscriptionConfirmation","Message":"{}"}`,
			wantErr: "invalid envelope: data: must be a JSON object; id: is required; source: is required; time: is required; version: must be at least 1, got 0",
		},
		{name: "empty body", body: ``, wantErr: "invalid envelope: unexpected end of JSON input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromSQS(events.SQSMessage{MessageId: "sqs-1", Body: tt.body})
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v\nwant %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("envelope:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
