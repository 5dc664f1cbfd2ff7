package account

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

// The interfaces below are the single DynamoDB operations the store uses, so that each
// handler depends on only what it calls and its tests fake only that.

// Getter reads one item.
type Getter interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
}

// Putter writes one item.
type Putter interface {
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
}

// Deleter deletes one item.
type Deleter interface {
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
}

// Querier queries the table.
type Querier interface {
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
}

// Transactor writes several items, all or none.
type Transactor interface {
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, optFns ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// Create writes a unless the table holds its item already. It returns the stored account
// and whether this call created it: for an existing item, as when a client retries a
// registration, it returns the item as stored and changes nothing, so the external id a
// customer may already have put in a trust policy stays valid.
func Create(ctx context.Context, db Putter, table string, a Account) (Account, bool, error) {
	item, err := attributevalue.MarshalMap(a)
	if err != nil {
		return Account{}, false, fmt.Errorf("account %q: encode: %w", a.AccountID, err)
	}
	_, err = db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           aws.String(table),
		Item:                item,
		ConditionExpression: aws.String("attribute_not_exists(accountId)"),
		// The existing item comes back with the failure, which saves a GetItem.
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	if err == nil {
		return a, true, nil
	}
	failed, ok := errors.AsType[*types.ConditionalCheckFailedException](err)
	if !ok {
		return Account{}, false, fmt.Errorf("account %q: put item: %w", a.AccountID, err)
	}
	if len(failed.Item) == 0 {
		return Account{}, false, fmt.Errorf("account %q: put item: condition failed without the stored item: %w", a.AccountID, err)
	}
	stored, err := decode(failed.Item)
	if err != nil {
		return Account{}, false, fmt.Errorf("account %q: %w", a.AccountID, err)
	}
	return stored, false, nil
}

// Get returns the account id of tenant, or an error wrapping lambdakit.ErrNotFound. The read
// is strongly consistent, so that a client reads an account right after registering it.
func Get(ctx context.Context, db Getter, table, tenant, id string) (Account, error) {
	out, err := db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(table),
		Key:            key(tenant, id),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return Account{}, fmt.Errorf("account %q: get item: %w", id, err)
	}
	if len(out.Item) == 0 {
		return Account{}, fmt.Errorf("account %q: %w", id, lambdakit.ErrNotFound)
	}
	a, err := decode(out.Item)
	if err != nil {
		return Account{}, fmt.Errorf("account %q: %w", id, err)
	}
	return a, nil
}

// Page is one page of a tenant's accounts, as GET /accounts returns it.
type Page struct {
	Items []Account `json:"items"`
	// Next is the token of the next page, empty on the last page. DynamoDB may return one
	// after a page that happens to end with the last account; the next page is then empty.
	Next string `json:"next,omitempty"`
}

// List returns up to limit accounts of tenant in account id order, from the page that next
// names, or from the first when next is empty. A next that is not a token List returned for
// tenant fails with a *lambdakit.ValidationError for the field next.
func List(ctx context.Context, db Querier, table, tenant string, limit int32, next string) (Page, error) {
	var start map[string]types.AttributeValue
	if next != "" {
		id, err := decodeCursor(next, tenant)
		if err != nil {
			return Page{}, err
		}
		start = key(tenant, id)
	}
	out, err := db.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(table),
		KeyConditionExpression:    aws.String("tenantId = :tenant"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":tenant": str(tenant)},
		ExclusiveStartKey:         start,
		Limit:                     aws.Int32(limit),
		ConsistentRead:            aws.Bool(true),
	})
	if err != nil {
		return Page{}, fmt.Errorf("accounts of tenant %q: query: %w", tenant, err)
	}
	page := Page{Items: make([]Account, 0, len(out.Items))}
	for _, item := range out.Items {
		a, err := decode(item)
		if err != nil {
			return Page{}, fmt.Errorf("accounts of tenant %q: %w", tenant, err)
		}
		page.Items = append(page.Items, a)
	}
	if len(out.LastEvaluatedKey) > 0 {
		page.Next, err = encodeCursor(out.LastEvaluatedKey, tenant)
		if err != nil {
			return Page{}, fmt.Errorf("accounts of tenant %q: %w", tenant, err)
		}
	}
	return page, nil
}

func key(tenant, id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"tenantId": str(tenant), "accountId": str(id)}
}

func str(s string) types.AttributeValue {
	return &types.AttributeValueMemberS{Value: s}
}

func decode(item map[string]types.AttributeValue) (Account, error) {
	var a Account
	if err := attributevalue.UnmarshalMap(item, &a); err != nil {
		return Account{}, fmt.Errorf("decode item: %w", err)
	}
	return a, nil
}
