// Command scan refreshes the inventory of every connected account, hourly on a schedule:
// it asks the accounts context how to reach each account, assumes the account's reader
// role, lists its resources with the Resource Groups Tagging API, stores the difference
// and publishes InventoryChanged when there is one.
//
// Environment: ACCOUNTS_TABLE, RESOURCES_TABLE, CONNECTION_FUNCTION_ARN (the accounts
// context's connection function) and TOPIC_ARN (the inventory events topic).
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
	required := []string{"ACCOUNTS_TABLE", "RESOURCES_TABLE", "CONNECTION_FUNCTION_ARN", "TOPIC_ARN"}
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
			topicArn:           s.Env["TOPIC_ARN"],
			now:                time.Now,
		}
		return h.Handle, nil
	})
}
