package table

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/appautoscaling"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/naming"
)

// targetUtilisation is the consumed share of provisioned capacity auto scaling aims for:
// enough headroom to absorb a burst while scaling out, which takes minutes.
const targetUtilisation = 70

// scaled is one dimension auto scaling adjusts.
type scaled struct {
	logical    string             // logical name part, e.g. "read" or "index-byStatus-read"
	resourceID pulumi.StringInput // "table/<name>" or "table/<name>/index/<index>"
	dimension  string             // dynamodb:table:ReadCapacityUnits, ...
	metric     string             // the predefined utilisation metric
	bounds     MinMax
}

// autoscale registers a scalable target and a target-tracking policy for reads and writes
// of one generation of the table and of every index. Without a role ARN, Application Auto Scaling uses its
// service-linked role for DynamoDB.
func (t *Table) autoscale(ctx *pulumi.Context, g generation, a *Args) error {
	tableID := pulumi.Sprintf("table/%s", g.table.Name)
	dims := []scaled{
		{logical: "read", resourceID: tableID, dimension: "dynamodb:table:ReadCapacityUnits",
			metric: "DynamoDBReadCapacityUtilization", bounds: a.Capacity.Read},
		{logical: "write", resourceID: tableID, dimension: "dynamodb:table:WriteCapacityUnits",
			metric: "DynamoDBWriteCapacityUtilization", bounds: a.Capacity.Write},
	}
	for _, idx := range a.Indexes {
		indexID := pulumi.Sprintf("table/%s/index/%s", g.table.Name, idx.Name)
		dims = append(dims,
			scaled{logical: "index-" + idx.Name + "-read", resourceID: indexID, dimension: "dynamodb:index:ReadCapacityUnits",
				metric: "DynamoDBReadCapacityUtilization", bounds: a.Capacity.Read},
			scaled{logical: "index-" + idx.Name + "-write", resourceID: indexID, dimension: "dynamodb:index:WriteCapacityUnits",
				metric: "DynamoDBWriteCapacityUtilization", bounds: a.Capacity.Write})
	}
	for _, d := range dims {
		// A scalable target and a policy are identified by what they scale, not by an id:
		// registering them again overwrites them, so a replacement created before the old
		// one is deleted would be deleted with it.
		target, err := appautoscaling.NewTarget(ctx, naming.Child(g.logical, "scaling-"+d.logical), &appautoscaling.TargetArgs{
			ServiceNamespace:  pulumi.String("dynamodb"),
			ResourceId:        d.resourceID,
			ScalableDimension: pulumi.String(d.dimension),
			MinCapacity:       pulumi.Int(d.bounds.Min),
			MaxCapacity:       pulumi.Int(d.bounds.Max),
			Tags:              a.Scope.TagMap(),
		}, pulumi.Parent(t), pulumi.DeleteBeforeReplace(true))
		if err != nil {
			return err
		}
		policy, err := appautoscaling.NewPolicy(ctx, naming.Child(g.logical, "scaling-"+d.logical+"-policy"), &appautoscaling.PolicyArgs{
			Name:              pulumi.Sprintf("%s-utilisation-%d", d.logical, targetUtilisation),
			PolicyType:        pulumi.String("TargetTrackingScaling"),
			ServiceNamespace:  target.ServiceNamespace,
			ResourceId:        target.ResourceId,
			ScalableDimension: target.ScalableDimension,
			TargetTrackingScalingPolicyConfiguration: &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationArgs{
				TargetValue: pulumi.Float64(targetUtilisation),
				PredefinedMetricSpecification: &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs{
					PredefinedMetricType: pulumi.String(d.metric),
				},
			},
		}, pulumi.Parent(t), pulumi.DeleteBeforeReplace(true))
		if err != nil {
			return err
		}
		t.ScalingTargets = append(t.ScalingTargets, target)
		t.ScalingPolicies = append(t.ScalingPolicies, policy)
	}
	return nil
}
