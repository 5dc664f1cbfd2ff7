package migration

import (
	"context"
	"log/slog"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

// faultyDB passes calls to DB unless fail, given the operation and its input, returns an
// error to fail it with.
type faultyDB struct {
	DB
	mu   sync.Mutex
	fail func(op string, in any) error
}

func (f *faultyDB) check(op string, in any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail == nil {
		return nil
	}
	return f.fail(op, in)
}

func (f *faultyDB) Scan(ctx context.Context, in *dynamodb.ScanInput, o ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	if err := f.check("Scan", in); err != nil {
		return nil, err
	}
	return f.DB.Scan(ctx, in, o...)
}

func (f *faultyDB) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	if err := f.check("GetItem", in); err != nil {
		return nil, err
	}
	return f.DB.GetItem(ctx, in, o...)
}

func (f *faultyDB) BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	if err := f.check("BatchGetItem", in); err != nil {
		return nil, err
	}
	return f.DB.BatchGetItem(ctx, in, o...)
}

func (f *faultyDB) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	if err := f.check("PutItem", in); err != nil {
		return nil, err
	}
	return f.DB.PutItem(ctx, in, o...)
}

func (f *faultyDB) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	if err := f.check("DeleteItem", in); err != nil {
		return nil, err
	}
	return f.DB.DeleteItem(ctx, in, o...)
}

// quiet returns ctx with a logger that drops records: the handlers log every page.
func quiet(ctx context.Context) context.Context {
	return lambdakit.WithLogger(ctx, slog.New(slog.DiscardHandler))
}
