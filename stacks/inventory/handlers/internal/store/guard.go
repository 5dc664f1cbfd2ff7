package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// MaxTransactWrites is the most writes WriteIfCurrent puts in one transaction, besides its
// condition check: DynamoDB allows 100 actions per transaction.
const MaxTransactWrites = 99

// ErrStale is wrapped by WriteIfCurrent when the registration it writes for is no longer the
// current one: removed (a tombstone), registered again, or never announced.
var ErrStale = errors.New("the registration is no longer current")

// currentCondition holds while the accounts item is the registration, not its tombstone.
const currentCondition = AttrGeneration + " = :g AND attribute_not_exists(" + AttrDisconnectedAt + ")"

// Transactor is the part of the DynamoDB client that WriteIfCurrent uses.
type Transactor interface {
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, optFns ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// Registration is the registration a scan writes for: its item in the accounts table.
type Registration struct {
	// AccountsTable is the accounts table's name.
	AccountsTable string
	TenantID      string
	AccountID     string
	Generation    int64
}

// WriteIfCurrent writes reqs (puts and deletes of table) in transactions of at most
// MaxTransactWrites, each with a condition check that r's item is still r's registration
// and no tombstone. So a scan that was running when the registration was removed writes
// nothing after the removal reached the accounts table, and the removal deletes what it
// wrote before (a consistent query follows the tombstone). When the check fails it stops
// and returns an error wrapping ErrStale.
func WriteIfCurrent(ctx context.Context, db Transactor, table string, r Registration, reqs []types.WriteRequest) error {
	check := types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
		TableName:           aws.String(r.AccountsTable),
		Key:                 AccountKey(r.TenantID, r.AccountID),
		ConditionExpression: aws.String(currentCondition),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":g": &types.AttributeValueMemberN{Value: strconv.FormatInt(r.Generation, 10)},
		},
	}}
	for start := 0; start < len(reqs); start += MaxTransactWrites {
		items := []types.TransactWriteItem{check}
		for _, req := range reqs[start:min(start+MaxTransactWrites, len(reqs))] {
			switch {
			case req.PutRequest != nil:
				items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: aws.String(table), Item: req.PutRequest.Item}})
			case req.DeleteRequest != nil:
				items = append(items, types.TransactWriteItem{Delete: &types.Delete{TableName: aws.String(table), Key: req.DeleteRequest.Key}})
			default:
				return errors.New("write request is neither a put nor a delete")
			}
		}
		_, err := db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		if canceled, ok := errors.AsType[*types.TransactionCanceledException](err); ok &&
			len(canceled.CancellationReasons) > 0 && aws.ToString(canceled.CancellationReasons[0].Code) == "ConditionalCheckFailed" {
			return fmt.Errorf("write to %s for tenant %q, account %q, generation %d: %w", table, r.TenantID, r.AccountID, r.Generation, ErrStale)
		}
		if err != nil {
			return fmt.Errorf("write to %s: %w", table, err)
		}
	}
	return nil
}
