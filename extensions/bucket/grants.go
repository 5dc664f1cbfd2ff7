package bucket

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/alarm"
	"github.com/stratum-platform/stratum/components/dashboard"
	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
)

// serverErrorThreshold is how many 5xx answers in five minutes make the bucket alarm: S3
// answers an occasional 503 Slow Down that the SDKs retry; five is a pattern.
const serverErrorThreshold = 5

// AllowRead grants reading objects: s3:GetObject on the bucket's objects, s3:ListBucket on
// the bucket (so that a missing key is a 404, not a 403), and kms:Decrypt on the scope's
// key, which reading an SSE-KMS object needs.
func (b *Bucket) AllowRead() iam.Statements {
	return iam.Statements{
		{Sid: b.sid("Read"), Actions: []string{"s3:GetObject"}, Resources: []pulumi.StringInput{b.objects()}},
		{Sid: b.sid("ReadList"), Actions: []string{"s3:ListBucket"}, Resources: []pulumi.StringInput{b.Arn}},
		{Sid: b.sid("ReadKey"), Actions: []string{"kms:Decrypt"}, Resources: []pulumi.StringInput{b.scope.KeyArn}},
	}
}

// AllowWrite grants writing objects: s3:PutObject (which covers multipart uploads) and
// s3:AbortMultipartUpload on the bucket's objects, and kms:GenerateDataKey and kms:Decrypt
// on the scope's key: SSE-KMS needs a data key for every object, and a multipart upload
// decrypts it again for each part. It grants no deletion: versioning and the lifecycle
// rules decide when objects go.
func (b *Bucket) AllowWrite() iam.Statements {
	return iam.Statements{
		{Sid: b.sid("Write"), Actions: []string{"s3:AbortMultipartUpload", "s3:PutObject"}, Resources: []pulumi.StringInput{b.objects()}},
		{Sid: b.sid("WriteKey"), Actions: []string{"kms:Decrypt", "kms:GenerateDataKey"}, Resources: []pulumi.StringInput{b.scope.KeyArn}},
	}
}

// objects is the ARN pattern of every object of the bucket.
func (b *Bucket) objects() pulumi.StringInput {
	return pulumi.Sprintf("%s/*", b.Arn)
}

// sid returns the statement id of one statement of the bucket's grants (iam.GrantSid), so
// that the grants of several buckets fit in one policy.
func (b *Bucket) sid(what string) string {
	return iam.GrantSid(TypeToken, b.name, what)
}

// Widgets returns the bucket's graph on its service's dashboard (service.Add): requests,
// client and server errors and p99 first-byte latency, from its request metrics.
func (b *Bucket) Widgets() []dashboard.Widget {
	return []dashboard.Widget{{Title: "Bucket " + b.name, Namespace: "AWS/S3",
		Dimensions: []dashboard.Dimension{{Name: "BucketName", Value: b.Name}, {Name: "FilterId", Value: pulumi.String(metricsFilter)}},
		Metrics: []dashboard.Metric{{Name: "AllRequests", Stat: "Sum"}, {Name: "4xxErrors", Stat: "Sum"},
			{Name: "5xxErrors", Stat: "Sum"}, {Name: "FirstByteLatency", Stat: "p99"}}}}
}

// monitor turns on the request metrics of the whole bucket and alarms on its 5xx errors.
func (b *Bucket) monitor(ctx *pulumi.Context, name string, a Args, bucket pulumi.StringOutput, parent pulumi.ResourceOption) error {
	metric := override.Apply(&s3.BucketMetricArgs{}, a.Overrides.Metric, func(m *s3.BucketMetricArgs) {
		m.Bucket = bucket
		m.Name = pulumi.String(metricsFilter)
		// The alarm reads the metrics of every request.
		m.Filter = nil
	})
	var err error
	if b.Metric, err = s3.NewBucketMetric(ctx, naming.Child(name, "metrics"), metric, parent); err != nil {
		return fmt.Errorf("request metrics: %w", err)
	}
	b.ServerErrorAlarm, err = alarm.New(ctx, name, a.Scope, alarm.Spec{
		Name: "5xx",
		Description: fmt.Sprintf("Bucket %s answered at least %d requests with a 5xx error in 5 minutes; writes that were not "+
			"retried are lost. Check the writers' logs and the AWS Health Dashboard for S3.", name, serverErrorThreshold),
		Namespace:     "AWS/S3",
		Metric:        "5xxErrors",
		Dimensions:    pulumi.StringMap{"BucketName": bucket, "FilterId": pulumi.String(metricsFilter)},
		Statistic:     "Sum",
		PeriodSeconds: 300,
		Threshold:     pulumi.Float64(serverErrorThreshold),
		Comparison:    "GreaterThanOrEqualToThreshold",
	}, b)
	return err
}
