package plan

// requiredStorage lists the properties an S3 resource must be given, as AWS requires them.
func requiredStorage(typ string) []string {
	switch typ {
	case "aws:s3/bucketPolicy:BucketPolicy":
		return []string{"bucket", "policy"}
	case "aws:s3/bucketVersioningV2:BucketVersioningV2":
		return []string{"bucket", "versioningConfiguration"}
	case "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
		"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":
		return []string{"bucket", "rules"}
	case "aws:s3/bucketOwnershipControls:BucketOwnershipControls":
		return []string{"bucket", "rule"}
	case "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws:s3/bucketMetric:BucketMetric":
		return []string{"bucket"}
	}
	return requiredObservability(typ)
}

// answerStorage answers the S3 types: a bucket by its name (S3 names are global, so its ARN
// has neither region nor account), and each of a bucket's configurations by the bucket's
// name, as the provider's ids are. name is the logical name for a bucket without one.
func answerStorage(typ, name string, in map[string]any, region string) (string, map[string]any, bool) {
	bucket, _ := in["bucket"].(string)
	switch typ {
	case "aws:s3/bucketV2:BucketV2":
		if bucket == "" {
			bucket = name
		}
		return bucket, map[string]any{
			"arn":                      "arn:aws:s3:::" + bucket,
			"bucket":                   bucket,
			"bucketDomainName":         bucket + ".s3.amazonaws.com",
			"bucketRegionalDomainName": bucket + ".s3." + region + ".amazonaws.com",
			"region":                   region,
		}, true
	case "aws:s3/bucketPolicy:BucketPolicy", "aws:s3/bucketVersioningV2:BucketVersioningV2",
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
		"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
		"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
		"aws:s3/bucketOwnershipControls:BucketOwnershipControls":
		return bucket, map[string]any{}, true
	case "aws:s3/bucketMetric:BucketMetric":
		// The metrics configuration's id is its name, unique within the bucket.
		return bucket + ":" + name, map[string]any{"name": name}, true
	}
	return "", nil, false
}
