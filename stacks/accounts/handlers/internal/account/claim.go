package account

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/stacks/accounts/contract"
)

// Tables names the context's two tables.
type Tables struct {
	// Accounts holds the registrations; Claims the active registration of each account.
	Accounts, Claims string
}

// Claim is an item of the claims table: which registration is the account's active one.
type Claim struct {
	AccountID  string    `dynamodbav:"accountId"`
	TenantID   string    `dynamodbav:"tenantId"`
	Generation int64     `dynamodbav:"generation"`
	ClaimedAt  time.Time `dynamodbav:"claimedAt"`
}

// maxRemoveAttempts bounds how often Remove reads the registration again when it changed
// between the read and the delete: a claim may land in between once, not again and again.
const maxRemoveAttempts = 3

// The conditions of the writes below. The registration's is on its generation and status
// as read, so that a write never acts on a registration that changed meanwhile (claimed,
// or removed and registered again); the claim's is on the registration it belongs to.
const (
	registrationAsRead  = "generation = :g AND #status = :status"
	claimOfRegistration = "tenantId = :t AND generation = :g"
)

// Remover is what Remove does with the tables.
type Remover interface {
	Getter
	Deleter
	Transactor
}

// Remove deletes tenant's registration of the account id, with the account's claim when the
// registration is the active one, and returns the registration as it was. It fails with an
// error wrapping lambdakit.ErrNotFound when the tenant has no such registration, and never
// touches another tenant's registration or claim.
func Remove(ctx context.Context, db Remover, t Tables, tenant, id string) (Account, error) {
	for range maxRemoveAttempts {
		a, err := Get(ctx, db, t.Accounts, tenant, id)
		if err != nil {
			return Account{}, err
		}
		removed, err := removeAsRead(ctx, db, t, a)
		if err != nil {
			return Account{}, fmt.Errorf("account %q: remove: %w", id, err)
		}
		if removed {
			return a, nil
		}
	}
	return Account{}, fmt.Errorf("account %q changed while it was being removed; try again: %w", id, lambdakit.ErrConflict)
}

// removeAsRead deletes a if it is still as read, and reports whether it did.
func removeAsRead(ctx context.Context, db Remover, t Tables, a Account) (bool, error) {
	names := map[string]string{"#status": "status"}
	values := map[string]types.AttributeValue{":g": num(a.Generation), ":status": str(a.Status)}
	if a.Status != contract.StatusActive {
		_, err := db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
			TableName:                 aws.String(t.Accounts),
			Key:                       key(a.TenantID, a.AccountID),
			ConditionExpression:       aws.String(registrationAsRead),
			ExpressionAttributeNames:  names,
			ExpressionAttributeValues: values,
		})
		if _, ok := errors.AsType[*types.ConditionalCheckFailedException](err); ok {
			return false, nil
		}
		return err == nil, err
	}
	_, err := db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Delete: &types.Delete{
			TableName:                 aws.String(t.Accounts),
			Key:                       key(a.TenantID, a.AccountID),
			ConditionExpression:       aws.String(registrationAsRead),
			ExpressionAttributeNames:  names,
			ExpressionAttributeValues: values,
		}},
		{Delete: &types.Delete{
			TableName:           aws.String(t.Claims),
			Key:                 claimKey(a.AccountID),
			ConditionExpression: aws.String(claimOfRegistration),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":t": str(a.TenantID), ":g": num(a.Generation),
			},
		}},
	}})
	if conditionsFailed(err) {
		return false, nil
	}
	return err == nil, err
}

// Claimer is what ClaimAccount does with the tables.
type Claimer interface {
	Getter
	Transactor
}

// ClaimAccount makes tenant's pending registration of the account id, of generation
// generation, the account's active one, unless another registration is: the claim is
// written only if the account has none, and the registration becomes active only if it is
// still pending with that generation, in one transaction. It reports whether the
// registration is the active one now, so that a retried claim that had succeeded reports
// true again. The caller must have proven the registration's external id first.
func ClaimAccount(ctx context.Context, db Claimer, t Tables, tenant, id string, generation int64, now time.Time) (bool, error) {
	item, err := attributevalue.MarshalMap(Claim{
		AccountID: id, TenantID: tenant, Generation: generation, ClaimedAt: now.UTC().Truncate(time.Second),
	})
	if err != nil {
		return false, fmt.Errorf("account %q: claim: encode: %w", id, err)
	}
	_, err = db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Update: &types.Update{
			TableName:                aws.String(t.Accounts),
			Key:                      key(tenant, id),
			UpdateExpression:         aws.String("SET #status = :active"),
			ConditionExpression:      aws.String("generation = :g AND #status = :pending"),
			ExpressionAttributeNames: map[string]string{"#status": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":g": num(generation), ":pending": str(contract.StatusPending), ":active": str(contract.StatusActive),
			},
		}},
		{Put: &types.Put{
			TableName:           aws.String(t.Claims),
			Item:                item,
			ConditionExpression: aws.String("attribute_not_exists(accountId)"),
		}},
	}})
	if err == nil {
		return true, nil
	}
	if !conditionsFailed(err) {
		return false, fmt.Errorf("account %q: claim: %w", id, err)
	}
	holder, found, err := Holder(ctx, db, t.Claims, id)
	if err != nil {
		return false, err
	}
	return found && holder.TenantID == tenant && holder.Generation == generation, nil
}

// Holder returns the claim of the account id, if it has one. The read is strongly
// consistent: a claim written or deleted a moment ago counts.
func Holder(ctx context.Context, db Getter, claims, id string) (Claim, bool, error) {
	out, err := db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(claims),
		Key:            claimKey(id),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return Claim{}, false, fmt.Errorf("claim of account %q: get item: %w", id, err)
	}
	if len(out.Item) == 0 {
		return Claim{}, false, nil
	}
	var c Claim
	if err := attributevalue.UnmarshalMap(out.Item, &c); err != nil {
		return Claim{}, false, fmt.Errorf("claim of account %q: decode item: %w", id, err)
	}
	return c, true, nil
}

// conditionsFailed reports whether err is a write refused only by its conditions, as
// opposed to one that failed (throttled, or a transaction in conflict with another), which
// the caller's retry should repeat.
func conditionsFailed(err error) bool {
	if _, ok := errors.AsType[*types.ConditionalCheckFailedException](err); ok {
		return true
	}
	canceled, ok := errors.AsType[*types.TransactionCanceledException](err)
	if !ok {
		return false
	}
	failed := false
	for _, r := range canceled.CancellationReasons {
		switch aws.ToString(r.Code) {
		case "ConditionalCheckFailed":
			failed = true
		case "None", "":
		default:
			return false
		}
	}
	return failed
}

func claimKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"accountId": str(id)}
}

func num(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}
