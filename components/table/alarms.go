package table

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/alarm"
	"github.com/stratum-platform/stratum/components/dashboard"
)

// alarmPeriod is the window of every table alarm: long enough that one throttled burst
// retried by the SDK is one notification, short enough to page within minutes.
const alarmPeriod = 300

// dataOperations are the operations whose system errors are alarmed. DynamoDB publishes
// SystemErrors only per table AND operation (there is no table-wide series), so each
// operation needs its own alarm.
func dataOperations(stream bool) []string {
	ops := []string{"GetItem", "BatchGetItem", "Query", "Scan", "PutItem", "UpdateItem", "DeleteItem",
		"BatchWriteItem", "TransactGetItems", "TransactWriteItems"}
	if stream {
		ops = append(ops, "GetRecords")
	}
	return ops
}

// alarms creates the throttle alarms of one generation of the table and its indexes and the system error
// alarms of each data operation. Throttles are read from ReadThrottleEvents and
// WriteThrottleEvents, which DynamoDB publishes per table and per index, unlike
// ThrottledRequests (per operation only).
func (t *Table) alarms(ctx *pulumi.Context, g generation, a *Args) error {
	table := pulumi.StringMap{"TableName": g.table.Name}
	specs := []alarm.Spec{
		throttles("read-throttles", "ReadThrottleEvents", "Reads of the table were throttled", table),
		throttles("write-throttles", "WriteThrottleEvents", "Writes to the table were throttled", table),
	}
	for _, idx := range a.Indexes {
		dims := pulumi.StringMap{"TableName": g.table.Name, "GlobalSecondaryIndexName": pulumi.String(idx.Name)}
		specs = append(specs,
			throttles("index-"+idx.Name+"-read-throttles", "ReadThrottleEvents",
				"Reads of index "+idx.Name+" were throttled", dims),
			throttles("index-"+idx.Name+"-write-throttles", "WriteThrottleEvents",
				"Writes to index "+idx.Name+" were throttled (they also throttle writes to the table)", dims))
	}
	for _, op := range dataOperations(a.Stream != "") {
		specs = append(specs, alarm.Spec{
			Name: "system-errors-" + strings.ToLower(op),
			Description: "DynamoDB answered " + op + " requests with server errors (HTTP 500). " +
				"Check the AWS Health Dashboard; clients retry, so sustained errors mean failed requests.",
			Namespace:     "AWS/DynamoDB",
			Metric:        "SystemErrors",
			Dimensions:    pulumi.StringMap{"TableName": g.table.Name, "Operation": pulumi.String(op)},
			Statistic:     "Sum",
			PeriodSeconds: alarmPeriod,
			Threshold:     pulumi.Float64(0),
		})
	}
	for _, spec := range specs {
		if _, err := alarm.New(ctx, g.logical, a.Scope, spec, t); err != nil {
			return err
		}
	}
	return nil
}

func throttles(name, metric, what string, dims pulumi.StringMap) alarm.Spec {
	return alarm.Spec{
		Name: name,
		Description: what + ". On-demand tables throttle above twice their previous peak or on a " +
			"hot partition; provisioned tables above their capacity. Check the key distribution and capacity.",
		Namespace:     "AWS/DynamoDB",
		Metric:        metric,
		Dimensions:    dims,
		Statistic:     "Sum",
		PeriodSeconds: alarmPeriod,
		Threshold:     pulumi.Float64(0),
	}
}

// Widgets returns the table's graph on its service's dashboard: consumed capacity and
// throttled requests of its newest generation, which a switch of the generation in use does
// not change.
func (t *Table) Widgets() []dashboard.Widget {
	var name pulumi.StringInput = t.Name
	if t.newestName != nil {
		name = t.newestName
	}
	return []dashboard.Widget{{Title: "Table " + t.name, Namespace: "AWS/DynamoDB",
		Dimensions: []dashboard.Dimension{{Name: "TableName", Value: name}},
		Metrics: []dashboard.Metric{{Name: "ConsumedReadCapacityUnits", Stat: "Sum"}, {Name: "ConsumedWriteCapacityUnits", Stat: "Sum"},
			{Name: "ReadThrottleEvents", Stat: "Sum"}, {Name: "WriteThrottleEvents", Stat: "Sum"}}}}
}
