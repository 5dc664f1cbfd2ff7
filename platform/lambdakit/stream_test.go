package lambdakit

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// recordHandler acts on a record by its event name: "ok" succeeds, "fail" returns an error
// and "panic" panics. It records the sequence numbers it was called with.
func recordHandler(t *testing.T, called *[]string) func(context.Context, events.DynamoDBEventRecord) error {
	return func(ctx context.Context, rec events.DynamoDBEventRecord) error {
		*called = append(*called, rec.Change.SequenceNumber)
		switch rec.EventName {
		case "ok":
			Logger(ctx).Info("handled")
			return nil
		case "fail":
			return errBoom
		case "panic":
			panic("nil map")
		}
		t.Fatalf("unexpected event name %q", rec.EventName)
		return nil
	}
}

func TestProcessDynamoDBStream(t *testing.T) {
	tests := []struct {
		name       string
		records    []string // record i has sequence number "<i+1>00"
		cancel     bool
		wantCalled []string
		wantFailed []string
		wantLogs   []string // the "msg" and "sequence_number" of each record, in order
	}{
		{
			name:       "all succeed",
			records:    []string{"ok", "ok"},
			wantCalled: []string{"100", "200"},
			wantFailed: []string{},
			wantLogs:   []string{"handled 100", "handled 200"},
		},
		{
			name:       "empty batch",
			wantFailed: []string{},
		},
		{
			name:       "the first failure stops the batch, to keep the order",
			records:    []string{"ok", "fail", "ok", "fail"},
			wantCalled: []string{"100", "200"},
			wantFailed: []string{"200"},
			wantLogs:   []string{"handled 100", "record failed 200", "record not processed 300", "record not processed 400"},
		},
		{
			name:       "a panic is a failure",
			records:    []string{"panic", "ok"},
			wantCalled: []string{"100"},
			wantFailed: []string{"100"},
			wantLogs:   []string{"record failed 100", "record not processed 200"},
		},
		{
			name:       "an ended invocation processes nothing",
			records:    []string{"ok", "ok"},
			cancel:     true,
			wantFailed: []string{"100"},
			wantLogs:   []string{"record not processed 100", "record not processed 200"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ev events.DynamoDBEvent
			for i, name := range tt.records {
				rec := events.DynamoDBEventRecord{EventName: name}
				rec.Change.SequenceNumber = string(rune('1'+i)) + "00"
				ev.Records = append(ev.Records, rec)
			}
			var logs bytes.Buffer
			ctx := WithLogger(context.Background(), newLogger(&logs, env(nil)))
			if tt.cancel {
				var cancel context.CancelFunc
				ctx, cancel = context.WithCancel(ctx)
				cancel()
			}
			var called []string
			resp := ProcessDynamoDBStream(ctx, ev, recordHandler(t, &called))

			if !reflect.DeepEqual(called, tt.wantCalled) {
				t.Errorf("handled %v, want %v", called, tt.wantCalled)
			}
			failed := make([]string, 0, len(resp.BatchItemFailures))
			for _, f := range resp.BatchItemFailures {
				failed = append(failed, f.ItemIdentifier)
			}
			if !reflect.DeepEqual(failed, tt.wantFailed) {
				t.Errorf("failed %v, want %v", failed, tt.wantFailed)
			}
			var gotLogs []string
			for line := range strings.SplitSeq(strings.TrimSpace(logs.String()), "\n") {
				if line == "" {
					continue
				}
				var r map[string]any
				if err := json.Unmarshal([]byte(line), &r); err != nil {
					t.Fatal(err)
				}
				gotLogs = append(gotLogs, r["msg"].(string)+" "+r["sequence_number"].(string))
				msgErr, _ := r["error"].(string)
				stack, _ := r["stack"].(string)
				if strings.HasPrefix(msgErr, "panic: ") && !strings.Contains(stack, "handleMessage") {
					t.Errorf("a panic is logged without its stack: %s", line)
				}
			}
			if !reflect.DeepEqual(gotLogs, tt.wantLogs) {
				t.Errorf("logs:\n got %q\nwant %q", gotLogs, tt.wantLogs)
			}
		})
	}
}

func TestProcessDynamoDBStreamResponseJSON(t *testing.T) {
	resp := ProcessDynamoDBStream(context.Background(), events.DynamoDBEvent{}, func(context.Context, events.DynamoDBEventRecord) error { return nil })
	got, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"batchItemFailures":[]}`; string(got) != want {
		t.Errorf("response = %s, want %s", got, want)
	}
}
