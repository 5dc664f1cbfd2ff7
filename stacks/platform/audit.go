package platform

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/pulumi/pulumi-awsx/sdk/v2/go/awsx/awsx"
	awsxcloudtrail "github.com/pulumi/pulumi-awsx/sdk/v2/go/awsx/cloudtrail"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/extensions/bucket"
	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
)

// cloudTrailService is CloudTrail's service principal.
const cloudTrailService iam.Service = "cloudtrail.amazonaws.com"

// trailArn is the audit trail's ARN, derived from its name: the key policy and the bucket
// policy name the trail before it exists. A multi-region trail keeps its home region's ARN
// everywhere, and it is the encryption context of every log file.
func trailArn(names naming.Scope, region, account string) string {
	return "arn:aws:cloudtrail:" + region + ":" + account + ":trail/" + names.Physical(trailKind(), auditName)
}

// trailKeyStatements let CloudTrail use the platform key for the audit trail only: data keys
// for log files whose encryption context is this trail, and the key's description, which
// CloudTrail reads when the trail is created or changed. Both are bound to the trail by
// aws:SourceArn, so that another account's trail cannot make CloudTrail use the key.
func trailKeyStatements(trail string) iam.Statements {
	principal := []iam.Principal{{Type: iam.PrincipalService, Identifiers: []pulumi.StringInput{pulumi.String(cloudTrailService)}}}
	source := iam.Condition{Test: "StringEquals", Variable: "aws:SourceArn", Values: []pulumi.StringInput{pulumi.String(trail)}}
	return iam.Statements{
		{
			Sid: "CloudTrailEncryptsTheAuditTrail", Principals: principal, Actions: []string{"kms:GenerateDataKey"},
			Resources: []pulumi.StringInput{pulumi.String("*")},
			Conditions: []iam.Condition{source, {Test: "StringEquals", Variable: "kms:EncryptionContext:aws:cloudtrail:arn",
				Values: []pulumi.StringInput{pulumi.String(trail)}}},
		},
		{
			Sid: "CloudTrailDescribesTheKey", Principals: principal, Actions: []string{"kms:DescribeKey"},
			Resources: []pulumi.StringInput{pulumi.String("*")}, Conditions: []iam.Condition{source},
		},
	}
}

// audit creates the environment's audit trail (awsx's cloudtrail.Trail: every region,
// global service events, validated and encrypted log files) and the bucket it delivers to.
//
// The bucket policy. awsx's Trail always writes its own policy on the bucket it is given
// (an ACL check and a write for cloudtrail.amazonaws.com, without TLS or a source condition)
// and makes the trail depend on it, so that CloudTrail accepts the bucket when the trail is
// created. S3 holds one policy per bucket, the last written, so two policy resources on one
// bucket overwrite each other. The bucket's own policy (TLS only, and CloudTrail's delivery
// for this trail's ARN, which is everything CloudTrail needs) is therefore written after the
// trail, which awsx creates after its policy: the bucket's PolicyAfter is the trail. The
// trail is created from the bucket's name, so PolicyAfter is an input that resolves once the
// trail exists. After that, awsx rewrites its policy only when its inputs (the bucket's ARN)
// change, which replaces the bucket and so its policy too, written after the trail again;
// s3-bucket-baseline checks, in every plan, the one policy written last.
func audit(ctx *pulumi.Context, cfg *config.Config, sc scope.Scope, region, account string) (*awsxcloudtrail.Trail, *bucket.Bucket, error) {
	trail := trailArn(sc.Naming, region, account)
	after, resolve := policyAfter(ctx)
	// Until resolve has the trail, the bucket policy waits for it; if the program fails
	// first, the policy fails with it instead of waiting forever.
	defer resolve(nil, errors.New("the audit trail was not created"))
	delivery := bucket.Delivery{
		Name: "CloudTrail", Service: cloudTrailService, Prefix: "AWSLogs/" + account + "/",
		SourceArns: []pulumi.StringInput{pulumi.String(trail)}, CheckACL: true,
	}
	b, err := bucket.New(ctx, auditName, &bucket.Args{
		Scope: sc,
		Lifecycle: bucket.Lifecycle{
			GlacierAfter: days(cfg.Ops.AuditGlacierDays),
			ExpireAfter:  days(cfg.Ops.AuditExpireDays),
		},
		Statements:  delivery.Statements,
		PolicyAfter: after,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("audit: %w", err)
	}
	// The trail waits for the bucket's configuration, never for the bucket component: its
	// policy waits for the trail. awsx takes the bucket by ARN: from a name it builds the ARN
	// without "s3".
	configured := []pulumi.Resource{b.Bucket, b.Versioning, b.Encryption, b.PublicAccessBlock, b.Ownership}
	t, err := awsxcloudtrail.NewTrail(ctx, auditName, &awsxcloudtrail.TrailArgs{
		Name:     pulumi.String(sc.Name(trailKind(), auditName)),
		S3Bucket: &awsx.RequiredBucketArgs{Existing: &awsx.ExistingBucketArgs{Arn: b.Arn}},
		// No log group: the trail is read from S3, and its integrity is the digest files.
		IsMultiRegionTrail:         pulumi.Bool(true),
		IncludeGlobalServiceEvents: pulumi.Bool(true),
		EnableLogFileValidation:    pulumi.Bool(true),
		EnableLogging:              pulumi.Bool(true),
		KmsKeyId:                   sc.KeyArn,
		Tags:                       sc.TagMap(),
	}, slices.Concat([]pulumi.ResourceOption{pulumi.DependsOn(configured)}, sc.Stateful())...)
	if err != nil {
		return nil, nil, fmt.Errorf("audit trail: %w", err)
	}
	resolve([]pulumi.Resource{t}, nil)
	return t, b, nil
}

// policyAfter returns an input of resources that resolves when resolve is first called:
// with the resources, or failing with err when they are nil. Later calls do nothing.
func policyAfter(ctx *pulumi.Context) (pulumi.ResourceArrayOutput, func([]pulumi.Resource, error)) {
	out, resolveAny, reject := ctx.NewOutput()
	var once sync.Once
	resolve := func(resources []pulumi.Resource, err error) {
		once.Do(func() {
			if resources == nil {
				reject(err)
				return
			}
			resolveAny(resources)
		})
	}
	resources := out.ApplyT(func(v any) ([]pulumi.Resource, error) {
		r, ok := v.([]pulumi.Resource)
		if !ok {
			return nil, fmt.Errorf("policy after: %T is not a list of resources", v)
		}
		return r, nil
	}).(pulumi.ResourceArrayOutput)
	return resources, resolve
}

// days is a number of days as a duration; 0 stays 0 (never).
func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }
