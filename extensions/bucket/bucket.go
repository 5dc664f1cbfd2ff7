// Package bucket provides Bucket: an S3 bucket for exports, audit logs and log archives,
// encrypted with the context's KMS key, private, versioned, TLS-only, kept for a while and
// then cleaned up by lifecycle rules, and alarmed. It is an extension: a component declared
// outside components/ with the platform's exported API only (docs/extending.md).
//
// Default settings:
//   - name `<org>-<env>-<context>-<name>-<account>-<region>` fitted to S3's rules (Kind):
//     bucket names are global across every AWS account, so the account and the region keep
//     two organisations' (or two regions') `acme-dev-x-exports` apart;
//   - SSE-KMS with the scope's key and an S3 bucket key (fewer KMS requests);
//   - versioning on; object ownership BucketOwnerEnforced (ACLs off); every flag of the
//     public access block on; never force-destroyed (deleting a bucket with objects fails);
//   - one bucket policy, owned by the Bucket: it denies the S3 data actions to anyone not
//     using TLS (aws:SecureTransport false), then holds the caller's statements
//     (Args.Statements, such as an AWS service's Delivery); written after Args.PolicyAfter,
//     when another resource also writes the bucket's policy;
//   - lifecycle: incomplete multipart uploads aborted after 7 days, noncurrent versions
//     deleted 30 days after they became noncurrent, current objects kept (Args.Lifecycle
//     moves them to S3 Glacier Flexible Retrieval and expires them);
//   - request metrics for the whole bucket and an alarm to the scope's alarm topic on its
//     5xx errors (at least 5 in 5 minutes): exports and logs are written by programs and
//     AWS services, a failed write is lost unless retried, and S3 reports no error of a
//     bucket anywhere else;
//   - the bucket and its configurations protected and retained when the scope protects
//     stateful resources, so a retained bucket keeps its encryption, policy and public
//     access block; the scope's tags on the bucket.
//
// Keys: a service that delivers objects (CloudTrail, AWS Config) encrypts them with the
// scope's key, so the key policy must let it: that is the key owner's job
// (components/key, Args.Services). Functions get the key through AllowRead and AllowWrite.
package bucket

import (
	"errors"
	"fmt"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/platform/iam"
)

// TypeToken is the Pulumi type of Bucket; renaming it needs an alias.
const TypeToken = "stratum:bucket:Bucket"

// Defaults of the lifecycle.
const (
	day                   = 24 * time.Hour
	defaultNoncurrent     = 30 * day
	defaultAbortUploads   = 7 * day
	glacierMinimumStorage = 90 * day // S3 Glacier Flexible Retrieval charges every object this long
)

// Args configures a Bucket. The zero value is valid except for Scope.
type Args struct {
	// Scope names the bucket and supplies the KMS key, tags, alarm topic and protection.
	// Required.
	Scope scope.Scope
	// Lifecycle moves, expires and cleans up objects. Default: see Lifecycle's fields.
	Lifecycle Lifecycle
	// Statements return the statements the bucket policy holds after its own TLS-only one,
	// given the bucket's ARN: the deliveries of AWS services (Delivery), a reader in another
	// account. Each needs a Sid and principals, and an Allow for an AWS service principal
	// an aws:SourceArn or aws:SourceAccount condition. It is called with a placeholder ARN
	// by Validate, then with the bucket's, so it must only build statements. Default: none.
	Statements func(bucketArn pulumi.StringInput) iam.Statements
	// PolicyAfter are resources the bucket policy is written after: another writer of this
	// bucket's policy, such as awsx's cloudtrail.Trail, which always writes its own. S3 keeps
	// one policy per bucket, the last one written, so the bucket's own must come last; its
	// statements must then hold everything the other writer needed. It may resolve after New
	// returns, to a resource created with the bucket's name. Default: none.
	PolicyAfter pulumi.ResourceArrayInput
	// Overrides change the children's arguments before the component re-applies the fields
	// it owns. Default: none.
	Overrides Overrides
}

// Lifecycle are the bucket's lifecycle rules, in whole days.
type Lifecycle struct {
	// GlacierAfter moves current objects to S3 Glacier Flexible Retrieval this long after
	// they were written, whole days from 1 day. Default: never (they stay in S3 Standard).
	GlacierAfter time.Duration
	// ExpireAfter deletes current objects (a delete marker makes them noncurrent) this long
	// after they were written, whole days, and at least 90 days after GlacierAfter when
	// both are set: Glacier charges 90 days for every object. Default: never.
	ExpireAfter time.Duration
	// NoncurrentExpireAfter deletes a version this long after it became noncurrent
	// (overwritten or deleted), whole days: how long a mistake can be undone.
	// Default: 30 days.
	NoncurrentExpireAfter time.Duration
	// AbortUploadsAfter aborts multipart uploads not completed this long after they began,
	// whole days; their parts are billed and invisible until then. Default: 7 days.
	AbortUploadsAfter time.Duration
}

// Overrides are hooks on the children's arguments. They run before the component re-applies
// the fields it owns, which a hook therefore cannot change: of the bucket everything but its
// tags and object lock (its other settings are inline copies of the configurations), and
// the policy, versioning, encryption, every public access block flag, object ownership, the
// lifecycle rules and the metrics filter. Tags are set before the hook, which may add to
// them.
type Overrides struct {
	// Bucket changes the s3.BucketV2Args. Default: none.
	Bucket func(*s3.BucketV2Args)
	// Policy changes the s3.BucketPolicyArgs. Default: none.
	Policy func(*s3.BucketPolicyArgs)
	// Versioning changes the s3.BucketVersioningV2Args. Default: none.
	Versioning func(*s3.BucketVersioningV2Args)
	// Encryption changes the s3.BucketServerSideEncryptionConfigurationV2Args. Default: none.
	Encryption func(*s3.BucketServerSideEncryptionConfigurationV2Args)
	// PublicAccessBlock changes the s3.BucketPublicAccessBlockArgs. Default: none.
	PublicAccessBlock func(*s3.BucketPublicAccessBlockArgs)
	// Ownership changes the s3.BucketOwnershipControlsArgs. Default: none.
	Ownership func(*s3.BucketOwnershipControlsArgs)
	// Lifecycle changes the s3.BucketLifecycleConfigurationV2Args. Default: none.
	Lifecycle func(*s3.BucketLifecycleConfigurationV2Args)
	// Metric changes the s3.BucketMetricArgs. Default: none.
	Metric func(*s3.BucketMetricArgs)
}

// Bucket is an encrypted, private, versioned S3 bucket with its policy, lifecycle and alarm.
type Bucket struct {
	pulumi.ResourceState

	// Bucket is the S3 bucket.
	Bucket *s3.BucketV2
	// Policy is the bucket policy: TLS only, and the caller's statements.
	Policy *s3.BucketPolicy
	// Versioning keeps every version of every object.
	Versioning *s3.BucketVersioningV2
	// Encryption encrypts new objects with the scope's key.
	Encryption *s3.BucketServerSideEncryptionConfigurationV2
	// PublicAccessBlock refuses public ACLs and policies.
	PublicAccessBlock *s3.BucketPublicAccessBlock
	// Ownership turns ACLs off: the bucket owner owns every object.
	Ownership *s3.BucketOwnershipControls
	// Lifecycle holds the lifecycle rules.
	Lifecycle *s3.BucketLifecycleConfigurationV2
	// Metric turns on the request metrics of the whole bucket, which the alarm watches.
	Metric *s3.BucketMetric
	// ServerErrorAlarm fires on the bucket's 5xx errors.
	ServerErrorAlarm *cloudwatch.MetricAlarm

	// Arn and Name identify the bucket.
	Arn, Name pulumi.StringOutput

	name  string
	scope scope.Scope
}

// Validate reports every problem with args at once.
func (a *Args) Validate() error {
	var errs []error
	if err := a.Scope.Validate(); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, a.Lifecycle.validate()...)
	if a.Statements != nil {
		if err := validateStatements(a.Statements(pulumi.String("arn:aws:s3:::bucket"))); err != nil {
			errs = append(errs, fmt.Errorf("Statements: %w", err))
		}
	}
	return errors.Join(errs...)
}

func (l Lifecycle) validate() []error {
	var errs []error
	for _, d := range []struct {
		field string
		value time.Duration
	}{
		{"Lifecycle.GlacierAfter", l.GlacierAfter}, {"Lifecycle.ExpireAfter", l.ExpireAfter},
		{"Lifecycle.NoncurrentExpireAfter", l.NoncurrentExpireAfter}, {"Lifecycle.AbortUploadsAfter", l.AbortUploadsAfter},
	} {
		if d.value < 0 || d.value%day != 0 {
			errs = append(errs, fmt.Errorf("%s: %s is not a whole number of days (24h each); use 0 for the default", d.field, d.value))
		}
	}
	if l.GlacierAfter > 0 && l.ExpireAfter > 0 && l.ExpireAfter < l.GlacierAfter+glacierMinimumStorage {
		errs = append(errs, fmt.Errorf("Lifecycle.ExpireAfter: %d days is less than 90 days after Lifecycle.GlacierAfter (%d days); "+
			"Glacier charges 90 days for every object, so expire at %d days at the earliest or leave GlacierAfter 0",
			l.ExpireAfter/day, l.GlacierAfter/day, (l.GlacierAfter+glacierMinimumStorage)/day))
	}
	return errs
}

// withDefaults returns the Args with every default filled in.
func (a *Args) withDefaults() Args {
	d := *a
	if d.Lifecycle.NoncurrentExpireAfter == 0 {
		d.Lifecycle.NoncurrentExpireAfter = defaultNoncurrent
	}
	if d.Lifecycle.AbortUploadsAfter == 0 {
		d.Lifecycle.AbortUploadsAfter = defaultAbortUploads
	}
	return d
}

// New creates a Bucket.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Bucket, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(); err != nil {
		return nil, fmt.Errorf("bucket %q: %w", name, err)
	}
	a := args.withDefaults()
	b := &Bucket{name: name, scope: a.Scope}
	if err := ctx.RegisterComponentResource(TypeToken, name, b, opts...); err != nil {
		return nil, fmt.Errorf("bucket %q: %w", name, err)
	}
	if err := b.children(ctx, name, a); err != nil {
		return nil, fmt.Errorf("bucket %q: %w", name, err)
	}
	b.Arn, b.Name = b.Bucket.Arn, b.Bucket.Bucket
	if err := ctx.RegisterResourceOutputs(b, pulumi.Map{"arn": b.Arn, "name": b.Name}); err != nil {
		return nil, fmt.Errorf("bucket %q: %w", name, err)
	}
	return b, nil
}
