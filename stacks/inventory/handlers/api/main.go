// Command api serves the inventory HTTP API: GET /accounts/{accountId}/resources lists
// what the last scan found in an account of the caller's tenant. One function per major
// version runs it: version 1 answers a flat list, version 2 groups the resources by service.
// Requests are validated against that version's contract (stacks/inventory/api) first.
//
// Environment: ACCOUNTS_TABLE and RESOURCES_TABLE, the names of the two tables, and
// API_VERSION, the major version the function serves (1 or 2).
package main

import (
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

func main() {
	lambdakit.Main([]string{"ACCOUNTS_TABLE", "RESOURCES_TABLE", "API_VERSION"}, func(s lambdakit.Setup) (any, error) {
		contract, err := spec(s.Env["API_VERSION"])
		if err != nil {
			return nil, err
		}
		h := &handler{
			db:             dynamodb.NewFromConfig(s.AWS),
			accountsTable:  s.Env["ACCOUNTS_TABLE"],
			resourcesTable: s.Env["RESOURCES_TABLE"],
			version:        s.Env["API_VERSION"],
		}
		return contract.Wrap(h.Handle), nil
	})
}
