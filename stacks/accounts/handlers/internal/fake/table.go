// Package fake has in-memory stand-ins for the accounts table and events topic, and helpers
// to build requests, for the unit tests of the accounts handlers; only tests import it.
//
// Table implements the operations and expressions that the account store uses with
// DynamoDB's semantics (conditions, consistent reads, pages and their last evaluated key),
// and fails on any other expression or on the wrong table or index name, so that a change
// of the store cannot pass against a fake that ignores it. Its errors are wrapped in a
// smithy.OperationError, as the SDK's are.
package fake

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
)

// The names of the Table's operations, for Fail and Calls.
const (
	GetItem    = "GetItem"
	PutItem    = "PutItem"
	DeleteItem = "DeleteItem"
	Query      = "Query"
)

// Table is an in-memory accounts table: hash key tenantId, range key accountId, and one
// global secondary index on accountId with projection ALL. It is safe for concurrent use.
type Table struct {
	name, index string

	mu    sync.Mutex
	items map[itemKey]map[string]types.AttributeValue
	errs  map[string]error
	calls map[string]int
}

type itemKey struct{ tenant, account string }

// NewTable returns an empty table called name, with the index called index.
func NewTable(name, index string) *Table {
	return &Table{
		name:  name,
		index: index,
		items: make(map[itemKey]map[string]types.AttributeValue),
		errs:  make(map[string]error),
		calls: make(map[string]int),
	}
}

// Seed stores each of values, encoded with attributevalue.MarshalMap, as an item.
func (t *Table) Seed(tb testing.TB, values ...any) {
	tb.Helper()
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, v := range values {
		item, err := attributevalue.MarshalMap(v)
		if err != nil {
			tb.Fatalf("seed: %v", err)
		}
		k, err := keyOf(item)
		if err != nil {
			tb.Fatalf("seed: %v", err)
		}
		t.items[k] = item
	}
}

// Fail makes every later call of the operation op fail with err; a nil err ends that.
func (t *Table) Fail(op string, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.errs[op] = err
}

// Calls returns how many times the operation op was called, failed calls included.
func (t *Table) Calls(op string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.calls[op]
}

// Len returns the number of items.
func (t *Table) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.items)
}

// Item returns the item with the key (tenant, account), or nil.
func (t *Table) Item(tenant, account string) map[string]types.AttributeValue {
	t.mu.Lock()
	defer t.mu.Unlock()
	return maps.Clone(t.items[itemKey{tenant, account}])
}

// start counts a call of op and returns the error it must fail with, if any. The caller
// holds t.mu.
func (t *Table) start(op string, table *string) error {
	t.calls[op]++
	if err := t.errs[op]; err != nil {
		return opError(op, err)
	}
	if aws.ToString(table) != t.name {
		return opError(op, &types.ResourceNotFoundException{Message: aws.String("table " + aws.ToString(table) + " not found")})
	}
	return nil
}

// GetItem implements dynamodb.Client.GetItem.
func (t *Table) GetItem(_ context.Context, in *dynamodb.GetItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.start(GetItem, in.TableName); err != nil {
		return nil, err
	}
	k, err := keyOf(in.Key)
	if err != nil || len(in.Key) != 2 {
		return nil, opError(GetItem, fmt.Errorf("fake: invalid key: %w", err))
	}
	return &dynamodb.GetItemOutput{Item: maps.Clone(t.items[k])}, nil
}

// PutItem implements dynamodb.Client.PutItem, with the condition
// attribute_not_exists(accountId) or none.
func (t *Table) PutItem(_ context.Context, in *dynamodb.PutItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.start(PutItem, in.TableName); err != nil {
		return nil, err
	}
	k, err := keyOf(in.Item)
	if err != nil {
		return nil, opError(PutItem, err)
	}
	old, exists := t.items[k]
	switch cond := aws.ToString(in.ConditionExpression); cond {
	case "":
	case "attribute_not_exists(accountId)":
		if exists {
			return nil, conditionFailed(PutItem, old, in.ReturnValuesOnConditionCheckFailure)
		}
	default:
		return nil, opError(PutItem, fmt.Errorf("fake: unsupported condition %q", cond))
	}
	t.items[k] = maps.Clone(in.Item)
	return &dynamodb.PutItemOutput{}, nil
}

// DeleteItem implements dynamodb.Client.DeleteItem, with the condition
// attribute_exists(accountId) or none.
func (t *Table) DeleteItem(_ context.Context, in *dynamodb.DeleteItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.start(DeleteItem, in.TableName); err != nil {
		return nil, err
	}
	k, err := keyOf(in.Key)
	if err != nil || len(in.Key) != 2 {
		return nil, opError(DeleteItem, fmt.Errorf("fake: invalid key: %w", err))
	}
	old, exists := t.items[k]
	switch cond := aws.ToString(in.ConditionExpression); cond {
	case "":
	case "attribute_exists(accountId)":
		if !exists {
			return nil, conditionFailed(DeleteItem, nil, in.ReturnValuesOnConditionCheckFailure)
		}
	default:
		return nil, opError(DeleteItem, fmt.Errorf("fake: unsupported condition %q", cond))
	}
	delete(t.items, k)
	out := &dynamodb.DeleteItemOutput{}
	if in.ReturnValues == types.ReturnValueAllOld {
		out.Attributes = old
	}
	return out, nil
}

// Query implements dynamodb.Client.Query with a key condition "<key> = :<name>": on the
// table by tenantId, returning items in accountId order, or on the index by accountId.
func (t *Table) Query(_ context.Context, in *dynamodb.QueryInput, _ ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.start(Query, in.TableName); err != nil {
		return nil, err
	}
	attr, value, err := keyCondition(in)
	if err != nil {
		return nil, opError(Query, err)
	}
	onIndex := in.IndexName != nil
	switch {
	case onIndex && aws.ToString(in.IndexName) != t.index:
		return nil, opError(Query, &types.ResourceNotFoundException{Message: aws.String("index " + aws.ToString(in.IndexName) + " not found")})
	case onIndex && aws.ToBool(in.ConsistentRead):
		return nil, opError(Query, errors.New("ValidationException: consistent reads are not supported on global secondary indexes"))
	case onIndex && attr != "accountId", !onIndex && attr != "tenantId":
		return nil, opError(Query, fmt.Errorf("fake: key condition on %q is not a hash key", attr))
	}
	// The order within the partition is the range key's: accountId on the table; the index
	// has none, so any fixed order stands in for DynamoDB's.
	var keys []itemKey
	for k := range t.items {
		if (onIndex && k.account == value) || (!onIndex && k.tenant == value) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b itemKey) int {
		return cmp.Or(cmp.Compare(a.tenant, b.tenant), cmp.Compare(a.account, b.account))
	})
	if len(in.ExclusiveStartKey) > 0 {
		start, err := keyOf(in.ExclusiveStartKey)
		if err != nil {
			return nil, opError(Query, err)
		}
		keys = slices.DeleteFunc(keys, func(k itemKey) bool {
			return cmp.Or(cmp.Compare(k.tenant, start.tenant), cmp.Compare(k.account, start.account)) <= 0
		})
	}
	out := &dynamodb.QueryOutput{}
	for _, k := range keys {
		if in.Limit != nil && len(out.Items) == int(*in.Limit) {
			break
		}
		out.Items = append(out.Items, maps.Clone(t.items[k]))
	}
	// Like DynamoDB, a query that stops at its limit returns a last evaluated key, even
	// when no item follows.
	if in.Limit != nil && len(out.Items) == int(*in.Limit) && len(out.Items) > 0 {
		last := keys[len(out.Items)-1]
		out.LastEvaluatedKey = map[string]types.AttributeValue{
			"tenantId":  &types.AttributeValueMemberS{Value: last.tenant},
			"accountId": &types.AttributeValueMemberS{Value: last.account},
		}
	}
	out.Count = int32(len(out.Items))
	return out, nil
}

// keyCondition returns the attribute and value of the key condition of in.
func keyCondition(in *dynamodb.QueryInput) (string, string, error) {
	expr := aws.ToString(in.KeyConditionExpression)
	attr, placeholder, ok := strings.Cut(expr, " = ")
	if !ok || strings.ContainsAny(placeholder, " ()") || !strings.HasPrefix(placeholder, ":") {
		return "", "", fmt.Errorf("fake: unsupported key condition %q", expr)
	}
	v, ok := in.ExpressionAttributeValues[placeholder].(*types.AttributeValueMemberS)
	if !ok || len(in.ExpressionAttributeValues) != 1 {
		return "", "", fmt.Errorf("fake: key condition %q needs exactly the string value %s", expr, placeholder)
	}
	return attr, v.Value, nil
}

func keyOf(item map[string]types.AttributeValue) (itemKey, error) {
	t, okT := item["tenantId"].(*types.AttributeValueMemberS)
	a, okA := item["accountId"].(*types.AttributeValueMemberS)
	if !okT || !okA || t.Value == "" || a.Value == "" {
		return itemKey{}, errors.New("fake: item has no string tenantId and accountId")
	}
	return itemKey{t.Value, a.Value}, nil
}

func conditionFailed(op string, old map[string]types.AttributeValue, rv types.ReturnValuesOnConditionCheckFailure) error {
	e := &types.ConditionalCheckFailedException{Message: aws.String("The conditional request failed")}
	if rv == types.ReturnValuesOnConditionCheckFailureAllOld {
		e.Item = maps.Clone(old)
	}
	return opError(op, e)
}

func opError(op string, err error) error {
	return &smithy.OperationError{ServiceID: "DynamoDB", OperationName: op, Err: err}
}
