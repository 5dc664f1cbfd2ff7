package envelope_test

import (
	"context"
	"fmt"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/envelope"
)

type accountOpened struct {
	AccountID string `json:"accountId"`
}

func ExampleNew() {
	ctx := lambdakit.WithCorrelationID(context.Background(), "order-42")
	e, err := envelope.New(ctx, "accounts", "AccountOpened", 1, accountOpened{AccountID: "a-1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Publish json.Marshal(e) to the topic, with e.MessageAttributes() as attributes.
	fmt.Println(e.Type, e.Version, e.Source, e.CorrelationID, string(e.Data))
	fmt.Println(e.MessageAttributes())

	_, err = envelope.New(ctx, "accounts", "account.opened", 0, nil)
	fmt.Println(err)
	// Output:
	// AccountOpened 1 accounts order-42 {"accountId":"a-1"}
	// map[type:AccountOpened]
	// invalid envelope: data: must be a JSON object; type: "account.opened" does not match ^[A-Z][A-Za-z]+$; version: must be at least 1, got 0
}
