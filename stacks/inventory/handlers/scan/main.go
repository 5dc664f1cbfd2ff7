// Command scan refreshes the inventory of every connected account, hourly on a schedule:
// it asks the accounts context how to reach each account, assumes the account's reader
// role, lists its resources with the Resource Groups Tagging API, stores the difference
// and publishes InventoryChanged when there is one.
//
// Environment: ACCOUNTS_TABLE, RESOURCES_TABLE, CONNECTION_FUNCTION_ARN (the accounts
// context's connection function) and TOPIC_ARN (the inventory events topic).
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/stratum-platform/stratum/platform/runtime"
)

func main() {
	logger := runtime.NewLogger(os.Stdout)
	vars, err := runtime.RequireEnv(os.Getenv, "ACCOUNTS_TABLE", "RESOURCES_TABLE", "CONNECTION_FUNCTION_ARN", "TOPIC_ARN")
	if err != nil {
		logger.Error("scan cannot start", runtime.LogKeyError, err)
		os.Exit(1)
	}
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		logger.Error("scan cannot start", runtime.LogKeyError, fmt.Errorf("load aws config: %w", err))
		os.Exit(1)
	}
	h := &handler{
		db:                 dynamodb.NewFromConfig(cfg),
		functions:          awslambda.NewFromConfig(cfg),
		sts:                sts.NewFromConfig(cfg),
		tagging:            resourcegroupstaggingapi.NewFromConfig(cfg),
		topic:              sns.NewFromConfig(cfg),
		accountsTable:      vars["ACCOUNTS_TABLE"],
		resourcesTable:     vars["RESOURCES_TABLE"],
		connectionFunction: vars["CONNECTION_FUNCTION_ARN"],
		topicArn:           vars["TOPIC_ARN"],
		log:                logger,
		now:                time.Now,
	}
	lambda.Start(h.Handle)
}
