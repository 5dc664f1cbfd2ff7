package store

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// transactions records the transactions and refuses the condition check from the call
// numbered failAt (1-based; 0 never).
type transactions struct {
	calls  []*dynamodb.TransactWriteItemsInput
	failAt int
	err    error
}

func (f *transactions) TransactWriteItems(_ context.Context, in *dynamodb.TransactWriteItemsInput, _ ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	f.calls = append(f.calls, in)
	if f.err != nil {
		return nil, f.err
	}
	if len(f.calls) == f.failAt {
		reasons := make([]types.CancellationReason, len(in.TransactItems))
		for i := range reasons {
			reasons[i].Code = aws.String("None")
		}
		reasons[0].Code = aws.String("ConditionalCheckFailed")
		return nil, &types.TransactionCanceledException{CancellationReasons: reasons}
	}
	return &dynamodb.TransactWriteItemsOutput{}, nil
}

var registration = Registration{AccountsTable: "accounts", TenantID: "t-1", AccountID: "aws-111122223333", Generation: 7}

func writes(t *testing.T, n int) []types.WriteRequest {
	t.Helper()
	reqs := make([]types.WriteRequest, n)
	for i := range reqs {
		arn := fmt.Sprintf("arn:aws:s3:::b%03d", i)
		if i%2 == 0 {
			reqs[i] = DeleteRequest(ResourceKey("t-1", "aws-111122223333", arn))
			continue
		}
		req, err := PutRequest(Resource{AccountKey: "t-1#aws-111122223333", ResourceArn: arn})
		if err != nil {
			t.Fatal(err)
		}
		reqs[i] = req
	}
	return reqs
}

func TestWriteIfCurrentChecksEveryTransaction(t *testing.T) {
	db := &transactions{}
	if err := WriteIfCurrent(context.Background(), db, "resources", registration, writes(t, 150)); err != nil {
		t.Fatal(err)
	}
	if len(db.calls) != 2 || len(db.calls[0].TransactItems) != 100 || len(db.calls[1].TransactItems) != 52 {
		t.Fatalf("%d transactions, want 100 then 52 items", len(db.calls))
	}
	for _, in := range db.calls {
		check := in.TransactItems[0].ConditionCheck
		if check == nil || *check.TableName != "accounts" || *check.ConditionExpression != "generation = :g AND attribute_not_exists(disconnectedAt)" ||
			check.Key["tenantId"].(*types.AttributeValueMemberS).Value != "t-1" ||
			check.ExpressionAttributeValues[":g"].(*types.AttributeValueMemberN).Value != "7" {
			t.Fatalf("first item = %+v, want the check of t-1's registration of generation 7", in.TransactItems[0])
		}
		for _, it := range in.TransactItems[1:] {
			if (it.Put == nil || *it.Put.TableName != "resources") && (it.Delete == nil || *it.Delete.TableName != "resources") {
				t.Fatalf("item %+v is not a write to resources", it)
			}
		}
	}
	if err := WriteIfCurrent(context.Background(), db, "resources", registration, nil); err != nil || len(db.calls) != 2 {
		t.Fatalf("no writes: %v after %d calls, want nothing sent", err, len(db.calls))
	}
}

func TestWriteIfCurrentStopsWhenStale(t *testing.T) {
	db := &transactions{failAt: 1}
	err := WriteIfCurrent(context.Background(), db, "resources", registration, writes(t, 150))
	if !errors.Is(err, ErrStale) || len(db.calls) != 1 {
		t.Fatalf("err = %v after %d calls, want ErrStale after the first", err, len(db.calls))
	}
	boom := errors.New("throttled")
	if err := WriteIfCurrent(context.Background(), &transactions{err: boom}, "resources", registration, writes(t, 1)); !errors.Is(err, boom) || errors.Is(err, ErrStale) {
		t.Fatalf("err = %v, want it to wrap the failure", err)
	}
}

func TestParseJob(t *testing.T) {
	j, err := ParseJob(`{"tenantId":"t-1","accountId":"aws-111122223333","generation":7}`)
	if err != nil || j != (Job{TenantID: "t-1", AccountID: "aws-111122223333", Generation: 7}) {
		t.Fatalf("ParseJob() = %+v, %v", j, err)
	}
	for body, want := range map[string]string{
		`{}`: `scan job: accountId: must be "aws-" followed by 12 digits, got ""; generation: must be above 0, got 0; tenantId: is required`,
		`{"tenantId":"t","accountId":"aws-1#2","generation":1}`:                `scan job: accountId: must be "aws-" followed by 12 digits, got "aws-1#2"`,
		`{"tenantId":"t","accountId":"aws-111122223333","generation":1,"x":1}`: `scan job: json: unknown field "x"`,
	} {
		if _, err := ParseJob(body); err == nil || err.Error() != want {
			t.Errorf("ParseJob(%s) = %v, want %s", body, err, want)
		}
	}
}
