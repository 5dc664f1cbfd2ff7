// Command api serves the inventory HTTP API: GET /accounts/{accountId}/resources lists
// what the last scan found in an account of the caller's tenant.
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
