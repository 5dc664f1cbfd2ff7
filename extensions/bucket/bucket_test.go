package bucket_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/extensions/bucket"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/platform/policy"
)

const (
	physical = "acme-dev-orders-audit-111111111111-eu-west-1"
	arn      = "arn:aws:s3:::" + physical
	trail    = "arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-dev-orders-audit"
)

// audit is a bucket as the platform stack will use one: CloudTrail delivers into it,
// objects go to Glacier after 30 days and are deleted after a year.
func audit(protect bool, overrides bucket.Overrides) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		sc := scopetest.New()
		sc.Protect = protect
		_, err := bucket.New(ctx, "audit", &bucket.Args{
			Scope:     sc,
			Lifecycle: bucket.Lifecycle{GlacierAfter: 30 * 24 * time.Hour, ExpireAfter: 365 * 24 * time.Hour},
			Statements: func(bucketArn pulumi.StringInput) iam.Statements {
				return bucket.Delivery{Name: "CloudTrail", Service: "cloudtrail.amazonaws.com", Prefix: "AWSLogs/111111111111/",
					SourceArns: []pulumi.StringInput{pulumi.String(trail)}, CheckACL: true}.Statements(bucketArn)
			},
			Overrides: overrides,
		})
		return err
	}
}

func TestGolden(t *testing.T) {
	plantest.Golden(t, "testdata/bucket.plan.json", plantest.Run(t, audit(true, bucket.Overrides{})))
}

func TestChildren(t *testing.T) {
	p := plantest.Run(t, audit(false, bucket.Overrides{}))
	b, err := p.Get("aws:s3/bucketV2:BucketV2", "audit")
	require.NoError(t, err)
	assert.Equal(t, physical, b.Inputs["bucket"])
	assert.Equal(t, false, b.Inputs["forceDestroy"])
	assert.Equal(t, "stratum", b.Inputs["tags"].(map[string]any)["managed-by"])
	assert.False(t, b.Protect, "nothing is protected unless the scope protects")
	for _, r := range p.Children(b.Parent) {
		if r.Type != "aws:cloudwatch/metricAlarm:MetricAlarm" && r.Type != "aws:s3/bucketV2:BucketV2" {
			assert.Equal(t, physical, r.Inputs["bucket"], "%s configures the bucket by its name", r.Type)
		}
	}

	sse, err := p.Get("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "audit-encryption")
	require.NoError(t, err)
	assert.Equal(t, []any{map[string]any{"bucketKeyEnabled": true, "applyServerSideEncryptionByDefault": map[string]any{
		"sseAlgorithm": "aws:kms", "kmsMasterKeyId": scopetest.KeyArn}}}, sse.Inputs["rules"])
	block, err := p.Get("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "audit-public-access-block")
	require.NoError(t, err)
	for _, flag := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		assert.Equal(t, true, block.Inputs[flag], flag)
	}
	lifecycle, err := p.Get("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "audit-lifecycle")
	require.NoError(t, err)
	assert.Equal(t, []any{map[string]any{"id": "default", "status": "Enabled", "filter": map[string]any{},
		"abortIncompleteMultipartUpload": map[string]any{"daysAfterInitiation": 7.0},
		"noncurrentVersionExpiration":    map[string]any{"noncurrentDays": 30.0},
		"transitions":                    []any{map[string]any{"days": 30.0, "storageClass": "GLACIER"}},
		"expiration":                     map[string]any{"days": 365.0},
	}}, lifecycle.Inputs["rules"])

	alarm, err := p.Get("aws:cloudwatch/metricAlarm:MetricAlarm", "audit-alarm-5xx")
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"BucketName": physical, "FilterId": "EntireBucket"}, alarm.Inputs["dimensions"])
	assert.Equal(t, []any{scopetest.AlarmTopicArn}, alarm.Inputs["alarmActions"])
}

// The bucket has exactly one policy: TLS only, then the caller's statements.
func TestPolicy(t *testing.T) {
	p := plantest.Run(t, audit(false, bucket.Overrides{}))
	require.Len(t, p.Find("aws:s3/bucketPolicy:BucketPolicy", ""), 1)
	pol, err := p.Get("aws:s3/bucketPolicy:BucketPolicy", "audit-policy")
	require.NoError(t, err)
	doc, err := iam.Parse(pol.String("policy"))
	require.NoError(t, err)
	require.Len(t, doc.Statement, 3)
	deny := doc.Statement[0]
	assert.Equal(t, "Deny", deny.Effect)
	assert.Equal(t, []string{arn, arn + "/*"}, deny.Resource)
	assert.Equal(t, bucket.TLSActions(), deny.Action)
	write, check := doc.Statement[1], doc.Statement[2]
	assert.Equal(t, iam.ParsedStatement{Sid: "CloudTrailWrite", Effect: "Allow",
		Principal: map[string][]string{"Service": {"cloudtrail.amazonaws.com"}}, Action: []string{"s3:PutObject"},
		Resource:  []string{arn + "/AWSLogs/111111111111/*"},
		Condition: map[string]map[string][]string{"ArnLike": {"aws:SourceArn": {trail}}}}, write)
	assert.Equal(t, []string{"s3:GetBucketAcl"}, check.Action)
	assert.Equal(t, []string{arn}, check.Resource)
}

// Where the scope protects, the bucket and every configuration are protected and retained:
// a retained bucket keeps its encryption, policy and public access block.
func TestProtect(t *testing.T) {
	p := plantest.Run(t, audit(true, bucket.Overrides{}))
	for _, r := range p.Resources {
		if !strings.HasPrefix(r.Type, "aws:s3/") || r.Type == "aws:s3/bucketMetric:BucketMetric" {
			continue
		}
		assert.True(t, r.Protect && r.RetainOnDelete, "%s %s", r.Type, r.Name)
	}
}

// A hook adds to a child; the fields the bucket owns win.
func TestOverrides(t *testing.T) {
	p := plantest.Run(t, audit(false, bucket.Overrides{
		Bucket: func(a *s3.BucketV2Args) {
			a.Bucket, a.ForceDestroy, a.ObjectLockEnabled = pulumi.String("mine"), pulumi.Bool(true), pulumi.Bool(true)
		},
		PublicAccessBlock: func(a *s3.BucketPublicAccessBlockArgs) { a.BlockPublicPolicy = pulumi.Bool(false) },
		Lifecycle: func(a *s3.BucketLifecycleConfigurationV2Args) {
			a.TransitionDefaultMinimumObjectSize = pulumi.String("varies_by_storage_class")
		},
	}))
	b, err := p.Get("aws:s3/bucketV2:BucketV2", "audit")
	require.NoError(t, err)
	assert.Equal(t, physical, b.Inputs["bucket"])
	assert.Equal(t, false, b.Inputs["forceDestroy"])
	assert.Equal(t, true, b.Inputs["objectLockEnabled"], "a setting the bucket leaves open")
	block, err := p.Get("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "audit-public-access-block")
	require.NoError(t, err)
	assert.Equal(t, true, block.Inputs["blockPublicPolicy"])
	lifecycle, err := p.Get("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "audit-lifecycle")
	require.NoError(t, err)
	assert.Equal(t, "varies_by_storage_class", lifecycle.Inputs["transitionDefaultMinimumObjectSize"])
}

// The bucket's own plan passes the platform's rules and the bucket's, with no type left
// uncovered.
func TestPlanPassesItsRules(t *testing.T) {
	p := plantest.Run(t, audit(true, bucket.Overrides{}))
	require.NoError(t, policy.Evaluate(p, append(policy.Builtin(), bucket.Rules()...)))
	for _, f := range p.Findings {
		// A component's plan has no owner tags of its own (the scope in tests has none).
		assert.Equal(t, "required-tags", f.Rule, f.Message)
	}
}

// Grants name exact actions on the bucket, its objects and the scope's key.
func TestGrants(t *testing.T) {
	var read, write iam.Statements
	plantest.Run(t, func(ctx *pulumi.Context) error {
		b, err := bucket.New(ctx, "exports", &bucket.Args{Scope: scopetest.New()})
		if err != nil {
			return err
		}
		read, write = b.AllowRead(), b.AllowWrite()
		return nil
	})
	sids := func(stmts iam.Statements) []string {
		var out []string
		for _, st := range stmts {
			out = append(out, st.Sid+" "+strings.Join(st.Actions, ","))
		}
		return out
	}
	assert.Equal(t, []string{"BucketExportsRead s3:GetObject", "BucketExportsReadList s3:ListBucket", "BucketExportsReadKey kms:Decrypt"}, sids(read))
	assert.Equal(t, []string{"BucketExportsWrite s3:AbortMultipartUpload,s3:PutObject", "BucketExportsWriteKey kms:Decrypt,kms:GenerateDataKey"}, sids(write))
}
