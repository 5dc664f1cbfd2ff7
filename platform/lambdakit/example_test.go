package lambdakit_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/envelope"
)

type accountOpened struct {
	AccountID string `json:"accountId"`
}

// Getter is what the example's handler calls: a small interface, so that its tests use a
// fake instead of DynamoDB.
type Getter interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
}

type handler struct {
	db    Getter
	table string
}

// Handle answers a direct invocation with whether the account id exists.
func (h *handler) Handle(ctx context.Context, id string) (bool, error) {
	out, err := h.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(h.table),
		Key:       map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: id}},
	})
	if err != nil {
		return false, fmt.Errorf("account %q: %w", id, err)
	}
	return out.Item != nil, nil
}

// A handler's main is only its wiring: Main starts the logger, checks that TABLE_NAME is
// set, loads the AWS configuration, then serves h.Handle.
func ExampleMain() {
	lambdakit.Main([]string{"TABLE_NAME"}, func(s lambdakit.Setup) (any, error) {
		h := &handler{db: dynamodb.NewFromConfig(s.AWS), table: s.Env["TABLE_NAME"]}
		return h.Handle, nil
	})
}

func ExampleLogger() {
	// A logger without times, so that the output is the same on every run. In Lambda, Main
	// stores the function's logger and every invocation's context carries it.
	logger := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	ctx := lambdakit.WithLogger(context.Background(), logger)
	ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{AwsRequestID: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"})
	ctx = lambdakit.WithCorrelationID(ctx, "order-42")

	lambdakit.Logger(ctx).Info("account opened", "account_id", "a-1")
	// Output:
	// {"level":"INFO","msg":"account opened","request_id":"c6af9ac6-7b61-11e6-9a41-93e8deadbeef","correlation_id":"order-42","account_id":"a-1"}
}

// A consumer of AccountOpened events from an SQS queue subscribed to the accounts topic.
func ExampleProcessSQS() {
	handle := func(ctx context.Context, msg events.SQSMessage) error {
		e, err := envelope.FromSQS(msg)
		if err != nil {
			return err
		}
		ctx = e.Context(ctx)
		data, err := envelope.Decode[accountOpened](e, "AccountOpened", 1)
		if err != nil {
			return err
		}
		fmt.Println("welcome", data.AccountID, "in flow", lambdakit.CorrelationID(ctx))
		return nil
	}

	ctx := lambdakit.WithLogger(context.Background(), slog.New(slog.DiscardHandler))
	ev := events.SQSEvent{Records: []events.SQSMessage{
		{MessageId: "m-1", Body: `{"id":"e-1","type":"AccountOpened","version":1,"source":"accounts","time":"2026-03-04T05:06:07.089Z","correlationId":"order-42","data":{"accountId":"a-1"}}`},
		{MessageId: "m-2", Body: `{"id":"e-2","type":"AccountOpened","version":2,"source":"accounts","time":"2026-03-04T05:06:07.089Z","correlationId":"order-43","data":{"accountId":"a-2"}}`},
		{MessageId: "m-3", Body: `not an event`},
	}}
	resp := batchResponseJSON(ctx, ev, handle)
	fmt.Println(resp)
	// Output:
	// welcome a-1 in flow order-42
	// {"batchItemFailures":[{"itemIdentifier":"m-2"},{"itemIdentifier":"m-3"}]}
}

// batchResponseJSON returns the response of lambdakit.ProcessSQS as the JSON that Lambda
// sends back to the event source mapping.
func batchResponseJSON(ctx context.Context, ev events.SQSEvent, handle func(context.Context, events.SQSMessage) error) string {
	b, err := json.Marshal(lambdakit.ProcessSQS(ctx, ev, handle))
	if err != nil {
		return err.Error()
	}
	return string(b)
}
