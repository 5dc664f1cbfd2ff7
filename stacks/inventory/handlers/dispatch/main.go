// Command dispatch is the hourly start of the inventory scan: it sends one job per
// registration in the inventory's accounts table (tombstones left out) to the scan queue,
// whose consumer scans one account per invocation. A tenant with a large account thus takes
// its own invocation's time, never another tenant's; a job that fails is retried alone and
// ends in the queue's dead-letter queue, which alarms.
//
// Environment: ACCOUNTS_TABLE (the inventory's accounts table) and QUEUE_URL (the scan
// queue).
package main

import (
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

func main() {
	lambdakit.Main([]string{"ACCOUNTS_TABLE", "QUEUE_URL"}, func(s lambdakit.Setup) (any, error) {
		h := &handler{
			db:            dynamodb.NewFromConfig(s.AWS),
			queue:         sqs.NewFromConfig(s.AWS),
			accountsTable: s.Env["ACCOUNTS_TABLE"],
			queueURL:      s.Env["QUEUE_URL"],
		}
		return h.Handle, nil
	})
}
