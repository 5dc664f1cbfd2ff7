package bucket

import (
	"fmt"
	"slices"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/platform/naming"
)

// metricsFilter is the id of the request metrics of the whole bucket: the FilterId
// dimension of its metrics.
const metricsFilter = "EntireBucket"

// children creates the bucket, its configurations, its policy, its request metrics and the
// alarm. The bucket and the configurations are stateful: a retained bucket keeps them.
func (b *Bucket) children(ctx *pulumi.Context, name string, a Args) error {
	parent := pulumi.Parent(b)
	stateful := slices.Concat([]pulumi.ResourceOption{parent}, a.Scope.Stateful())
	identity, err := aws.GetCallerIdentity(ctx, nil, parent)
	if err != nil {
		return fmt.Errorf("reading the account: %w", err)
	}
	region, err := aws.GetRegion(ctx, nil, parent)
	if err != nil {
		return fmt.Errorf("reading the region: %w", err)
	}
	physical := PhysicalName(a.Scope, name, identity.AccountId, region.Name)
	bucketArgs := override.Apply(&s3.BucketV2Args{Tags: a.Scope.TagMap()}, a.Overrides.Bucket, func(ba *s3.BucketV2Args) {
		// A hook may set the tags and object lock; every other setting of BucketV2 is an
		// inline copy (deprecated) of a configuration resource, which it would fight.
		*ba = s3.BucketV2Args{
			Bucket:            pulumi.String(physical),
			ForceDestroy:      pulumi.Bool(false),
			Tags:              ba.Tags,
			ObjectLockEnabled: ba.ObjectLockEnabled,
		}
	})
	if b.Bucket, err = s3.NewBucketV2(ctx, name, bucketArgs, stateful...); err != nil {
		return err
	}
	id := b.Bucket.ID().ToStringOutput()
	if err := b.configure(ctx, name, a, id, stateful); err != nil {
		return err
	}
	if b.Policy, err = newPolicy(ctx, name, a, id, b.Bucket.Arn, stateful); err != nil {
		return fmt.Errorf("policy: %w", err)
	}
	return b.monitor(ctx, name, a, id, parent)
}

// configure creates the versioning, encryption, public access block, ownership and
// lifecycle configurations of the bucket with the given id (its name).
func (b *Bucket) configure(ctx *pulumi.Context, name string, a Args, bucket pulumi.StringOutput, opts []pulumi.ResourceOption) error {
	var err error
	versioning := override.Apply(&s3.BucketVersioningV2Args{}, a.Overrides.Versioning, func(v *s3.BucketVersioningV2Args) {
		v.Bucket = bucket
		v.VersioningConfiguration = &s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")}
	})
	if b.Versioning, err = s3.NewBucketVersioningV2(ctx, naming.Child(name, "versioning"), versioning, opts...); err != nil {
		return fmt.Errorf("versioning: %w", err)
	}
	encryption := override.Apply(&s3.BucketServerSideEncryptionConfigurationV2Args{}, a.Overrides.Encryption,
		func(e *s3.BucketServerSideEncryptionConfigurationV2Args) {
			e.Bucket = bucket
			e.Rules = s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
				ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
					SseAlgorithm:   pulumi.String("aws:kms"),
					KmsMasterKeyId: a.Scope.KeyArn,
				},
				BucketKeyEnabled: pulumi.Bool(true),
			}}
		})
	if b.Encryption, err = s3.NewBucketServerSideEncryptionConfigurationV2(ctx, naming.Child(name, "encryption"), encryption, opts...); err != nil {
		return fmt.Errorf("encryption: %w", err)
	}
	block := override.Apply(&s3.BucketPublicAccessBlockArgs{}, a.Overrides.PublicAccessBlock, func(p *s3.BucketPublicAccessBlockArgs) {
		p.Bucket = bucket
		p.BlockPublicAcls, p.BlockPublicPolicy = pulumi.Bool(true), pulumi.Bool(true)
		p.IgnorePublicAcls, p.RestrictPublicBuckets = pulumi.Bool(true), pulumi.Bool(true)
	})
	if b.PublicAccessBlock, err = s3.NewBucketPublicAccessBlock(ctx, naming.Child(name, "public-access-block"), block, opts...); err != nil {
		return fmt.Errorf("public access block: %w", err)
	}
	ownership := override.Apply(&s3.BucketOwnershipControlsArgs{}, a.Overrides.Ownership, func(o *s3.BucketOwnershipControlsArgs) {
		o.Bucket = bucket
		o.Rule = &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")}
	})
	if b.Ownership, err = s3.NewBucketOwnershipControls(ctx, naming.Child(name, "ownership"), ownership, opts...); err != nil {
		return fmt.Errorf("ownership: %w", err)
	}
	lifecycle := override.Apply(&s3.BucketLifecycleConfigurationV2Args{}, a.Overrides.Lifecycle, func(l *s3.BucketLifecycleConfigurationV2Args) {
		l.Bucket = bucket
		l.Rules = s3.BucketLifecycleConfigurationV2RuleArray{lifecycleRule(a.Lifecycle)}
	})
	// Noncurrent versions exist only once versioning is on.
	lifecycleOpts := slices.Concat(opts, []pulumi.ResourceOption{pulumi.DependsOn([]pulumi.Resource{b.Versioning})})
	if b.Lifecycle, err = s3.NewBucketLifecycleConfigurationV2(ctx, naming.Child(name, "lifecycle"), lifecycle, lifecycleOpts...); err != nil {
		return fmt.Errorf("lifecycle: %w", err)
	}
	return nil
}

// lifecycleRule is the one lifecycle rule, for every object of the bucket.
func lifecycleRule(l Lifecycle) *s3.BucketLifecycleConfigurationV2RuleArgs {
	r := &s3.BucketLifecycleConfigurationV2RuleArgs{
		Id:     pulumi.String("default"),
		Status: pulumi.String("Enabled"),
		Filter: &s3.BucketLifecycleConfigurationV2RuleFilterArgs{},
		AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
			DaysAfterInitiation: pulumi.Int(days(l.AbortUploadsAfter)),
		},
		NoncurrentVersionExpiration: &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
			NoncurrentDays: pulumi.Int(days(l.NoncurrentExpireAfter)),
		},
	}
	if l.GlacierAfter > 0 {
		r.Transitions = s3.BucketLifecycleConfigurationV2RuleTransitionArray{&s3.BucketLifecycleConfigurationV2RuleTransitionArgs{
			Days: pulumi.Int(days(l.GlacierAfter)), StorageClass: pulumi.String("GLACIER"),
		}}
	}
	if l.ExpireAfter > 0 {
		r.Expiration = &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(days(l.ExpireAfter))}
	}
	return r
}

func days(d time.Duration) int { return int(d / day) }
