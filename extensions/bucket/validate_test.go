package bucket_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"

	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/extensions/bucket"
	"github.com/stratum-platform/stratum/platform/iam"
)

const day = 24 * time.Hour

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		args bucket.Args
		want []string
	}{
		{name: "defaults", args: bucket.Args{Scope: scopetest.New()}},
		{name: "glacier then expiry", args: bucket.Args{Scope: scopetest.New(),
			Lifecycle: bucket.Lifecycle{GlacierAfter: 30 * day, ExpireAfter: 120 * day, NoncurrentExpireAfter: day, AbortUploadsAfter: day}}},
		{name: "no scope", args: bucket.Args{Scope: scope.Scope{}}, want: []string{
			"Scope.Naming: naming: org is empty; it is required",
			"naming: env is empty; it is required",
			"naming: context is empty; it is required",
			"Scope.KeyArn: is required (the KMS key that encrypts data at rest)",
			"Scope.AlarmTopicArn: is required (the SNS topic alarms notify)",
		}},
		{name: "partial days and early expiry", args: bucket.Args{Scope: scopetest.New(), Lifecycle: bucket.Lifecycle{
			GlacierAfter: 30 * day, ExpireAfter: 60 * day, NoncurrentExpireAfter: 36 * time.Hour, AbortUploadsAfter: -day}},
			want: []string{
				"Lifecycle.NoncurrentExpireAfter: 36h0m0s is not a whole number of days (24h each); use 0 for the default",
				"Lifecycle.AbortUploadsAfter: -24h0m0s is not a whole number of days (24h each); use 0 for the default",
				"Lifecycle.ExpireAfter: 60 days is less than 90 days after Lifecycle.GlacierAfter (30 days); " +
					"Glacier charges 90 days for every object, so expire at 120 days at the earliest or leave GlacierAfter 0",
			}},
		{name: "statements a bucket policy cannot hold", args: bucket.Args{Scope: scopetest.New(),
			Statements: func(arn pulumi.StringInput) iam.Statements {
				return append(iam.Statements{
					{Actions: []string{"s3:GetObject"}, Resources: []pulumi.StringInput{arn}},
					{Sid: "DenyInsecureTransport", Effect: iam.Deny, Principals: anyone(), Actions: []string{"s3:GetObject"},
						Resources: []pulumi.StringInput{arn}},
					{Sid: "Logs", Principals: servicePrincipal("logging.s3.amazonaws.com"), Actions: []string{"s3:PutObject"},
						Resources: []pulumi.StringInput{arn}},
				}, bucket.Delivery{Name: "Trail!", Service: "cloudtrail", Prefix: "/*"}.Statements(arn)...)
			}},
			want: []string{
				`Statements: iam: statement 3 ("Trail!Write"): delivery "Trail!": Name: "Trail!" must be letters and digits; it starts the statements' Sids`,
				`Service: "cloudtrail" is not a service principal such as cloudtrail.amazonaws.com`,
				`SourceArns or SourceAccount: one is required, or any account's resources could make the service write here`,
				`Prefix: "/*" must be a literal key prefix without wildcards or a leading /`,
				`statement 0: Sid is required; the bucket policy names every statement`,
				`statement 0 (""): has no principals; every bucket policy statement says who it applies to`,
				`statement 1 ("DenyInsecureTransport"): the Sid is the bucket's own TLS-only statement's`,
				`statement 2 ("Logs"): allows an AWS service without an aws:SourceArn or aws:SourceAccount condition; any account's resources could make it use the bucket`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.args.Validate()
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.EqualError(t, err, strings.Join(tt.want, "\n"))
		})
	}
}

func anyone() []iam.Principal {
	return []iam.Principal{{Type: iam.PrincipalAWS, Identifiers: []pulumi.StringInput{pulumi.String("*")}}}
}

func servicePrincipal(s string) []iam.Principal {
	return []iam.Principal{{Type: iam.PrincipalService, Identifiers: []pulumi.StringInput{pulumi.String(s)}}}
}
