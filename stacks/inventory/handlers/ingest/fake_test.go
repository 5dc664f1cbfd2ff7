package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/stratum-platform/stratum/stacks/inventory/handlers/internal/store"
)

// fakeDB is an in-memory pair of tables keyed by tenant. PutItem applies the handler's
// conditions the way DynamoDB evaluates them, so that tests can replay events twice and out
// of order; Query serves the resources table (consistent reads only, as the handler must
// read after its own tombstone) and the accounts table's index by account.
type fakeDB struct {
	accounts  map[[2]string]store.Account          // by tenant and account id
	resources map[string]map[string]store.Resource // by partition key, then ARN
	puts      int
	putErr    error
	queryErr  error
	batchErr  error // returned once, then cleared
}

func newFakeDB() *fakeDB {
	return &fakeDB{accounts: map[[2]string]store.Account{}, resources: map[string]map[string]store.Resource{}}
}

func (f *fakeDB) account(tenant, id string) (store.Account, bool) {
	a, ok := f.accounts[[2]string{tenant, id}]
	return a, ok
}

func (f *fakeDB) PutItem(_ context.Context, in *dynamodb.PutItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	f.puts++
	if f.putErr != nil {
		return nil, f.putErr
	}
	if *in.TableName != "accounts" {
		return nil, fmt.Errorf("fake: put to %s", *in.TableName)
	}
	var a store.Account
	if err := attributevalue.UnmarshalMap(in.Item, &a); err != nil {
		return nil, err
	}
	g, err := strconv.ParseInt(in.ExpressionAttributeValues[":g"].(*types.AttributeValueMemberN).Value, 10, 64)
	if err != nil {
		return nil, err
	}
	old, exists := f.account(a.TenantID, a.AccountID)
	var ok bool
	switch *in.ConditionExpression {
	case pendingCondition:
		ok = !exists || old.Generation < g
	case activeCondition:
		ok = !exists || old.Generation < g || (old.Generation == g && !old.Disconnected())
	case disconnectCondition:
		ok = !exists || old.Generation <= g
	default:
		return nil, fmt.Errorf("fake: unknown condition %q", *in.ConditionExpression)
	}
	if !ok {
		return nil, &types.ConditionalCheckFailedException{Message: new("The conditional request failed")}
	}
	f.accounts[[2]string{a.TenantID, a.AccountID}] = a
	return &dynamodb.PutItemOutput{}, nil
}

func (f *fakeDB) Query(_ context.Context, in *dynamodb.QueryInput, _ ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	if f.queryErr != nil {
		return nil, f.queryErr
	}
	out := &dynamodb.QueryOutput{}
	switch {
	case *in.TableName == "resources" && in.IndexName == nil && *in.KeyConditionExpression == "accountKey = :k":
		if in.ConsistentRead == nil || !*in.ConsistentRead {
			return nil, errors.New("fake: an eventually consistent read could miss what a scan just wrote")
		}
		key := in.ExpressionAttributeValues[":k"].(*types.AttributeValueMemberS).Value
		for _, arn := range slices.Sorted(maps.Keys(f.resources[key])) {
			item, err := attributevalue.MarshalMap(f.resources[key][arn])
			if err != nil {
				return nil, err
			}
			out.Items = append(out.Items, item)
		}
	case *in.TableName == "accounts" && in.IndexName != nil && *in.IndexName == store.IndexByAccountID && *in.KeyConditionExpression == "accountId = :a":
		id := in.ExpressionAttributeValues[":a"].(*types.AttributeValueMemberS).Value
		for k := range f.accounts {
			if k[1] == id {
				// The index projects the keys only.
				out.Items = append(out.Items, store.AccountKey(k[0], k[1]))
			}
		}
	default:
		return nil, fmt.Errorf("fake: unsupported query %+v", in)
	}
	return out, nil
}

func (f *fakeDB) BatchWriteItem(_ context.Context, in *dynamodb.BatchWriteItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	if err := f.batchErr; err != nil {
		f.batchErr = nil
		return nil, err
	}
	for _, req := range in.RequestItems["resources"] {
		key := req.DeleteRequest.Key
		partition := key[store.AttrAccountKey].(*types.AttributeValueMemberS).Value
		delete(f.resources[partition], key[store.AttrResourceArn].(*types.AttributeValueMemberS).Value)
	}
	return &dynamodb.BatchWriteItemOutput{}, nil
}

// addResources stores resources of tenant's accountID, as a scan would have.
func (f *fakeDB) addResources(tenant, accountID string, arns ...string) {
	key := store.PartitionKey(tenant, accountID)
	if f.resources[key] == nil {
		f.resources[key] = map[string]store.Resource{}
	}
	for _, arn := range arns {
		f.resources[key][arn] = store.Resource{AccountKey: key, TenantID: tenant, AccountID: accountID, ResourceArn: arn,
			ResourceType: "s3:bucket", Tags: map[string]string{}}
	}
}

// count returns how many resources tenant has of accountID.
func (f *fakeDB) count(tenant, accountID string) int {
	return len(f.resources[store.PartitionKey(tenant, accountID)])
}
