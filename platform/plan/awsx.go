package plan

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// TypeAWSXTrail is the awsx component Stratum uses: a CloudTrail trail.
const TypeAWSXTrail = "awsx:cloudtrail:Trail"

// The children awsx's Trail registers for an existing bucket and no log group, which the
// engine records (platform/local's awsx provider registers the same): a bucket policy that
// lets CloudTrail write, then the trail, which depends on it. Both are named as the component.
const (
	TypeTrail        = "aws:cloudtrail/trail:Trail"
	typeBucketPolicy = "aws:s3/bucketPolicy:BucketPolicy"
)

// TrailBucket is the name of the bucket an awsx RequiredBucket input (s3Bucket) names as
// existing: Stratum gives the trail its own bucket, never one awsx would create.
func TrailBucket(v any) (string, error) {
	m, _ := v.(map[string]any)
	existing, _ := m["existing"].(map[string]any)
	if existing == nil {
		return "", errors.New("s3Bucket: only an existing bucket is supported (s3Bucket.existing.name or .arn)")
	}
	if n, _ := existing["name"].(string); n != "" {
		return n, nil
	}
	if arn, _ := existing["arn"].(string); strings.HasPrefix(arn, "arn:aws:s3:::") {
		return strings.TrimPrefix(arn, "arn:aws:s3:::"), nil
	}
	return "", errors.New("s3Bucket.existing: name or an S3 bucket arn is required")
}

// TrailBucketPolicy is the policy awsx writes on the trail's bucket: CloudTrail may read the
// bucket's ACL and write objects the bucket owner fully controls.
func TrailBucketPolicy(bucket string) (string, error) {
	arn := "arn:aws:s3:::" + bucket
	principal := map[string]string{"Service": "cloudtrail.amazonaws.com"}
	doc := map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{
			map[string]any{"Sid": "AWSCloudTrailAclCheck", "Effect": "Allow", "Principal": principal,
				"Action": []string{"s3:GetBucketAcl"}, "Resource": []string{arn}},
			map[string]any{"Sid": "AWSCloudTrailWrite", "Effect": "Allow", "Principal": principal,
				"Action": []string{"s3:PutObject"}, "Resource": []string{arn + "/*"},
				"Condition": map[string]any{"StringEquals": map[string]string{"s3:x-amz-acl": "bucket-owner-full-control"}}},
		},
	}
	b, err := json.Marshal(doc)
	return string(b), err
}

// awsxChildren records the children of the awsx Trail c, which the mocks register as one
// resource, as the engine records them: so that an offline plan holds what the state will.
func (m *mocks) awsxChildren(c Resource, region string) error {
	bucket, err := TrailBucket(c.Inputs["s3Bucket"])
	if err != nil {
		return fmt.Errorf("plan: %s %q: %w", TypeAWSXTrail, c.Name, err)
	}
	if logs, _ := c.Inputs["cloudWatchLogsGroup"].(map[string]any); len(logs) > 0 && logs["skip"] != true {
		return fmt.Errorf("plan: %s %q: cloudWatchLogsGroup: only {skip: true} is supported", TypeAWSXTrail, c.Name)
	}
	doc, err := TrailBucketPolicy(bucket)
	if err != nil {
		return fmt.Errorf("plan: %s %q: %w", TypeAWSXTrail, c.Name, err)
	}
	trailInputs := map[string]any{"s3BucketName": bucket}
	for k, v := range c.Inputs {
		if k != "s3Bucket" && k != "cloudWatchLogsGroup" {
			trailInputs[k] = v
		}
	}
	var deps []string
	for _, child := range []struct {
		typ    string
		inputs map[string]any
	}{
		{typeBucketPolicy, map[string]any{"bucket": bucket, "policy": doc}},
		{TypeTrail, trailInputs},
	} {
		urn := m.urn(c.URN, child.typ, c.Name)
		_, outputs, err := m.answer(child.typ, c.Name, urn, child.inputs, region)
		if err != nil {
			return err
		}
		m.rec.add(Resource{
			URN: urn, Type: child.typ, Name: c.Name, Parent: c.URN, Custom: true,
			Inputs: child.inputs, Outputs: outputs, Dependencies: sortedUnique(deps),
			Protect: c.Protect, RetainOnDelete: c.RetainOnDelete,
		})
		deps = append(deps, urn)
	}
	return nil
}
