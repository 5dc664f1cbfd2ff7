// Package fake has in-memory stand-ins for the accounts context's tables, their stream and
// its events topic, and helpers to build requests, for the unit tests of the accounts
// handlers; only tests import it.
//
// Table implements the operations the account store uses with DynamoDB's semantics
// (conditions, transactions, consistent reads, pages and their last evaluated key) over the
// two tables, and records the accounts table's changes as its stream would. It fails on an
// expression it does not know, or on the wrong table name, so that a change of the store
// cannot pass against a fake that ignores it. Its errors are wrapped in a
// smithy.OperationError, as the SDK's are.
package fake

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
)

// The names of the Table's operations, for Fail, Before and Calls.
const (
	GetItem            = "GetItem"
	PutItem            = "PutItem"
	DeleteItem         = "DeleteItem"
	UpdateItem         = "UpdateItem"
	Query              = "Query"
	TransactWriteItems = "TransactWriteItems"
)

// item is one stored item.
type item = map[string]types.AttributeValue

// Table is the in-memory pair of the accounts context's tables: accounts (hash key tenantId,
// range key accountId), whose changes it records like a stream with new and old images, and
// claims (hash key accountId). It is safe for concurrent use.
type Table struct {
	accounts, claims string

	mu      sync.Mutex
	items   map[string]map[string]item // table name -> key -> item
	errs    map[string]error
	before  map[string]func()
	calls   map[string]int
	changes []change
}

// NewTable returns the empty tables called accounts and claims.
func NewTable(accounts, claims string) *Table {
	return &Table{
		accounts: accounts,
		claims:   claims,
		items:    map[string]map[string]item{accounts: {}, claims: {}},
		errs:     map[string]error{},
		before:   map[string]func(){},
		calls:    map[string]int{},
	}
}

// Seed stores each of values, encoded with attributevalue.MarshalMap, as an item of the
// accounts table, without recording a change.
func (t *Table) Seed(tb testing.TB, values ...any) {
	tb.Helper()
	t.seed(tb, t.accounts, values)
}

// SeedClaim stores each of values as an item of the claims table.
func (t *Table) SeedClaim(tb testing.TB, values ...any) {
	tb.Helper()
	t.seed(tb, t.claims, values)
}

func (t *Table) seed(tb testing.TB, table string, values []any) {
	tb.Helper()
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, v := range values {
		it, err := attributevalue.MarshalMap(v)
		if err != nil {
			tb.Fatalf("seed: %v", err)
		}
		k, err := t.keyOf(table, it)
		if err != nil {
			tb.Fatalf("seed: %v", err)
		}
		t.items[table][k] = it
	}
}

// Fail makes every later call of the operation op fail with err; a nil err ends that.
func (t *Table) Fail(op string, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.errs[op] = err
}

// Before runs fn once, before the next call of op does anything, so that a test can make
// another writer's change land between a handler's read and its write. fn runs without the
// table's lock and may call the table.
func (t *Table) Before(op string, fn func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.before[op] = fn
}

// Calls returns how many times the operation op was called, failed calls included.
func (t *Table) Calls(op string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.calls[op]
}

// Len returns the number of items of the accounts table.
func (t *Table) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.items[t.accounts])
}

// Item returns the accounts item with the key (tenant, account), or nil.
func (t *Table) Item(tenant, account string) map[string]types.AttributeValue {
	t.mu.Lock()
	defer t.mu.Unlock()
	return maps.Clone(t.items[t.accounts][tenant+"\x00"+account])
}

// Claim returns the claims item of account, or nil.
func (t *Table) Claim(account string) map[string]types.AttributeValue {
	t.mu.Lock()
	defer t.mu.Unlock()
	return maps.Clone(t.items[t.claims][account])
}

// start runs the hook of op, then takes the lock, counts the call and returns the error it
// must fail with, if any. The caller unlocks.
func (t *Table) start(op string, tables ...*string) error {
	t.mu.Lock()
	hook := t.before[op]
	delete(t.before, op)
	t.mu.Unlock()
	if hook != nil {
		hook()
	}
	t.mu.Lock()
	t.calls[op]++
	if err := t.errs[op]; err != nil {
		return opError(op, err)
	}
	for _, table := range tables {
		if _, ok := t.items[aws.ToString(table)]; !ok {
			return opError(op, &types.ResourceNotFoundException{Message: aws.String("table " + aws.ToString(table) + " not found")})
		}
	}
	return nil
}

// keyOf returns the key of it in table, checking that it has exactly the key attributes
// when exact is set (a Key parameter rather than an item).
func (t *Table) keyOf(table string, it item) (string, error) {
	account, okA := it["accountId"].(*types.AttributeValueMemberS)
	if !okA || account.Value == "" {
		return "", fmt.Errorf("fake: %s: key has no string accountId", table)
	}
	if table == t.claims {
		return account.Value, nil
	}
	tenant, okT := it["tenantId"].(*types.AttributeValueMemberS)
	if !okT || tenant.Value == "" {
		return "", fmt.Errorf("fake: %s: key has no string tenantId", table)
	}
	return tenant.Value + "\x00" + account.Value, nil
}

func (t *Table) exactKey(op, table string, key item) (string, error) {
	want := 2
	if table == t.claims {
		want = 1
	}
	k, err := t.keyOf(table, key)
	if err == nil && len(key) != want {
		err = fmt.Errorf("fake: %s: key has %d attributes, want %d", table, len(key), want)
	}
	if err != nil {
		return "", opError(op, err)
	}
	return k, nil
}

// GetItem implements dynamodb.Client.GetItem.
func (t *Table) GetItem(_ context.Context, in *dynamodb.GetItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	defer t.mu.Unlock()
	if err := t.start(GetItem, in.TableName); err != nil {
		return nil, err
	}
	k, err := t.exactKey(GetItem, *in.TableName, in.Key)
	if err != nil {
		return nil, err
	}
	return &dynamodb.GetItemOutput{Item: maps.Clone(t.items[*in.TableName][k])}, nil
}

// PutItem implements dynamodb.Client.PutItem.
func (t *Table) PutItem(_ context.Context, in *dynamodb.PutItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	defer t.mu.Unlock()
	if err := t.start(PutItem, in.TableName); err != nil {
		return nil, err
	}
	w := write{table: *in.TableName, put: in.Item, cond: condition{aws.ToString(in.ConditionExpression), in.ExpressionAttributeNames, in.ExpressionAttributeValues}}
	if err := t.apply(PutItem, []write{w}, in.ReturnValuesOnConditionCheckFailure); err != nil {
		return nil, err
	}
	return &dynamodb.PutItemOutput{}, nil
}

// DeleteItem implements dynamodb.Client.DeleteItem.
func (t *Table) DeleteItem(_ context.Context, in *dynamodb.DeleteItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	defer t.mu.Unlock()
	if err := t.start(DeleteItem, in.TableName); err != nil {
		return nil, err
	}
	k, err := t.exactKey(DeleteItem, *in.TableName, in.Key)
	if err != nil {
		return nil, err
	}
	old := maps.Clone(t.items[*in.TableName][k])
	w := write{table: *in.TableName, del: in.Key, cond: condition{aws.ToString(in.ConditionExpression), in.ExpressionAttributeNames, in.ExpressionAttributeValues}}
	if err := t.apply(DeleteItem, []write{w}, in.ReturnValuesOnConditionCheckFailure); err != nil {
		return nil, err
	}
	out := &dynamodb.DeleteItemOutput{}
	if in.ReturnValues == types.ReturnValueAllOld {
		out.Attributes = old
	}
	return out, nil
}

// TransactWriteItems implements dynamodb.Client.TransactWriteItems with puts, deletes and
// updates: all of them or none.
func (t *Table) TransactWriteItems(_ context.Context, in *dynamodb.TransactWriteItemsInput, _ ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	var tables []*string
	for _, it := range in.TransactItems {
		switch {
		case it.Put != nil:
			tables = append(tables, it.Put.TableName)
		case it.Delete != nil:
			tables = append(tables, it.Delete.TableName)
		case it.Update != nil:
			tables = append(tables, it.Update.TableName)
		}
	}
	defer t.mu.Unlock()
	if err := t.start(TransactWriteItems, tables...); err != nil {
		return nil, err
	}
	writes := make([]write, 0, len(in.TransactItems))
	for _, it := range in.TransactItems {
		switch {
		case it.Put != nil:
			writes = append(writes, write{table: *it.Put.TableName, put: it.Put.Item,
				cond: condition{aws.ToString(it.Put.ConditionExpression), it.Put.ExpressionAttributeNames, it.Put.ExpressionAttributeValues}})
		case it.Delete != nil:
			writes = append(writes, write{table: *it.Delete.TableName, del: it.Delete.Key,
				cond: condition{aws.ToString(it.Delete.ConditionExpression), it.Delete.ExpressionAttributeNames, it.Delete.ExpressionAttributeValues}})
		case it.Update != nil:
			writes = append(writes, write{table: *it.Update.TableName, del: it.Update.Key, update: aws.ToString(it.Update.UpdateExpression),
				cond: condition{aws.ToString(it.Update.ConditionExpression), it.Update.ExpressionAttributeNames, it.Update.ExpressionAttributeValues}})
		default:
			return nil, opError(TransactWriteItems, fmt.Errorf("fake: unsupported transaction item %+v", it))
		}
	}
	if err := t.apply(TransactWriteItems, writes, ""); err != nil {
		return nil, err
	}
	return &dynamodb.TransactWriteItemsOutput{}, nil
}

// Query implements dynamodb.Client.Query of the accounts table with the key condition
// "tenantId = :<name>", returning items in accountId order.
func (t *Table) Query(_ context.Context, in *dynamodb.QueryInput, _ ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	defer t.mu.Unlock()
	if err := t.start(Query, in.TableName); err != nil {
		return nil, err
	}
	if *in.TableName != t.accounts || in.IndexName != nil {
		return nil, opError(Query, fmt.Errorf("fake: query of %s (index %v) is not supported", *in.TableName, in.IndexName))
	}
	tenant, err := keyCondition(in)
	if err != nil {
		return nil, opError(Query, err)
	}
	type pair struct{ tenant, account string }
	var keys []pair
	for _, it := range t.items[t.accounts] {
		if s := it["tenantId"].(*types.AttributeValueMemberS).Value; s == tenant {
			keys = append(keys, pair{s, it["accountId"].(*types.AttributeValueMemberS).Value})
		}
	}
	slices.SortFunc(keys, func(a, b pair) int { return cmp.Compare(a.account, b.account) })
	if len(in.ExclusiveStartKey) > 0 {
		start, ok := in.ExclusiveStartKey["accountId"].(*types.AttributeValueMemberS)
		if !ok {
			return nil, opError(Query, fmt.Errorf("fake: exclusive start key has no accountId"))
		}
		keys = slices.DeleteFunc(keys, func(k pair) bool { return k.account <= start.Value })
	}
	out := &dynamodb.QueryOutput{}
	for _, k := range keys {
		if in.Limit != nil && len(out.Items) == int(*in.Limit) {
			break
		}
		out.Items = append(out.Items, maps.Clone(t.items[t.accounts][k.tenant+"\x00"+k.account]))
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

func opError(op string, err error) error {
	return &smithy.OperationError{ServiceID: "DynamoDB", OperationName: op, Err: err}
}
