// Command ingest keeps the inventory's accounts table in step with the accounts context:
// it consumes AccountConnected and AccountDisconnected from an SQS queue subscribed to the
// accounts topic, refusing any that another source sent. Each registration is its own
// item, keyed by tenant; a removal deletes that tenant's resources of the account only,
// and a registration that becomes the account's active one deletes every other tenant's.
//
// Environment: ACCOUNTS_TABLE and RESOURCES_TABLE, the names of the two tables.
package main

import (
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

func main() {
	lambdakit.Main([]string{"ACCOUNTS_TABLE", "RESOURCES_TABLE"}, func(s lambdakit.Setup) (any, error) {
		h := &handler{
			db:             dynamodb.NewFromConfig(s.AWS),
			accountsTable:  s.Env["ACCOUNTS_TABLE"],
			resourcesTable: s.Env["RESOURCES_TABLE"],
		}
		return h.Handle, nil
	})
}
