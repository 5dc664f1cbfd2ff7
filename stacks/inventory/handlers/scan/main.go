// Command scan refreshes the inventory of one tenant's registration of one account per
// message of the scan queue, which the hourly dispatch fills: it asks the accounts context
// how to reach the account for that tenant, assumes the account's reader role with a
// session that may only list resources, claims the account for the registration when it is
// still pending, lists the resources with the Resource Groups Tagging API, stores the
// difference while the registration is current and publishes InventoryChanged when there
// is one.
//
// Environment: ACCOUNTS_TABLE, RESOURCES_TABLE, CONNECTION_FUNCTION_ARN and
// CLAIM_FUNCTION_ARN (the accounts context's functions), TOPIC_ARN (the inventory events
// topic), ENVIRONMENT (dev, prod, ...) and READER_ROLE_NAME (the role to assume in customer
// accounts).
package main

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

func main() {
	required := []string{"ACCOUNTS_TABLE", "RESOURCES_TABLE", "CONNECTION_FUNCTION_ARN", "CLAIM_FUNCTION_ARN",
		"TOPIC_ARN", "ENVIRONMENT", "READER_ROLE_NAME"}
	lambdakit.Main(required, func(s lambdakit.Setup) (any, error) {
		h := &handler{
			db:                 dynamodb.NewFromConfig(s.AWS),
			functions:          awslambda.NewFromConfig(s.AWS),
			sts:                sts.NewFromConfig(s.AWS),
			tagging:            resourcegroupstaggingapi.NewFromConfig(s.AWS),
			topic:              sns.NewFromConfig(s.AWS),
			accountsTable:      s.Env["ACCOUNTS_TABLE"],
			resourcesTable:     s.Env["RESOURCES_TABLE"],
			connectionFunction: s.Env["CONNECTION_FUNCTION_ARN"],
			claimFunction:      s.Env["CLAIM_FUNCTION_ARN"],
			topicArn:           s.Env["TOPIC_ARN"],
			env:                s.Env["ENVIRONMENT"],
			readerRole:         s.Env["READER_ROLE_NAME"],
			now:                time.Now,
		}
		return h.Handle, nil
	})
}
