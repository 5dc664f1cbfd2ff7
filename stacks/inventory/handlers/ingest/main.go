// Command ingest keeps the inventory's accounts table in step with the accounts context:
// it consumes AccountConnected and AccountDisconnected from an SQS queue subscribed to the
// accounts topic.
//
// Environment: ACCOUNTS_TABLE and RESOURCES_TABLE, the names of the two tables.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/stratum-platform/stratum/platform/runtime"
)

func main() {
	logger := runtime.NewLogger(os.Stdout)
	vars, err := runtime.RequireEnv(os.Getenv, "ACCOUNTS_TABLE", "RESOURCES_TABLE")
	if err != nil {
		logger.Error("ingest cannot start", runtime.LogKeyError, err)
		os.Exit(1)
	}
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		logger.Error("ingest cannot start", runtime.LogKeyError, fmt.Errorf("load aws config: %w", err))
		os.Exit(1)
	}
	h := &handler{
		db:             dynamodb.NewFromConfig(cfg),
		accountsTable:  vars["ACCOUNTS_TABLE"],
		resourcesTable: vars["RESOURCES_TABLE"],
		log:            logger,
	}
	lambda.Start(h.Handle)
}
