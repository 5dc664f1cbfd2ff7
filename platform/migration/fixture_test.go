package migration

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/stretchr/testify/require"
)

// targetKey is the new generation's key in these tests: the accounts table moving from
// accountId alone to tenantId and accountId.
func targetKey() []string { return []string{"tenantId", "accountId"} }

// byTenant is the tests' transform: the key changes from accountId to tenantId+accountId,
// and "name" becomes "displayName".
func byTenant(old Item) (Item, error) {
	if _, ok := old["tenantId"].(*types.AttributeValueMemberS); !ok {
		return nil, fmt.Errorf("no tenantId")
	}
	item := maps.Clone(old)
	if name, ok := item["name"]; ok {
		item["displayName"] = name
		delete(item, "name")
	}
	return item, nil
}

func transforms() Transforms { return Transforms{"byTenant": byTenant} }

// tableSeq makes table names unique across the tests sharing one server.
var tableSeq atomic.Int64

// setupTables creates a source, a target and a checkpoint table for t and returns the
// configuration of a migration between them.
func setupTables(t *testing.T, db *dynamodb.Client, segments int) Config {
	t.Helper()
	n := tableSeq.Add(1)
	cfg := Config{
		SourceTable:      fmt.Sprintf("accounts-g1-%d", n),
		TargetTable:      fmt.Sprintf("accounts-g2-%d", n),
		TargetKey:        targetKey(),
		Transform:        "byTenant",
		CheckpointTable:  fmt.Sprintf("migrations-%d", n),
		CheckpointPrefix: "accounts-g2",
		Segments:         segments,
	}
	create := func(name string, keys ...string) {
		in := &dynamodb.CreateTableInput{TableName: aws.String(name), BillingMode: types.BillingModePayPerRequest}
		for i, k := range keys {
			kt := types.KeyTypeHash
			if i == 1 {
				kt = types.KeyTypeRange
			}
			in.KeySchema = append(in.KeySchema, types.KeySchemaElement{AttributeName: aws.String(k), KeyType: kt})
			in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{AttributeName: aws.String(k), AttributeType: types.ScalarAttributeTypeS})
		}
		_, err := db.CreateTable(t.Context(), in)
		require.NoError(t, err, "create table %s", name)
		// dynalite makes a table active a moment after it answers, even with no delay.
		require.Eventually(t, func() bool {
			out, err := db.DescribeTable(t.Context(), &dynamodb.DescribeTableInput{TableName: aws.String(name)})
			return err == nil && out.Table.TableStatus == types.TableStatusActive
		}, 10*time.Second, 5*time.Millisecond, "table %s never became active", name)
	}
	create(cfg.SourceTable, "accountId")
	create(cfg.TargetTable, targetKey()...)
	create(cfg.CheckpointTable, CheckpointKey)
	return cfg
}

// account is the old generation's item for account i.
func account(i int, rev int) Item {
	return Item{
		"accountId": &types.AttributeValueMemberS{Value: fmt.Sprintf("aws-%012d", i)},
		"tenantId":  &types.AttributeValueMemberS{Value: fmt.Sprintf("t-%d", i%7)},
		"name":      &types.AttributeValueMemberS{Value: fmt.Sprintf("Account %d", i)},
		"rev":       &types.AttributeValueMemberN{Value: fmt.Sprint(rev)},
		"tags":      &types.AttributeValueMemberSS{Value: []string{"a", fmt.Sprintf("r%d", rev)}},
		"meta": &types.AttributeValueMemberM{Value: Item{
			"active": &types.AttributeValueMemberBOOL{Value: i%2 == 0},
			"limits": &types.AttributeValueMemberL{Value: []types.AttributeValue{&types.AttributeValueMemberN{Value: "1"}, &types.AttributeValueMemberNULL{Value: true}}},
		}},
	}
}

// seed writes accounts 0 to n-1 to table, in batches.
func seed(t *testing.T, db *dynamodb.Client, table string, n int) {
	t.Helper()
	const batch = 25 // the most BatchWriteItem takes
	for start := 0; start < n; start += batch {
		var writes []types.WriteRequest
		for i := start; i < min(start+batch, n); i++ {
			writes = append(writes, types.WriteRequest{PutRequest: &types.PutRequest{Item: account(i, 0)}})
		}
		out, err := db.BatchWriteItem(t.Context(), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: writes}})
		require.NoError(t, err)
		require.Empty(t, out.UnprocessedItems)
	}
}

// dump reads every item of table, by key id over keyNames, without VersionAttribute.
func dump(t *testing.T, db DB, table string, keyNames []string) map[string]Item {
	t.Helper()
	out := map[string]Item{}
	var start Item
	for {
		page, err := db.Scan(t.Context(), &dynamodb.ScanInput{TableName: aws.String(table), ExclusiveStartKey: start})
		require.NoError(t, err)
		for _, item := range page.Items {
			k, err := keyOf(item, keyNames)
			require.NoError(t, err)
			delete(item, VersionAttribute)
			out[k.id] = item
		}
		if len(page.LastEvaluatedKey) == 0 {
			return out
		}
		start = page.LastEvaluatedKey
	}
}

// requireMigrated checks the new generation item by item against the transform of the old
// one: nothing lost, nothing left over, every item transformed. It returns the count.
func requireMigrated(t *testing.T, db DB, cfg Config) int {
	t.Helper()
	want := map[string]Item{}
	for _, old := range dump(t, db, cfg.SourceTable, []string{"accountId"}) {
		item, k, err := transformItem(byTenant, old, cfg.TargetKey)
		require.NoError(t, err)
		want[k.id] = item
	}
	got := dump(t, db, cfg.TargetTable, cfg.TargetKey)
	var missing, extra, differ []string
	for id, item := range want {
		g, ok := got[id]
		switch {
		case !ok:
			missing = append(missing, id)
		case !equalItems(item, g):
			differ = append(differ, fmt.Sprintf("%s: want %s, got %s", id, show(item), show(g)))
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			extra = append(extra, id)
		}
	}
	for _, l := range [][]string{missing, extra, differ} {
		slices.Sort(l)
	}
	if len(missing)+len(extra)+len(differ) > 0 {
		t.Fatalf("the new generation differs from the transformed old one (%d items):\nmissing %d: %v\nleft over %d: %v\ndifferent %d: %v",
			len(want), len(missing), head(missing), len(extra), head(extra), len(differ), head(differ))
	}
	return len(want)
}

func head(l []string) []string { return l[:min(len(l), 5)] }

// equalItems compares items through their stream form, which has value semantics.
func equalItems(a, b Item) bool { return show(a) == show(b) }

// show writes an item canonically.
func show(item Item) string {
	var parts []string
	for _, name := range slices.Sorted(maps.Keys(item)) {
		b, _ := toStream(Item{name: item[name]})[name].MarshalJSON()
		parts = append(parts, name+"="+string(b))
	}
	return "{" + strings.Join(parts, " ") + "}"
}

// toStream converts an item to a stream image, as DynamoDB Streams delivers it.
func toStream(item Item) map[string]events.DynamoDBAttributeValue {
	out := map[string]events.DynamoDBAttributeValue{}
	for name, v := range item {
		out[name] = toStreamValue(v)
	}
	return out
}

func toStreamValue(v types.AttributeValue) events.DynamoDBAttributeValue {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return events.NewStringAttribute(v.Value)
	case *types.AttributeValueMemberN:
		return events.NewNumberAttribute(v.Value)
	case *types.AttributeValueMemberB:
		return events.NewBinaryAttribute(v.Value)
	case *types.AttributeValueMemberBOOL:
		return events.NewBooleanAttribute(v.Value)
	case *types.AttributeValueMemberNULL:
		return events.NewNullAttribute()
	case *types.AttributeValueMemberSS:
		s := slices.Clone(v.Value)
		slices.Sort(s)
		return events.NewStringSetAttribute(s)
	case *types.AttributeValueMemberNS:
		return events.NewNumberSetAttribute(v.Value)
	case *types.AttributeValueMemberBS:
		return events.NewBinarySetAttribute(v.Value)
	case *types.AttributeValueMemberL:
		var l []events.DynamoDBAttributeValue
		for _, e := range v.Value {
			l = append(l, toStreamValue(e))
		}
		return events.NewListAttribute(l)
	case *types.AttributeValueMemberM:
		return events.NewMapAttribute(toStream(v.Value))
	}
	// Not a DynamoDB type: a value no item can equal, so the comparison shows it.
	return events.NewStringAttribute(fmt.Sprintf("<unknown attribute value %T>", v))
}

// sequenceNumber is the n-th sequence number of a stream: 21 digits, as DynamoDB's are.
func sequenceNumber(n int64) string { return fmt.Sprintf("1%020d", n) }

// record builds a stream record as DynamoDB Streams sends it to Lambda.
func record(seq int64, name string, oldItem, newItem Item) events.DynamoDBEventRecord {
	r := events.DynamoDBEventRecord{
		EventID:   fmt.Sprintf("e-%d", seq),
		EventName: name,
		Change: events.DynamoDBStreamRecord{
			SequenceNumber: sequenceNumber(seq),
			StreamViewType: "NEW_AND_OLD_IMAGES",
		},
	}
	keyed := oldItem
	if newItem != nil {
		r.Change.NewImage = toStream(newItem)
		keyed = newItem
	}
	if oldItem != nil {
		r.Change.OldImage = toStream(oldItem)
	}
	r.Change.Keys = toStream(Item{"accountId": keyed["accountId"]})
	return r
}
