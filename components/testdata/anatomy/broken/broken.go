// Package broken is a component that breaks every rule of the anatomy, for the anatomy test
// (components/anatomy_test.go). It lives in testdata, so the go command never builds it.
package broken

import (
	"errors"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/iam"
)

// TypeToken is a literal: a rename would not reach platform/graph.
const TypeToken = "stratum:broken:Broken"

// Args configures a Broken.
type Args struct {
	// Name is required. Required.
	Name string
	// Overrides are hooks. Default: none.
	Overrides Overrides
}

// Overrides has a hook applied by hand, one never applied, and a field that is no hook.
type Overrides struct {
	// Bucket changes the bucket's arguments. Default: none.
	Bucket func(*s3.BucketArgs)
	// Policy changes the bucket policy's arguments. Default: none.
	Policy func(*s3.BucketPolicyArgs)
	// Retries is not a hook. Default: 0.
	Retries int
}

// Validate stops at the first problem; there is no withDefaults.
func (a *Args) Validate() error {
	if a.Name == "" {
		return errors.New("Name: is required")
	}
	return nil
}

// Broken hides one of its children.
type Broken struct {
	pulumi.ResourceState

	// Bucket is exported.
	Bucket *s3.Bucket
	policy *s3.BucketPolicy
}

// New takes its Args by value, registers before validating, with a literal type, and never
// registers its outputs.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Broken, error) {
	b := &Broken{}
	if err := ctx.RegisterComponentResource("stratum:broken:Broken", name, b, opts...); err != nil {
		return nil, err
	}
	if err := args.Validate(); err != nil {
		return nil, err
	}
	bucketArgs := &s3.BucketArgs{}
	if args.Overrides.Bucket != nil {
		args.Overrides.Bucket(bucketArgs)
	}
	// Replacing a hook is no chaining through components/override.
	args.Overrides.Policy = nil
	var err error
	b.Bucket, err = s3.NewBucket(ctx, name, bucketArgs, pulumi.Parent(b))
	if err != nil {
		return nil, err
	}
	b.policy, err = s3.NewBucketPolicy(ctx, name+"-policy", &s3.BucketPolicyArgs{Bucket: b.Bucket.ID()}, pulumi.Parent(b))
	return b, err
}

// AllowRead can fail.
func (b *Broken) AllowRead() (iam.Statements, error) {
	return iam.Statements{{Actions: []string{"s3:GetObject"}, Resources: []pulumi.StringInput{b.Bucket.Arn}}}, nil
}

// AllowWrite returns a single statement.
func (b *Broken) AllowWrite() iam.Statement {
	return iam.Statement{Actions: []string{"s3:PutObject"}, Resources: []pulumi.StringInput{b.Bucket.Arn}}
}
