package local

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"

	"github.com/stratum-platform/stratum/platform/plan"
)

// AWSXVersion is the version the local awsx provider reports: the pulumi-awsx SDK version
// Stratum pins, so that the engine takes it for the plugin the programs ask for.
const AWSXVersion = "2.22.0"

// TypeAWSXTrail is the awsx component Stratum uses: a CloudTrail trail.
const TypeAWSXTrail = plan.TypeAWSXTrail

// ConstructAWSX builds the awsx components Stratum uses as the real awsx provider does, so
// that the engine records the same children (which the local AWS provider then serves). It
// refuses what Stratum does not use, rather than guessing.
func ConstructAWSX(ctx *pulumi.Context, typ, name string, inputs provider.ConstructInputs,
	options pulumi.ResourceOption,
) (*provider.ConstructResult, error) {
	if typ != TypeAWSXTrail {
		return nil, fmt.Errorf("local awsx: %s is not served locally; Stratum uses awsx only for %s", typ, TypeAWSXTrail)
	}
	args, err := inputs.Map()
	if err != nil {
		return nil, fmt.Errorf("local awsx: %s %q: %w", typ, name, err)
	}
	return constructTrail(ctx, name, args, options)
}

type component struct{ pulumi.ResourceState }

// constructTrail registers what awsx's Trail registers for an existing bucket and no log
// group: a bucket policy letting CloudTrail write, then the trail, which depends on it.
func constructTrail(ctx *pulumi.Context, name string, args pulumi.Map, options pulumi.ResourceOption) (*provider.ConstructResult, error) {
	fail := func(err error) (*provider.ConstructResult, error) {
		return nil, fmt.Errorf("local awsx: %s %q: %w", TypeAWSXTrail, name, err)
	}
	trail := &component{}
	if err := ctx.RegisterComponentResource(TypeAWSXTrail, name, trail, options); err != nil {
		return fail(err)
	}
	logs := args["cloudWatchLogsGroup"]
	if logs == nil {
		logs = pulumi.Map{}
	}
	bucket := pulumi.All(args["s3Bucket"], logs).ApplyT(func(v []any) (string, error) {
		if m, _ := v[1].(map[string]any); len(m) > 0 && m["skip"] != true {
			return "", errors.New("cloudWatchLogsGroup: only {skip: true} is served locally")
		}
		return plan.TrailBucket(v[0])
	}).(pulumi.StringOutput)
	policy, err := s3.NewBucketPolicy(ctx, name, &s3.BucketPolicyArgs{
		Bucket: bucket,
		Policy: bucket.ApplyT(plan.TrailBucketPolicy).(pulumi.StringOutput),
	}, pulumi.Parent(trail))
	if err != nil {
		return fail(err)
	}
	props := pulumi.Map{"s3BucketName": bucket}
	for k, v := range args {
		if k != "s3Bucket" && k != "cloudWatchLogsGroup" {
			props[k] = v
		}
	}
	var child pulumi.CustomResourceState
	if err := ctx.RegisterResource(plan.TypeTrail, name, props, &child,
		pulumi.Parent(trail), pulumi.DependsOn([]pulumi.Resource{policy})); err != nil {
		return fail(err)
	}
	// Nothing in Stratum reads the component's outputs (the trail, bucket and log group
	// references awsx returns), so none are registered.
	if err := ctx.RegisterResourceOutputs(trail, pulumi.Map{}); err != nil {
		return fail(err)
	}
	return provider.NewConstructResult(trail)
}
