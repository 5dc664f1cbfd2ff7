package main

import (
	"errors"
	"fmt"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/stacks/accounts/contract"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/account"
)

// decodeImage returns the registration that a stream record's image holds, after checking
// that it has what every event needs: an image of any other shape is a bug to stop on.
func decodeImage(image map[string]events.DynamoDBAttributeValue) (account.Account, error) {
	if len(image) == 0 {
		return account.Account{}, errors.New("is empty; the stream must have the view NEW_AND_OLD_IMAGES")
	}
	item, err := toItem(image)
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

// toItem converts a stream image, in aws-lambda-go's types, to the SDK's, which
// attributevalue decodes.
func toItem(image map[string]events.DynamoDBAttributeValue) (map[string]types.AttributeValue, error) {
	item := make(map[string]types.AttributeValue, len(image))
	for name, v := range image {
		av, err := toAttribute(v)
		if err != nil {
			return nil, fmt.Errorf("attribute %q: %w", name, err)
		}
		item[name] = av
	}
	return item, nil
}

func toAttribute(v events.DynamoDBAttributeValue) (types.AttributeValue, error) {
	switch v.DataType() {
	case events.DataTypeString:
		return &types.AttributeValueMemberS{Value: v.String()}, nil
	case events.DataTypeNumber:
		return &types.AttributeValueMemberN{Value: v.Number()}, nil
	case events.DataTypeBoolean:
		return &types.AttributeValueMemberBOOL{Value: v.Boolean()}, nil
	case events.DataTypeNull:
		return &types.AttributeValueMemberNULL{Value: true}, nil
	case events.DataTypeBinary:
		return &types.AttributeValueMemberB{Value: v.Binary()}, nil
	case events.DataTypeStringSet:
		return &types.AttributeValueMemberSS{Value: v.StringSet()}, nil
	case events.DataTypeNumberSet:
		return &types.AttributeValueMemberNS{Value: v.NumberSet()}, nil
	case events.DataTypeBinarySet:
		return &types.AttributeValueMemberBS{Value: v.BinarySet()}, nil
	case events.DataTypeMap:
		m, err := toItem(v.Map())
		return &types.AttributeValueMemberM{Value: m}, err
	case events.DataTypeList:
		list := make([]types.AttributeValue, 0, len(v.List()))
		for i, e := range v.List() {
			av, err := toAttribute(e)
			if err != nil {
				return nil, fmt.Errorf("element %d: %w", i, err)
			}
			list = append(list, av)
		}
		return &types.AttributeValueMemberL{Value: list}, nil
	}
	return nil, fmt.Errorf("unknown data type %v", v.DataType())
}
