package bucket_test

import (
	"fmt"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/service"
	"github.com/stratum-platform/stratum/extensions/bucket"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
	"github.com/stratum-platform/stratum/platform/tags"
)

// A context keeps its exports in a bucket: the service has no method for buckets, so the
// bucket is created with the service's scope, as its child, and joins it (and its
// dashboard) through Add; the function that writes exports gets AllowWrite.
func Example() {
	names := naming.Scope{Org: "acme", Env: "dev", Context: "orders"}
	program := func(ctx *pulumi.Context) error {
		svc, err := service.New(ctx, "orders", &service.Args{
			Naming:        names,
			Tags:          tags.Default(names, "orders-team", "cc-1000"),
			PlatformStack: "organization/platform/dev",
		})
		if err != nil {
			return err
		}
		exports, err := bucket.New(ctx, "exports", &bucket.Args{
			Scope:     svc.Scope,
			Lifecycle: bucket.Lifecycle{ExpireAfter: 90 * 24 * time.Hour},
		}, pulumi.Parent(svc))
		if err != nil {
			return err
		}
		if err := svc.Add(exports); err != nil {
			return err
		}
		if _, err := svc.Function("export", function.Args{
			Archive:     "testdata/bootstrap.zip",
			Environment: map[string]pulumi.StringInput{"BUCKET": exports.Name},
			Grants:      exports.AllowWrite(),
		}); err != nil {
			return err
		}
		return svc.Finish()
	}

	p, err := plan.Run(plan.Options{Project: "orders", Stack: "dev", Reference: platformOutputs}, program)
	if err != nil {
		fmt.Println(err)
		return
	}
	b, _ := p.Get("aws:s3/bucketV2:BucketV2", "exports")
	fmt.Println(b.Inputs["bucket"])
	perms, _ := function.Permissions(p, "export")
	fmt.Println(perms["s3:PutObject"])
	if err := policy.Evaluate(p, append(policy.Builtin(), bucket.Rules()...)); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("errors:", policy.HasErrors(p))
	// Output:
	// acme-dev-orders-exports-111111111111-eu-west-1
	// [arn:aws:s3:::acme-dev-orders-exports-111111111111-eu-west-1/*]
	// errors: false
}

// A service principal delivers into the bucket through the one bucket policy: Statements
// returns a Delivery's statements, scoped to its prefix and to the trail that writes.
func ExampleDelivery() {
	trail := "arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-dev-platform-audit"
	audit := bucket.Delivery{
		Name:       "CloudTrail",
		Service:    "cloudtrail.amazonaws.com",
		Prefix:     "AWSLogs/111111111111/",
		SourceArns: []pulumi.StringInput{pulumi.String(trail)},
		CheckACL:   true,
	}
	for _, st := range audit.Statements(pulumi.String("arn:aws:s3:::acme-dev-platform-audit")) {
		fmt.Println(st.Sid, st.Actions)
	}
	// Output:
	// CloudTrailWrite [s3:PutObject]
	// CloudTrailAclCheck [s3:GetBucketAcl]
}

// platformOutputs answers the reference to the platform stack, as its golden plan would.
func platformOutputs(string) (map[string]any, error) {
	return map[string]any{
		"alarmTopicArn":          "arn:aws:sns:eu-west-1:111111111111:acme-dev-platform-alarms",
		"jwtIssuer":              "https://login.acme.example/dev",
		"jwtAudiences":           []any{"api://stratum-dev"},
		"permissionsBoundaryArn": "arn:aws:iam::111111111111:policy/acme-dev-boundary",
		"deployRoleArn":          "arn:aws:iam::111111111111:role/acme-dev-platform-ci-deploy",
		"apiDomainName":          "",
		// The platform's release function, which every function's release invocation calls.
		"releaseFunctionArn": "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-platform-release:live",
		"logDestinationArn":  "arn:aws:logs:eu-west-1:111111111111:destination:acme-dev-platform-logs",
	}, nil
}

// Kind is a naming rule declared outside platform: Physical fits any name to it, and Valid
// checks a name against it.
func ExampleKind() {
	names := naming.Scope{Org: "acme", Env: "dev", Context: "orders"}
	fmt.Println(names.Physical(bucket.Kind(), "exports-111111111111-eu-west-1"))
	fmt.Println(names.Physical(bucket.Kind(), "Audit.Logs"))
	fmt.Println(naming.Valid(bucket.Kind(), "xn--exports"))
	// Output:
	// acme-dev-orders-exports-111111111111-eu-west-1
	// acme-dev-orders-audit-logs-ad523b0f
	// naming: S3 bucket name "xn--exports" must not start with "xn--"; AWS reserves it
}

// The bucket's rules join the platform's: a bucket created without the component is held
// to what the component guarantees.
func ExampleRules() {
	raw := func(ctx *pulumi.Context) error {
		_, err := s3.NewBucketV2(ctx, "raw", &s3.BucketV2Args{Bucket: pulumi.String("acme-dev-orders-raw")})
		return err
	}
	p, err := plan.Run(plan.Options{Project: "orders", Stack: "dev"}, raw)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := policy.Evaluate(p, append(policy.Builtin(), bucket.Rules()...)); err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range p.Findings {
		if f.Rule == "s3-bucket-baseline" {
			fmt.Println(f.Message)
		}
	}
	// Output:
	// has no bucket policy; add one that denies the data actions without TLS (Bool aws:SecureTransport false)
	// has no enabled lifecycle rule with abortIncompleteMultipartUpload and noncurrentVersionExpiration: incomplete uploads and old versions are billed forever and seen by nobody
	// has no ownership controls with objectOwnership BucketOwnerEnforced; ACLs could grant access the policy does not show
	// has no public access block; add one with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets true
	// has no server-side encryption configuration; encrypt with the context's KMS key (aws:kms)
	// has no versioning Enabled; an overwrite or a delete would lose the object for good
}
