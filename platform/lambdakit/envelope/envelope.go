package envelope

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

// MessageAttributeType is the SNS message attribute that carries an event's type.
// Subscriptions filter on it, so a consumer's queue only receives the types it handles.
const MessageAttributeType = "type"

// typePattern is the rule for event types, as Validate reports it: a past-tense noun
// phrase in PascalCase, such as "AccountOpened".
const typePattern = "^[A-Z][A-Za-z]+$"

// Sentinel errors of Decode, so that a consumer can tell an event it was never meant to
// handle from one it failed to handle.
var (
	ErrUnexpectedType     = errors.New("unexpected event type")
	ErrUnsupportedVersion = errors.New("unsupported event version")
)

// Envelope is how every domain event travels between contexts: the metadata that routing,
// tracing and deduplication need, around the event's own data.
type Envelope struct {
	// ID is unique per event; consumers use it to drop the duplicates that SNS and SQS may
	// deliver.
	ID string `json:"id"`
	// Type names what happened, such as "AccountOpened"; it must match ^[A-Z][A-Za-z]+$.
	Type string `json:"type"`
	// Version is the version of Data's schema, from 1. It changes only for a change that
	// breaks consumers; adding a field does not.
	Version int `json:"version"`
	// Source is the context that published the event.
	Source string `json:"source"`
	// Time is when the event happened, in UTC.
	Time time.Time `json:"time"`
	// CorrelationID follows one business flow across requests, events and functions.
	CorrelationID string `json:"correlationId"`
	// Data is the event itself, a JSON object.
	Data json.RawMessage `json:"data"`
}

// New returns a valid envelope for data published by source: a new random id, the current
// time in UTC to the millisecond, and the correlation id of ctx, or the new id when
// ctx has none so that this event starts a flow.
func New(ctx context.Context, source, typ string, version int, data any) (Envelope, error) {
	return newEnvelope(ctx, source, typ, version, data, rand.Reader, time.Now)
}

// newEnvelope is New with its sources of randomness and time passed in, so that tests can
// check exact ids and times.
func newEnvelope(ctx context.Context, source, typ string, version int, data any, entropy io.Reader, now func() time.Time) (Envelope, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return Envelope{}, fmt.Errorf("event %q: data: %w", typ, err)
	}
	id, err := newID(entropy)
	if err != nil {
		return Envelope{}, fmt.Errorf("event %q: id: %w", typ, err)
	}
	e := Envelope{
		ID:      id,
		Type:    typ,
		Version: version,
		Source:  source,
		// Milliseconds are what other languages' clocks and JSON libraries keep, so the
		// time reads back equal wherever the event is consumed.
		Time:          now().UTC().Truncate(time.Millisecond),
		CorrelationID: lambdakit.CorrelationID(ctx),
		Data:          raw,
	}
	if e.CorrelationID == "" {
		e.CorrelationID = id
	}
	if err := e.Validate(); err != nil {
		return Envelope{}, err
	}
	return e, nil
}

// newID returns a random UUID (version 4) read from r.
func newID(r io.Reader) (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("read random bytes: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40 // version 4: random
	b[8] = b[8]&0x3f | 0x80 // the variant of RFC 9562
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}

// Validate reports every problem of e at once, as a *lambdakit.ValidationError keyed by
// JSON field name: an empty id or source, a type that does not match ^[A-Z][A-Za-z]+$, a
// version below 1, a zero time, and data that is not a JSON object.
func (e Envelope) Validate() error {
	fields := make(map[string]string)
	if strings.TrimSpace(e.ID) == "" {
		fields["id"] = "is required"
	}
	switch {
	case e.Type == "":
		fields["type"] = "is required"
	case !validType(e.Type):
		fields["type"] = fmt.Sprintf("%q does not match %s", e.Type, typePattern)
	}
	if e.Version < 1 {
		fields["version"] = fmt.Sprintf("must be at least 1, got %d", e.Version)
	}
	if strings.TrimSpace(e.Source) == "" {
		fields["source"] = "is required"
	}
	if e.Time.IsZero() {
		fields["time"] = "is required"
	}
	if !isJSONObject(e.Data) {
		fields["data"] = "must be a JSON object"
	}
	if len(fields) > 0 {
		return fmt.Errorf("invalid envelope: %w", &lambdakit.ValidationError{Fields: fields})
	}
	return nil
}

// validType reports whether s matches typePattern. A loop says it without a compiled
// regular expression, which would have to be a global or be compiled on every call.
func validType(s string) bool {
	if len(s) < 2 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for _, c := range []byte(s[1:]) {
		if (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') {
			return false
		}
	}
	return true
}

// isJSONObject reports whether data is exactly one JSON object. An object, rather than
// any value, leaves room to add fields to every event later.
func isJSONObject(data []byte) bool {
	data = bytes.TrimSpace(data)
	return len(data) > 0 && data[0] == '{' && json.Valid(data)
}

// MessageAttributes returns the SNS message attributes to publish e with: its type, under
// MessageAttributeType, which subscription filter policies match on.
func (e Envelope) MessageAttributes() map[string]string {
	return map[string]string{MessageAttributeType: e.Type}
}

// Context returns a copy of ctx carrying e's correlation id, so that what a consumer logs
// and publishes joins the flow that published e. An envelope without one starts a flow
// with its own id.
func (e Envelope) Context(ctx context.Context) context.Context {
	if e.CorrelationID != "" {
		return lambdakit.WithCorrelationID(ctx, e.CorrelationID)
	}
	return lambdakit.WithCorrelationID(ctx, e.ID)
}

// Decode returns the data of e as a T, after checking that e is a valid envelope of type
// typ and version version. A consumer that handles several versions switches on e.Version
// and decodes each with its own T, because a new version is by definition one that the
// old T cannot read.
//
// Fields of the data that T does not know are ignored on purpose, unlike api.DecodeBody:
// producers add optional fields without a new version, and consumers deployed before the
// change must keep working.
func Decode[T any](e Envelope, typ string, version int) (T, error) {
	var data T
	if e.Type != typ {
		return data, fmt.Errorf("%w %q, want %q", ErrUnexpectedType, e.Type, typ)
	}
	if e.Version != version {
		return data, fmt.Errorf("event %q: %w %d, want %d", e.Type, ErrUnsupportedVersion, e.Version, version)
	}
	if err := e.Validate(); err != nil {
		return data, fmt.Errorf("event %q: %w", e.Type, err)
	}
	if err := json.Unmarshal(e.Data, &data); err != nil {
		var zero T // Unmarshal may have filled part of data before it failed.
		return zero, fmt.Errorf("event %q version %d: data: %w", e.Type, e.Version, err)
	}
	return data, nil
}

// Parse returns the envelope encoded in body, after checking it with Validate, with its
// time in UTC whatever zone the producer wrote. Unknown fields of the envelope are ignored,
// for the same reason as in Decode.
func Parse(body string) (Envelope, error) {
	var e Envelope
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		return Envelope{}, fmt.Errorf("invalid envelope: %w", err)
	}
	e.Time = e.Time.UTC()
	if err := e.Validate(); err != nil {
		return Envelope{}, err
	}
	return e, nil
}

// FromSQS returns the envelope that SNS delivered to an SQS queue in msg. The platform
// subscribes queues with raw message delivery, so the body is the envelope itself; a body
// that is an SNS notification (raw delivery off, as in a subscription made by hand) is
// unwrapped too, rather than failing until the message reaches the dead-letter queue.
func FromSQS(msg events.SQSMessage) (Envelope, error) {
	message, ok := snsMessage(msg.Body)
	if !ok {
		return Parse(msg.Body)
	}
	e, err := Parse(message)
	if err != nil {
		return Envelope{}, fmt.Errorf("sns notification: %w", err)
	}
	return e, nil
}

// snsMessage returns the Message of body when body is an SNS notification. It matches
// keys exactly, unlike decoding into a struct, because an envelope's own "type" would
// otherwise pass for the notification's "Type".
func snsMessage(body string) (string, bool) {
	var fields map[string]json.RawMessage
	if json.Unmarshal([]byte(body), &fields) != nil {
		return "", false
	}
	var typ, message string
	if json.Unmarshal(fields["Type"], &typ) != nil || typ != "Notification" {
		return "", false
	}
	if json.Unmarshal(fields["Message"], &message) != nil {
		return "", false
	}
	return message, true
}
