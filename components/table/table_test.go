package table_test

import (
	"slices"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/components/table"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
)

const (
	tableType    = "aws:dynamodb/table:Table"
	alarmType    = "aws:cloudwatch/metricAlarm:MetricAlarm"
	targetType   = "aws:appautoscaling/target:Target"
	policyType   = "aws:appautoscaling/policy:Policy"
	tableArn     = "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-orders-orders"
	tableName    = "acme-dev-orders-orders"
	componentURN = "urn:pulumi:dev::test::stratum:table:Table::orders"
)

// run creates the table "orders" with args (the test scope filled in) and returns the plan.
func run(t *testing.T, args table.Args) *plan.Plan {
	t.Helper()
	if args.Scope.KeyArn == nil {
		protect := args.Scope.Protect
		args.Scope = scopetest.New()
		args.Scope.Protect = protect
	}
	return plantest.Run(t, func(ctx *pulumi.Context) error {
		_, err := table.New(ctx, "orders", &args)
		return err
	})
}

func get(t *testing.T, p *plan.Plan, typ, name string) plan.Resource {
	t.Helper()
	r, err := p.Get(typ, name)
	require.NoError(t, err)
	return r
}

func names(rs []plan.Resource) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.Type+" "+r.Name)
	}
	slices.Sort(out)
	return out
}

var scopeTags = map[string]any{"org": "acme", "env": "dev", "context": "orders", "managed-by": "stratum"}

func systemErrorAlarms(stream bool) []string {
	ops := []string{"getitem", "batchgetitem", "query", "scan", "putitem", "updateitem", "deleteitem",
		"batchwriteitem", "transactgetitems", "transactwriteitems"}
	if stream {
		ops = append(ops, "getrecords")
	}
	out := make([]string, 0, len(ops))
	for _, op := range ops {
		out = append(out, alarmType+" orders-alarm-system-errors-"+op)
	}
	return out
}

func TestDefaults(t *testing.T) {
	p := run(t, table.Args{HashKey: table.Key{Name: "id", Type: table.String}})

	want := append([]string{
		tableType + " orders",
		alarmType + " orders-alarm-read-throttles",
		alarmType + " orders-alarm-write-throttles",
	}, systemErrorAlarms(false)...)
	slices.Sort(want)
	assert.Equal(t, want, names(p.Children(componentURN)))
	assert.Len(t, p.Resources, len(want)+1, "nothing outside the component")

	tbl := get(t, p, tableType, "orders")
	assert.Equal(t, map[string]any{
		"name":                 tableName,
		"hashKey":              "id",
		"attributes":           []any{map[string]any{"name": "id", "type": "S"}},
		"billingMode":          "PAY_PER_REQUEST",
		"pointInTimeRecovery":  map[string]any{"enabled": true},
		"serverSideEncryption": map[string]any{"enabled": true, "kmsKeyArn": scopetest.KeyArn},
		"tableClass":           "STANDARD",
		"tags":                 scopeTags,
	}, tbl.Inputs)
	assert.False(t, tbl.Protect)
	assert.False(t, tbl.RetainOnDelete)
	assert.False(t, tbl.DeleteBeforeReplace, "a table replacement must fail rather than delete the data first")
	assert.Empty(t, tbl.IgnoreChanges)
	assert.Empty(t, p.Find(targetType, ""), "on-demand tables do not scale")
}

func TestAlarms(t *testing.T) {
	p := run(t, table.Args{
		HashKey: table.Key{Name: "id", Type: table.String},
		Indexes: []table.Index{{Name: "byStatus", HashKey: table.Key{Name: "status", Type: table.String}}},
		Stream:  table.StreamKeysOnly,
	})
	alarms := p.Find(alarmType, "")
	require.Len(t, alarms, 4+11)

	tableDims := map[string]any{"TableName": tableName}
	indexDims := map[string]any{"TableName": tableName, "GlobalSecondaryIndexName": "byStatus"}
	wantDims := map[string]map[string]any{
		"orders-alarm-read-throttles":                 tableDims,
		"orders-alarm-write-throttles":                tableDims,
		"orders-alarm-index-byStatus-read-throttles":  indexDims,
		"orders-alarm-index-byStatus-write-throttles": indexDims,
	}
	wantMetric := map[string]string{
		"orders-alarm-read-throttles":                 "ReadThrottleEvents",
		"orders-alarm-write-throttles":                "WriteThrottleEvents",
		"orders-alarm-index-byStatus-read-throttles":  "ReadThrottleEvents",
		"orders-alarm-index-byStatus-write-throttles": "WriteThrottleEvents",
	}
	for _, op := range []string{"GetItem", "BatchGetItem", "Query", "Scan", "PutItem", "UpdateItem", "DeleteItem",
		"BatchWriteItem", "TransactGetItems", "TransactWriteItems", "GetRecords"} {
		name := "orders-alarm-system-errors-" + lower(op)
		wantDims[name] = map[string]any{"TableName": tableName, "Operation": op}
		wantMetric[name] = "SystemErrors"
	}
	for _, a := range alarms {
		t.Run(a.Name, func(t *testing.T) {
			require.Contains(t, wantMetric, a.Name)
			assert.Equal(t, componentURN, a.Parent)
			assert.Equal(t, "AWS/DynamoDB", a.String("namespace"))
			assert.Equal(t, wantMetric[a.Name], a.String("metricName"))
			assert.Equal(t, wantDims[a.Name], a.Inputs["dimensions"])
			assert.Equal(t, "Sum", a.String("statistic"))
			assert.Equal(t, "GreaterThanThreshold", a.String("comparisonOperator"))
			assert.Equal(t, 0.0, a.Inputs["threshold"])
			assert.Equal(t, 300.0, a.Inputs["period"])
			assert.Equal(t, []any{scopetest.AlarmTopicArn}, a.Inputs["alarmActions"])
			assert.Equal(t, []any{scopetest.AlarmTopicArn}, a.Inputs["okActions"])
		})
	}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func TestKeysIndexesStreamTTL(t *testing.T) {
	p := run(t, table.Args{
		HashKey:  table.Key{Name: "pk", Type: table.String},
		RangeKey: table.Key{Name: "sk", Type: table.Number},
		Indexes: []table.Index{
			{Name: "byStatus", HashKey: table.Key{Name: "status", Type: table.String},
				RangeKey: table.Key{Name: "sk", Type: table.Number}},
			{Name: "byOwner", HashKey: table.Key{Name: "owner", Type: table.Binary},
				Projection: table.ProjectInclude, NonKeyAttributes: []string{"total", "currency"}},
			{Name: "keys", HashKey: table.Key{Name: "pk", Type: table.String}, Projection: table.ProjectKeysOnly},
		},
		TTLAttribute: "expiresAt",
		Stream:       table.StreamNewAndOldImages,
	})
	in := get(t, p, tableType, "orders").Inputs
	assert.Equal(t, "pk", in["hashKey"])
	assert.Equal(t, "sk", in["rangeKey"])
	assert.Equal(t, []any{
		map[string]any{"name": "pk", "type": "S"},
		map[string]any{"name": "sk", "type": "N"},
		map[string]any{"name": "status", "type": "S"},
		map[string]any{"name": "owner", "type": "B"},
	}, in["attributes"], "each key attribute once, nothing else")
	assert.Equal(t, []any{
		map[string]any{"name": "byStatus", "hashKey": "status", "rangeKey": "sk", "projectionType": "ALL"},
		map[string]any{"name": "byOwner", "hashKey": "owner", "projectionType": "INCLUDE",
			"nonKeyAttributes": []any{"total", "currency"}},
		map[string]any{"name": "keys", "hashKey": "pk", "projectionType": "KEYS_ONLY"},
	}, in["globalSecondaryIndexes"])
	assert.Equal(t, map[string]any{"attributeName": "expiresAt", "enabled": true}, in["ttl"])
	assert.Equal(t, true, in["streamEnabled"])
	assert.Equal(t, "NEW_AND_OLD_IMAGES", in["streamViewType"])
}

func TestProtect(t *testing.T) {
	args := table.Args{HashKey: table.Key{Name: "id", Type: table.String}}
	args.Scope.Protect = true
	tbl := get(t, run(t, args), tableType, "orders")
	assert.True(t, tbl.Protect)
	assert.True(t, tbl.RetainOnDelete)
	assert.Equal(t, true, tbl.Inputs["deletionProtectionEnabled"])
}

func TestProvisioned(t *testing.T) {
	p := run(t, table.Args{
		HashKey:  table.Key{Name: "id", Type: table.String},
		Indexes:  []table.Index{{Name: "byStatus", HashKey: table.Key{Name: "status", Type: table.String}}},
		Capacity: &table.Provisioned{Read: table.MinMax{Min: 5, Max: 50}, Write: table.MinMax{Min: 2, Max: 20}},
	})
	tbl := get(t, p, tableType, "orders")
	assert.Equal(t, "PROVISIONED", tbl.Inputs["billingMode"])
	assert.Equal(t, 5.0, tbl.Inputs["readCapacity"])
	assert.Equal(t, 2.0, tbl.Inputs["writeCapacity"])
	assert.Equal(t, []any{map[string]any{"name": "byStatus", "hashKey": "status", "projectionType": "ALL",
		"readCapacity": 5.0, "writeCapacity": 2.0}}, tbl.Inputs["globalSecondaryIndexes"])
	assert.Equal(t, []string{"globalSecondaryIndexes[*].readCapacity", "globalSecondaryIndexes[*].writeCapacity",
		"readCapacity", "writeCapacity"}, tbl.IgnoreChanges, "auto scaling owns the capacity")

	type want struct {
		resource, dimension, metric string
		min, max                    float64
	}
	wants := map[string]want{
		"orders-scaling-read":                 {"table/" + tableName, "dynamodb:table:ReadCapacityUnits", "DynamoDBReadCapacityUtilization", 5, 50},
		"orders-scaling-write":                {"table/" + tableName, "dynamodb:table:WriteCapacityUnits", "DynamoDBWriteCapacityUtilization", 2, 20},
		"orders-scaling-index-byStatus-read":  {"table/" + tableName + "/index/byStatus", "dynamodb:index:ReadCapacityUnits", "DynamoDBReadCapacityUtilization", 5, 50},
		"orders-scaling-index-byStatus-write": {"table/" + tableName + "/index/byStatus", "dynamodb:index:WriteCapacityUnits", "DynamoDBWriteCapacityUtilization", 2, 20},
	}
	require.Len(t, p.Find(targetType, ""), len(wants))
	require.Len(t, p.Find(policyType, ""), len(wants))
	for name, w := range wants {
		t.Run(name, func(t *testing.T) {
			target := get(t, p, targetType, name)
			assert.Equal(t, componentURN, target.Parent)
			assert.True(t, target.DeleteBeforeReplace, "registering a target again overwrites it")
			assert.Equal(t, map[string]any{
				"serviceNamespace": "dynamodb", "resourceId": w.resource, "scalableDimension": w.dimension,
				"minCapacity": w.min, "maxCapacity": w.max, "tags": scopeTags,
			}, target.Inputs)

			policy := get(t, p, policyType, name+"-policy")
			assert.Equal(t, componentURN, policy.Parent)
			assert.True(t, policy.DeleteBeforeReplace)
			assert.Contains(t, policy.Dependencies, target.URN)
			assert.Equal(t, "TargetTrackingScaling", policy.Inputs["policyType"])
			assert.Equal(t, w.resource, policy.Inputs["resourceId"])
			assert.Equal(t, w.dimension, policy.Inputs["scalableDimension"])
			assert.Equal(t, map[string]any{
				"targetValue":                   70.0,
				"predefinedMetricSpecification": map[string]any{"predefinedMetricType": w.metric},
			}, policy.Inputs["targetTrackingScalingPolicyConfiguration"])
		})
	}
}

func TestOverrides(t *testing.T) {
	ran := false
	args := table.Args{
		HashKey:  table.Key{Name: "id", Type: table.String},
		RangeKey: table.Key{Name: "at", Type: table.Number},
		Overrides: table.Overrides{Table: func(a *dynamodb.TableArgs) {
			ran = true
			a.TableClass = pulumi.String("STANDARD_INFREQUENT_ACCESS")
			a.Name = pulumi.String("renamed")
			a.BillingMode = pulumi.String("PROVISIONED")
			a.ReadCapacity = pulumi.Int(1)
			a.ServerSideEncryption = &dynamodb.TableServerSideEncryptionArgs{Enabled: pulumi.Bool(false)}
			a.PointInTimeRecovery = &dynamodb.TablePointInTimeRecoveryArgs{Enabled: pulumi.Bool(false),
				RecoveryPeriodInDays: pulumi.Int(7)}
			a.DeletionProtectionEnabled = pulumi.Bool(false)
			a.StreamEnabled = pulumi.Bool(true)
			a.HashKey = pulumi.String("other")
			// A local secondary index needs its sort key defined; only a hook can add one.
			a.Attributes = dynamodb.TableAttributeArray{
				dynamodb.TableAttributeArgs{Name: pulumi.String("id"), Type: pulumi.String("N")},
				dynamodb.TableAttributeArgs{Name: pulumi.String("placedAt"), Type: pulumi.String("S")},
			}
			a.LocalSecondaryIndexes = dynamodb.TableLocalSecondaryIndexArray{dynamodb.TableLocalSecondaryIndexArgs{
				Name: pulumi.String("byPlacedAt"), RangeKey: pulumi.String("placedAt"), ProjectionType: pulumi.String("ALL"),
			}}
		}},
	}
	args.Scope.Protect = true
	in := get(t, run(t, args), tableType, "orders").Inputs
	require.True(t, ran)

	assert.Equal(t, "STANDARD_INFREQUENT_ACCESS", in["tableClass"], "the hook's choice is kept")
	assert.Equal(t, []any{map[string]any{"name": "byPlacedAt", "rangeKey": "placedAt", "projectionType": "ALL"}},
		in["localSecondaryIndexes"])
	assert.Equal(t, []any{
		map[string]any{"name": "id", "type": "S"},
		map[string]any{"name": "at", "type": "N"},
		map[string]any{"name": "placedAt", "type": "S"},
	}, in["attributes"], "key attributes are owned; the hook's extra definition is kept")

	assert.Equal(t, tableName, in["name"])
	assert.Equal(t, "id", in["hashKey"])
	assert.Equal(t, "PAY_PER_REQUEST", in["billingMode"])
	assert.NotContains(t, in, "readCapacity")
	assert.Equal(t, map[string]any{"enabled": true, "kmsKeyArn": scopetest.KeyArn}, in["serverSideEncryption"])
	assert.Equal(t, map[string]any{"enabled": true, "recoveryPeriodInDays": 7.0}, in["pointInTimeRecovery"])
	assert.Equal(t, true, in["deletionProtectionEnabled"])
	assert.NotContains(t, in, "streamEnabled", "a stream is declared in Args, where the grants see it")
}

func TestOverridesKeepWhatTheComponentDoesNotOwn(t *testing.T) {
	in := get(t, run(t, table.Args{
		HashKey: table.Key{Name: "id", Type: table.String},
		Overrides: table.Overrides{Table: func(a *dynamodb.TableArgs) {
			a.DeletionProtectionEnabled = pulumi.Bool(true)
			a.OnDemandThroughput = &dynamodb.TableOnDemandThroughputArgs{MaxReadRequestUnits: pulumi.Int(1000)}
		}},
	}), tableType, "orders").Inputs
	assert.Equal(t, true, in["deletionProtectionEnabled"], "an unprotected scope's table may still be protected")
	assert.Equal(t, map[string]any{"maxReadRequestUnits": 1000.0}, in["onDemandThroughput"])
}

func TestNewRefusesInvalidArgs(t *testing.T) {
	err := plantest.RunErr(func(ctx *pulumi.Context) error {
		_, err := table.New(ctx, "orders", &table.Args{Scope: scopetest.New()})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `table "orders": HashKey: is required`)

	err = plantest.RunErr(func(ctx *pulumi.Context) error {
		_, err := table.New(ctx, "orders", nil)
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `table "orders": Scope.Naming:`)
}

func TestGolden(t *testing.T) {
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		s := scopetest.New()
		s.Protect = true
		_, err := table.New(ctx, "orders", &table.Args{
			Scope:    s,
			HashKey:  table.Key{Name: "pk", Type: table.String},
			RangeKey: table.Key{Name: "sk", Type: table.String},
			Indexes: []table.Index{{Name: "byCustomer", HashKey: table.Key{Name: "customerId", Type: table.String},
				RangeKey: table.Key{Name: "placedAt", Type: table.Number}}},
			TTLAttribute: "expiresAt",
			Stream:       table.StreamNewAndOldImages,
			Capacity:     &table.Provisioned{Read: table.MinMax{Min: 5, Max: 100}, Write: table.MinMax{Min: 5, Max: 50}},
		})
		return err
	})
	plantest.Golden(t, "testdata/table.plan.json", p)
}
