package envelope

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzParse checks that Parse never panics, that what it accepts is valid,
// and that an accepted envelope encodes and parses back to itself.
func FuzzParse(f *testing.F) {
	f.Add(validBody)
	f.Add(`{"id":"x","type":"Ab","version":1,"source":"s","time":"2026-01-01T00:00:00Z","data":{ }}`)
	f.Add(`{"Type":"Notification","Message":"{}"}`)
	f.Add(`{"data":null}`)
	f.Fuzz(func(t *testing.T, body string) {
		e, err := Parse(body)
		if err != nil {
			return
		}
		if err := e.Validate(); err != nil {
			t.Fatalf("Parse accepted an invalid envelope: %v", err)
		}
		out, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("encode %+v: %v", e, err)
		}
		again, err := Parse(string(out))
		if err != nil {
			t.Fatalf("Parse(%s) = %v after encoding an accepted envelope", out, err)
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
