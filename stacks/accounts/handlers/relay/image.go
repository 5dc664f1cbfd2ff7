package main

import (
	"errors"
	"fmt"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/streamimage"
	"github.com/stratum-platform/stratum/stacks/accounts/contract"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/account"
)

// decodeImage returns the registration that a stream record's image holds, after checking
// that it has what every event needs: an image of any other shape is a bug to stop on.
func decodeImage(image map[string]events.DynamoDBAttributeValue) (account.Account, error) {
	if len(image) == 0 {
		return account.Account{}, errors.New("is empty; the stream must have the view NEW_AND_OLD_IMAGES")
	}
	item, err := streamimage.Item(image)
	if err != nil {
		return account.Account{}, err
	}
	var a account.Account
	if err := attributevalue.UnmarshalMap(item, &a); err != nil {
		return account.Account{}, fmt.Errorf("decode: %w", err)
	}
	fields := account.KeyProblems(a.TenantID, a.AccountID)
	if fields == nil {
		fields = map[string]string{}
	}
	if a.Generation <= 0 {
		fields["generation"] = "must be above 0"
	}
	if a.Status != contract.StatusPending && a.Status != contract.StatusActive {
		fields["status"] = fmt.Sprintf("must be %q or %q, got %q", contract.StatusPending, contract.StatusActive, a.Status)
	}
	if len(fields) > 0 {
		return account.Account{}, fmt.Errorf("not a registration: %w", &lambdakit.ValidationError{Fields: fields})
	}
	return a, nil
}
