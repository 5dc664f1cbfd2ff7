package bucket_test

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/extensions/bucket"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/platform/policy"
)

// rules are what a registry evaluates plans with once it uses buckets.
func rules() []policy.Rule {
	return append(policy.Builtin(), bucket.Rules()...)
}

// findings evaluates p and returns its findings of the bucket rules and of coverage.
func findings(t *testing.T, p *plan.Plan) []plan.Finding {
	t.Helper()
	require.NoError(t, policy.Evaluate(p, rules()))
	var out []plan.Finding
	for _, f := range p.Findings {
		switch f.Rule {
		case "s3-bucket-baseline", "s3-bucket-alarm", policy.Coverage:
			out = append(out, f)
		}
	}
	return out
}

func TestRulesPassABucket(t *testing.T) {
	assert.Empty(t, findings(t, plantest.Run(t, audit(false, bucket.Overrides{}))))
}

// A bucket created by hand, with only an inline default of S3, fails every check; without
// the bucket rules its types are reported as covered by no rule.
func TestRulesFailARawBucket(t *testing.T) {
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		_, err := s3.NewBucketV2(ctx, "raw", &s3.BucketV2Args{Bucket: pulumi.String("acme-dev-raw")})
		return err
	})
	urn := p.Resources[0].URN
	msg := func(rule, m string) plan.Finding {
		return plan.Finding{Rule: rule, Severity: "error", URN: urn, Message: m}
	}
	assert.Equal(t, []plan.Finding{
		msg("s3-bucket-alarm", "has no request metrics for all its objects with an alarm on their 5xxErrors (dimensions BucketName and FilterId); add both"),
		msg("s3-bucket-baseline", "has no bucket policy; add one that denies the data actions without TLS (Bool aws:SecureTransport false)"),
		msg("s3-bucket-baseline", "has no enabled lifecycle rule with abortIncompleteMultipartUpload and noncurrentVersionExpiration: incomplete uploads and old versions are billed forever and seen by nobody"),
		msg("s3-bucket-baseline", "has no ownership controls with objectOwnership BucketOwnerEnforced; ACLs could grant access the policy does not show"),
		msg("s3-bucket-baseline", "has no public access block; add one with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets true"),
		msg("s3-bucket-baseline", "has no server-side encryption configuration; encrypt with the context's KMS key (aws:kms)"),
		msg("s3-bucket-baseline", "has no versioning Enabled; an overwrite or a delete would lose the object for good"),
	}, findings(t, p))

	require.NoError(t, policy.Evaluate(p, policy.Builtin()))
	assert.Equal(t, policy.Coverage, p.Findings[0].Rule, "without the bucket's rules nothing checks a bucket")
}

// A Bucket whose hooks (or a hand edit of the plan) weaken what it guarantees is caught:
// here the plan's public access block, encryption key and TLS statement are changed.
func TestRulesFailAWeakenedBucket(t *testing.T) {
	p := plantest.Run(t, audit(false, bucket.Overrides{}))
	for i, r := range p.Resources {
		switch r.Type {
		case "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":
			p.Resources[i].Inputs["restrictPublicBuckets"] = false
		case "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2":
			p.Resources[i].Inputs["rules"] = []any{map[string]any{"applyServerSideEncryptionByDefault": map[string]any{
				"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "alias/aws/s3"}}}
		case "aws:s3/bucketPolicy:BucketPolicy":
			p.Resources[i].Inputs["policy"] = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},` +
				`"Action":["s3:GetObject"],"Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
		case "aws:s3/bucketMetric:BucketMetric":
			p.Resources[i].Inputs["filter"] = map[string]any{"prefix": "AWSLogs/"}
		}
	}
	var messages []string
	for _, f := range findings(t, p) {
		messages = append(messages, f.Rule+": "+f.Message)
	}
	assert.Equal(t, []string{
		"s3-bucket-alarm: has no request metrics for all its objects with an alarm on their 5xxErrors (dimensions BucketName and FilterId); add both",
		"s3-bucket-baseline: bucket policy does not deny s3:DeleteObject, s3:ListBucket, s3:PutObject without TLS: add a Deny statement for Principal \"*\" with condition Bool aws:SecureTransport false",
		"s3-bucket-baseline: is not encrypted with a customer managed KMS key: set sseAlgorithm aws:kms and kmsMasterKeyId to the context's key",
		"s3-bucket-baseline: public access block has restrictPublicBuckets not true; turn every flag on",
	}, messages)
}

// S3 keeps one policy per bucket, the last written: with a second writer of the bucket's
// policy (awsx's Trail), the rule checks the policy written after the others, and fails a
// plan where none is.
func TestRulesCheckThePolicyWrittenLast(t *testing.T) {
	withWriter := func(after bool) *plan.Plan {
		p := plantest.Run(t, audit(false, bucket.Overrides{}))
		var own int
		for i, r := range p.Resources {
			if r.Type == "aws:s3/bucketPolicy:BucketPolicy" {
				own = i
			}
		}
		writer := plan.Resource{URN: "urn:pulumi:dev::orders::awsx:cloudtrail:Trail::audit", Type: "awsx:cloudtrail:Trail",
			Name: "audit", Inputs: map[string]any{}, Outputs: map[string]any{}, Dependencies: []string{}}
		policy := plan.Resource{URN: "urn:pulumi:dev::orders::awsx:cloudtrail:Trail$aws:s3/bucketPolicy:BucketPolicy::audit",
			Type: "aws:s3/bucketPolicy:BucketPolicy", Name: "audit", Parent: writer.URN, Custom: true,
			Inputs: map[string]any{"bucket": p.Resources[own].Inputs["bucket"],
				"policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":["s3:PutObject"],"Resource":"*"}]}`},
			Outputs: map[string]any{}, Dependencies: []string{}}
		p.Resources = append(p.Resources, writer, policy)
		if after {
			// The bucket's own policy depends on the component that writes the other.
			p.Resources[own].Dependencies = append(p.Resources[own].Dependencies, writer.URN)
		}
		return p
	}
	assert.Empty(t, findings(t, withWriter(true)))
	got := findings(t, withWriter(false))
	require.Len(t, got, 1)
	assert.Equal(t, "has 2 bucket policies and none is written after the others: S3 keeps one policy per bucket, the last "+
		"written, so which one holds is left to chance; make the bucket's own depend on the other writers (bucket.Args.PolicyAfter)",
		got[0].Message)
}

// An object takes its bucket's encryption and access: one that sets its own ACL or
// encryption fails s3-object-default; one that sets neither passes.
func TestRulesHoldObjectsToTheirBucket(t *testing.T) {
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		if _, err := s3.NewBucketObjectv2(ctx, "page", &s3.BucketObjectv2Args{Bucket: pulumi.String("acme-dev-pages"),
			Key: pulumi.String("index.html"), Content: pulumi.String("<p>"), ContentType: pulumi.String("text/html")}); err != nil {
			return err
		}
		_, err := s3.NewBucketObjectv2(ctx, "public", &s3.BucketObjectv2Args{Bucket: pulumi.String("acme-dev-pages"),
			Key: pulumi.String("public.html"), Content: pulumi.String("<p>"), Acl: pulumi.String("public-read"),
			ServerSideEncryption: pulumi.String("AES256")})
		return err
	})
	require.NoError(t, policy.Evaluate(p, rules()))
	var got []string
	for _, f := range p.Findings {
		if f.Rule == "s3-object-default" || f.Rule == policy.Coverage {
			got = append(got, f.Rule+" "+f.URN[len(f.URN)-len("public"):]+": "+f.Message)
		}
	}
	assert.Equal(t, []string{
		`s3-object-default public: sets acl "public-read": leave it to the bucket, whose default encryption and policy hold every object`,
		`s3-object-default public: sets serverSideEncryption "AES256": leave it to the bucket, whose default encryption and policy hold every object`,
	}, got)
}
