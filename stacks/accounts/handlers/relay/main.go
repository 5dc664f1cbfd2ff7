// Command relay publishes the accounts context's events from the accounts table's stream:
// the table is the outbox. Register, claim and remove only write the table; each change of a
// registration reaches the stream, and this function turns it into AccountConnected or
// AccountDisconnected on the events topic. A change is therefore announced whenever it is
// stored, even when a handler fails right after writing it, which was the gap of publishing
// from the handlers.
//
// Every event's id is the id of the stream record, so a record delivered again (a retried
// batch) is published again with the same id, and consumers drop it: each change is seen
// once. Records are handled in order and the first failure stops the batch
// (lambdakit.ProcessDynamoDBStream); Lambda retries from that record until it succeeds or
// expires from the stream, and the iterator-age alarm says when it is stuck.
//
// Environment: TOPIC_ARN (the events topic).
package main

import (
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

func main() {
	lambdakit.Main([]string{"TOPIC_ARN"}, func(s lambdakit.Setup) (any, error) {
		h := &handler{events: sns.NewFromConfig(s.AWS), topic: s.Env["TOPIC_ARN"]}
		return h.Handle, nil
	})
}
