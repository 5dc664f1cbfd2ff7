package lambdakit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

var errBoom = errors.New("boom")

// handler acts on a message by its body: "ok" succeeds, "fail" returns an error, "panic"
// panics with a string and "panic-error" with an error. It records the ids it was called
// with and checks that the context's logger carries the message id.
func handler(t *testing.T, called *[]string) func(context.Context, events.SQSMessage) error {
	return func(ctx context.Context, msg events.SQSMessage) error {
		*called = append(*called, msg.MessageId)
		switch msg.Body {
		case "ok":
			Logger(ctx).Info("handled")
			return nil
		case "fail":
			return errBoom
		case "panic":
			panic("nil map")
		case "panic-error":
			panic(errBoom)
		}
		t.Fatalf("unexpected body %q", msg.Body)
		return nil
	}
}

func TestProcessSQS(t *testing.T) {
	const fifoARN = "arn:aws:sqs:eu-west-1:123456789012:acme-dev-accounts-orders.fifo"
	tests := []struct {
		name       string
		bodies     []string // message i has id "m<i>"
		arn        string
		group      bool // set MessageGroupId, as SQS does on FIFO queues
		cancel     bool
		wantCalled []string
		wantFailed []string
		wantLogs   []string // the "msg" and "message_id" of each record, in order
	}{
		{
			name:       "all succeed",
			bodies:     []string{"ok", "ok"},
			wantCalled: []string{"m0", "m1"},
			wantFailed: []string{},
			wantLogs:   []string{"handled m0", "handled m1"},
		},
		{
			name:       "empty batch",
			wantFailed: []string{},
		},
		{
			name:       "mixed failures on a standard queue",
			bodies:     []string{"ok", "fail", "ok", "panic", "panic-error", "ok"},
			wantCalled: []string{"m0", "m1", "m2", "m3", "m4", "m5"},
			wantFailed: []string{"m1", "m3", "m4"},
			wantLogs: []string{
				"handled m0", "message failed m1", "handled m2", "message failed m3",
				"message failed m4", "handled m5",
			},
		},
		{
			name:       "a FIFO queue stops at the first failure",
			bodies:     []string{"ok", "fail", "ok", "ok"},
			arn:        fifoARN,
			wantCalled: []string{"m0", "m1"},
			wantFailed: []string{"m1", "m2", "m3"},
			wantLogs:   []string{"handled m0", "message failed m1", "message not processed m2", "message not processed m3"},
		},
		{
			name:       "a FIFO queue known by its message group",
			bodies:     []string{"panic", "ok"},
			group:      true,
			wantCalled: []string{"m0"},
			wantFailed: []string{"m0", "m1"},
			wantLogs:   []string{"message failed m0", "message not processed m1"},
		},
		{
			name:       "an ended invocation processes nothing",
			bodies:     []string{"ok", "ok"},
			cancel:     true,
			wantFailed: []string{"m0", "m1"},
			wantLogs:   []string{"message not processed m0", "message not processed m1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ev events.SQSEvent
			for i, body := range tt.bodies {
				msg := events.SQSMessage{MessageId: "m" + string(rune('0'+i)), Body: body, EventSourceARN: tt.arn}
				if tt.group {
					msg.Attributes = map[string]string{"MessageGroupId": "g"}
				}
				ev.Records = append(ev.Records, msg)
			}
			var logs bytes.Buffer
			ctx := WithLogger(context.Background(), newLogger(&logs, env(nil)))
			ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{AwsRequestID: "req-1"})
			if tt.cancel {
				var cancel context.CancelFunc
				ctx, cancel = context.WithCancel(ctx)
				cancel()
			}
			var called []string
			resp := ProcessSQS(ctx, ev, handler(t, &called))

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
			for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
				if line == "" {
					continue
				}
				// Logger adds the request id once; a second copy would mean ProcessSQS
				// stored an enriched logger and the keys pile up.
				if n := strings.Count(line, `"request_id"`); n != 1 {
					t.Errorf("record has %d request ids: %s", n, line)
				}
				var r map[string]any
				if err := json.Unmarshal([]byte(line), &r); err != nil {
					t.Fatal(err)
				}
				gotLogs = append(gotLogs, r["msg"].(string)+" "+r["message_id"].(string))
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

func TestProcessSQSResponseJSON(t *testing.T) {
	resp := ProcessSQS(context.Background(), events.SQSEvent{}, func(context.Context, events.SQSMessage) error { return nil })
	got, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	// Lambda reads null and [] alike, but [] is what AWS documents for "no failures".
	if want := `{"batchItemFailures":[]}`; string(got) != want {
		t.Errorf("response = %s, want %s", got, want)
	}
}

func TestPanicError(t *testing.T) {
	err := handleMessage(context.Background(), events.SQSMessage{}, func(context.Context, events.SQSMessage) error {
		panic(errBoom)
	})
	if err == nil || err.Error() != "panic: boom" {
		t.Fatalf("error = %v, want panic: boom", err)
	}
	if !errors.Is(err, errBoom) {
		t.Errorf("errors.Is(%v, errBoom) = false", err)
	}
}
