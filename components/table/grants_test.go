package table_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/components/table"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/platform/stackref"
)

// grants creates the table and renders each grant picked by pick as a policy document.
func grants(t *testing.T, args table.Args, pick map[string]func(*table.Table) iam.Statements) map[string]iam.Parsed {
	t.Helper()
	args.Scope = scopetest.New()
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		tbl, err := table.New(ctx, "orders", &args)
		if err != nil {
			return err
		}
		for name, fn := range pick {
			doc, err := iam.Document(fn(tbl))
			if err != nil {
				return err
			}
			stackref.Export(ctx, name, doc)
		}
		return nil
	})
	out := map[string]iam.Parsed{}
	for name := range pick {
		doc, ok := p.Outputs[name].(string)
		require.True(t, ok, "output %s", name)
		parsed, err := iam.Parse(doc)
		require.NoError(t, err)
		out[name] = parsed
	}
	return out
}

var (
	readTable = []string{"dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable",
		"dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"}
	writeTable = []string{"dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
		"dynamodb:PutItem", "dynamodb:UpdateItem"}
	key         = []string{scopetest.KeyArn}
	viaDynamoDB = map[string]map[string][]string{"StringEquals": {"kms:ViaService": {"dynamodb.eu-west-1.amazonaws.com"}}}
)

func TestGrants(t *testing.T) {
	docs := grants(t, table.Args{
		HashKey: table.Key{Name: "id", Type: table.String},
		Indexes: []table.Index{
			{Name: "byStatus", HashKey: table.Key{Name: "status", Type: table.String}},
			{Name: "byOwner", HashKey: table.Key{Name: "owner", Type: table.String}},
		},
		Stream: table.StreamNewImage,
	}, map[string]func(*table.Table) iam.Statements{
		"read":      (*table.Table).AllowRead,
		"write":     (*table.Table).AllowWrite,
		"readWrite": (*table.Table).AllowReadWrite,
		"stream":    (*table.Table).AllowStreamRead,
	})
	indexes := []string{tableArn + "/index/byOwner", tableArn + "/index/byStatus"}
	streamArn := tableArn + "/stream/2026-01-01T00:00:00.000"

	assert.Equal(t, []iam.ParsedStatement{
		{Sid: "TableOrdersRead", Effect: "Allow", Action: readTable, Resource: []string{tableArn}},
		{Sid: "TableOrdersReadIndexes", Effect: "Allow", Action: []string{"dynamodb:Query", "dynamodb:Scan"}, Resource: indexes},
		{Sid: "TableOrdersReadKey", Effect: "Allow", Action: []string{"kms:Decrypt"}, Resource: key, Condition: viaDynamoDB},
	}, docs["read"].Statement)

	assert.Equal(t, []iam.ParsedStatement{
		{Sid: "TableOrdersWrite", Effect: "Allow", Action: writeTable, Resource: []string{tableArn}},
		{Sid: "TableOrdersWriteKey", Effect: "Allow", Action: []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"}, Resource: key, Condition: viaDynamoDB},
	}, docs["write"].Statement, "writes need no index ARN")

	union := slices.Concat(readTable, writeTable)
	slices.Sort(union)
	assert.Equal(t, []iam.ParsedStatement{
		{Sid: "TableOrdersReadWrite", Effect: "Allow", Action: slices.Compact(union), Resource: []string{tableArn}},
		{Sid: "TableOrdersReadWriteIndexes", Effect: "Allow", Action: []string{"dynamodb:Query", "dynamodb:Scan"}, Resource: indexes},
		{Sid: "TableOrdersReadWriteKey", Effect: "Allow", Action: []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"}, Resource: key, Condition: viaDynamoDB},
	}, docs["readWrite"].Statement)

	assert.Equal(t, []iam.ParsedStatement{
		{Sid: "TableOrdersStreamRead", Effect: "Allow",
			Action:   []string{"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"},
			Resource: []string{streamArn}},
		{Sid: "TableOrdersStreamList", Effect: "Allow", Action: []string{"dynamodb:ListStreams"},
			Resource: []string{tableArn + "/stream/*"}},
		{Sid: "TableOrdersStreamKey", Effect: "Allow", Action: []string{"kms:Decrypt"}, Resource: key, Condition: viaDynamoDB},
	}, docs["stream"].Statement)

	for name, doc := range docs {
		for _, st := range doc.Statement {
			assert.NotContains(t, st.Resource, "*", "%s: no bare wildcard resource", name)
		}
	}
}

func TestGrantsWithoutIndexes(t *testing.T) {
	docs := grants(t, table.Args{HashKey: table.Key{Name: "id", Type: table.String}},
		map[string]func(*table.Table) iam.Statements{"read": (*table.Table).AllowRead})
	assert.Equal(t, []iam.ParsedStatement{
		{Sid: "TableOrdersRead", Effect: "Allow", Action: readTable, Resource: []string{tableArn}},
		{Sid: "TableOrdersReadKey", Effect: "Allow", Action: []string{"kms:Decrypt"}, Resource: key, Condition: viaDynamoDB},
	}, docs["read"].Statement)
}

func TestGrantsOfSeveralTablesFitOnePolicy(t *testing.T) {
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		var stmts iam.Statements
		for _, name := range []string{"orders", "order-lines"} {
			tbl, err := table.New(ctx, name, &table.Args{Scope: scopetest.New(), HashKey: table.Key{Name: "id", Type: table.String}})
			if err != nil {
				return err
			}
			stmts = slices.Concat(stmts, tbl.AllowRead(), tbl.AllowWrite(), tbl.AllowReadWrite())
		}
		doc, err := iam.Document(stmts)
		if err != nil {
			return err
		}
		stackref.Export(ctx, "policy", doc)
		return nil
	})
	doc, err := iam.Parse(p.Outputs["policy"].(string))
	require.NoError(t, err)
	var sids []string
	for _, st := range doc.Statement {
		sids = append(sids, st.Sid)
	}
	assert.Equal(t, []string{"TableOrdersRead", "TableOrdersReadKey", "TableOrdersWrite", "TableOrdersWriteKey",
		"TableOrdersReadWrite", "TableOrdersReadWriteKey", "TableOrderLinesRead", "TableOrderLinesReadKey",
		"TableOrderLinesWrite", "TableOrderLinesWriteKey", "TableOrderLinesReadWrite", "TableOrderLinesReadWriteKey"}, sids)
}

// Grants cannot fail where they are called: a grant that cannot be made carries why, and
// the grantee's validation reports it (iam.Statement.Err).
func TestAllowStreamReadWithoutStream(t *testing.T) {
	var got error
	require.Error(t, plantest.RunErr(func(ctx *pulumi.Context) error {
		tbl, err := table.New(ctx, "orders", &table.Args{Scope: scopetest.New(), HashKey: table.Key{Name: "id", Type: table.String}})
		if err != nil {
			return err
		}
		_, got = iam.Document(tbl.AllowStreamRead())
		return got
	}))
	assert.EqualError(t, got, `iam: statement 0 ("TableOrdersStreamRead"): table "orders": AllowStreamRead: the table has no stream; set Args.Stream to one of NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY`)
}

func TestAllowExactOperations(t *testing.T) {
	const arn = "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-orders-orders"
	args := table.Args{
		HashKey: table.Key{Name: "id", Type: table.String},
		Indexes: []table.Index{{Name: "byCustomer", HashKey: table.Key{Name: "customer", Type: table.String}}},
	}
	docs := grants(t, args, map[string]func(*table.Table) iam.Statements{
		"get":   func(tb *table.Table) iam.Statements { return tb.Allow(table.GetItem) },
		"index": func(tb *table.Table) iam.Statements { return tb.Allow(table.QueryIndex) },
		"register": func(tb *table.Table) iam.Statements {
			return tb.Allow(table.QueryIndex, table.PutItem, table.GetItem)
		},
	})
	assert.Equal(t, []iam.ParsedStatement{
		{Sid: "TableOrdersOps", Effect: "Allow", Action: []string{"dynamodb:GetItem"}, Resource: []string{arn}},
		{Sid: "TableOrdersOpsKey", Effect: "Allow", Action: []string{"kms:Decrypt"}, Resource: key, Condition: viaDynamoDB},
	}, docs["get"].Statement)
	assert.Equal(t, []iam.ParsedStatement{
		{Sid: "TableOrdersIndexOps", Effect: "Allow", Action: []string{"dynamodb:Query"}, Resource: []string{arn + "/index/byCustomer"}},
		{Sid: "TableOrdersOpsKey", Effect: "Allow", Action: []string{"kms:Decrypt"}, Resource: key, Condition: viaDynamoDB},
	}, docs["index"].Statement)
	assert.Equal(t, []iam.ParsedStatement{
		{Sid: "TableOrdersOps", Effect: "Allow", Action: []string{"dynamodb:GetItem", "dynamodb:PutItem"}, Resource: []string{arn}},
		{Sid: "TableOrdersIndexOps", Effect: "Allow", Action: []string{"dynamodb:Query"}, Resource: []string{arn + "/index/byCustomer"}},
		{Sid: "TableOrdersOpsKey", Effect: "Allow", Action: []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"}, Resource: key, Condition: viaDynamoDB},
	}, docs["register"].Statement)
}

func TestAllowRefusesUnknownAndImpossibleOperations(t *testing.T) {
	var got []error
	require.Error(t, plantest.RunErr(func(ctx *pulumi.Context) error {
		tbl, err := table.New(ctx, "orders", &table.Args{Scope: scopetest.New(), HashKey: table.Key{Name: "id", Type: table.String}})
		if err != nil {
			return err
		}
		for _, stmts := range []iam.Statements{tbl.Allow(table.Op("DropTable"), table.GetItem, table.QueryIndex), tbl.Allow()} {
			_, err := iam.Document(stmts)
			got = append(got, err)
		}
		return errors.Join(got...)
	}))
	const allowed = "GetItem, BatchGetItem, Query, Scan, QueryIndex, ScanIndex, ConditionCheckItem, DescribeTable, PutItem, UpdateItem, DeleteItem, BatchWriteItem"
	require.Len(t, got, 2)
	assert.EqualError(t, got[0], `iam: statement 0 ("TableOrdersOps"): table "orders": Allow: ops[0]: "DropTable" is not an operation; allowed `+allowed+`
ops[2]: QueryIndex needs an index and the table has none; use Query or add Args.Indexes`)
	assert.EqualError(t, got[1], `iam: statement 0 ("TableOrdersOps"): table "orders": Allow: ops: none given; allowed `+allowed)
}
