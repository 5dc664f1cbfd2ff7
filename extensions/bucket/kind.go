package bucket

import (
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/platform/naming"
)

// PhysicalName is the name New gives bucket name of scope in account and region. A resource
// that must name the bucket before it exists (the CloudFront distribution whose ARN the
// bucket's policy names) reads it here.
func PhysicalName(s scope.Scope, name, account, region string) string {
	return s.Name(Kind(), name+"-"+account+"-"+region)
}

// Kind is the naming rule of S3 general purpose buckets, declared here because the
// platform has none: 3 to 63 characters, lowercase letters, digits and hyphens, starting
// and ending with a letter or digit, none of the prefixes and suffixes S3 keeps for itself.
//
// S3 also allows periods, which this rule does not: a bucket name with a period breaks the
// TLS certificate of virtual-hosted-style requests (*.s3.amazonaws.com matches one label)
// and cannot use Transfer Acceleration, and AWS advises against them. Without periods a
// name can be neither an IP address nor hold two adjacent periods, S3's other rules.
func Kind() naming.Rule {
	return naming.Rule{
		Name:             "S3 bucket",
		Min:              3,
		Max:              63,
		Extra:            "-",
		Case:             naming.CaseLower,
		AlphanumericEnds: true,
		ReservedPrefixes: []string{"xn--", "sthree-", "amzn-s3-demo-"},
		ReservedSuffixes: []string{"-s3alias", "--ol-s3", "--x-s3", "--table-s3"},
	}
}
