package bucket

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
)

// TLSActions are the S3 actions the bucket policy denies without TLS: every action on the
// bucket's data and its listing, exact, because the platform never writes `s3:*`. The
// policy rule (Rule) requires the bucket policy to deny them.
func TLSActions() []string {
	return []string{
		"s3:AbortMultipartUpload", "s3:DeleteObject", "s3:DeleteObjectTagging", "s3:DeleteObjectVersion",
		"s3:DeleteObjectVersionTagging", "s3:GetObject", "s3:GetObjectAttributes", "s3:GetObjectTagging",
		"s3:GetObjectVersion", "s3:GetObjectVersionAttributes", "s3:GetObjectVersionTagging", "s3:ListBucket",
		"s3:ListBucketMultipartUploads", "s3:ListBucketVersions", "s3:ListMultipartUploadParts", "s3:PutObject",
		"s3:PutObjectTagging", "s3:PutObjectVersionTagging", "s3:RestoreObject",
	}
}

// newPolicy creates the one bucket policy: TLS only, then the caller's statements.
func newPolicy(ctx *pulumi.Context, name string, a Args, bucket, arn pulumi.StringOutput, opts []pulumi.ResourceOption) (*s3.BucketPolicy, error) {
	stmts := iam.Statements{{
		Sid:        "DenyInsecureTransport",
		Effect:     iam.Deny,
		Principals: []iam.Principal{{Type: iam.PrincipalAWS, Identifiers: []pulumi.StringInput{pulumi.String("*")}}},
		Actions:    TLSActions(),
		Resources:  []pulumi.StringInput{arn, pulumi.Sprintf("%s/*", arn)},
		Conditions: []iam.Condition{{Test: "Bool", Variable: "aws:SecureTransport",
			Values: []pulumi.StringInput{pulumi.String("false")}}},
	}}
	if a.Statements != nil {
		stmts = append(stmts, a.Statements(arn)...)
	}
	doc, err := iam.Document(stmts)
	if err != nil {
		return nil, err
	}
	args := override.Apply(&s3.BucketPolicyArgs{}, a.Overrides.Policy, func(p *s3.BucketPolicyArgs) {
		p.Bucket = bucket
		p.Policy = doc
	})
	if a.PolicyAfter != nil {
		opts = append(slices.Clone(opts), pulumi.DependsOnInputs(a.PolicyAfter))
	}
	return s3.NewBucketPolicy(ctx, naming.Child(name, "policy"), args, opts...)
}

// validateStatements reports every statement of Args.Statements that cannot be in a bucket
// policy, at once, with iam's own checks.
func validateStatements(stmts iam.Statements) error {
	var errs []error
	if err := stmts.Validate(); err != nil {
		errs = append(errs, err)
	}
	for i, st := range stmts {
		label := fmt.Sprintf("statement %d (%q)", i, st.Sid)
		if st.Err != nil {
			continue // Validate reported it
		}
		if st.Sid == "" {
			errs = append(errs, fmt.Errorf("statement %d: Sid is required; the bucket policy names every statement", i))
		}
		if st.Sid == "DenyInsecureTransport" {
			errs = append(errs, fmt.Errorf("%s: the Sid is the bucket's own TLS-only statement's", label))
		}
		if len(st.Principals) == 0 {
			errs = append(errs, fmt.Errorf("%s: has no principals; every bucket policy statement says who it applies to", label))
		}
		if st.Effect != iam.Deny && servicePrincipal(st) && !hasSource(st) {
			errs = append(errs, fmt.Errorf("%s: allows an AWS service without an aws:SourceArn or aws:SourceAccount condition; "+
				"any account's resources could make it use the bucket", label))
		}
	}
	return errors.Join(errs...)
}

func servicePrincipal(st iam.Statement) bool {
	return slices.ContainsFunc(st.Principals, func(p iam.Principal) bool { return p.Type == iam.PrincipalService })
}

func hasSource(st iam.Statement) bool {
	return slices.ContainsFunc(st.Conditions, func(c iam.Condition) bool {
		return c.Variable == "aws:SourceArn" || c.Variable == "aws:SourceAccount"
	})
}

// Delivery is an AWS service that writes objects into the bucket (CloudTrail, AWS Config,
// a log delivery) for given resources or one account. Statements builds what the bucket
// policy needs for it; return them from Args.Statements.
type Delivery struct {
	// Name starts the Sids of the delivery's statements, such as "CloudTrail"; letters and
	// digits. Required.
	Name string
	// Service is the service principal, such as "cloudtrail.amazonaws.com". Required.
	Service iam.Service
	// Prefix is the key prefix the service writes under, such as "AWSLogs/111111111111/";
	// it may write nowhere else. Default: the whole bucket.
	Prefix string
	// SourceArns are the resources the service writes for (aws:SourceArn), such as the
	// trail's ARN. Default: none (then SourceAccount is required).
	SourceArns []pulumi.StringInput
	// SourceAccount is the account whose resources the service writes for
	// (aws:SourceAccount). Default: none (then SourceArns are required).
	SourceAccount pulumi.StringInput
	// CheckACL lets the service read the bucket's ACL (s3:GetBucketAcl) before it writes,
	// as CloudTrail and AWS Config do. Default: false.
	CheckACL bool
}

// Statements returns the delivery's statements on the bucket bucketArn: s3:PutObject on the
// objects under Prefix, and s3:GetBucketAcl on the bucket with CheckACL, each only for the
// delivery's sources. A delivery that cannot be made carries its error (iam.Statement.Err),
// which the bucket's validation reports.
func (d Delivery) Statements(bucketArn pulumi.StringInput) iam.Statements {
	if err := d.validate(); err != nil {
		return iam.Statements{{Sid: d.Name + "Write", Err: fmt.Errorf("delivery %q: %w", d.Name, err)}}
	}
	var conditions []iam.Condition
	if len(d.SourceArns) > 0 {
		conditions = append(conditions, iam.Condition{Test: "ArnLike", Variable: "aws:SourceArn", Values: d.SourceArns})
	}
	if d.SourceAccount != nil {
		conditions = append(conditions, iam.Condition{Test: "StringEquals", Variable: "aws:SourceAccount",
			Values: []pulumi.StringInput{d.SourceAccount}})
	}
	principal := []iam.Principal{{Type: iam.PrincipalService, Identifiers: []pulumi.StringInput{pulumi.String(d.Service)}}}
	stmts := iam.Statements{{
		Sid: d.Name + "Write", Principals: principal, Actions: []string{"s3:PutObject"},
		Resources:  []pulumi.StringInput{pulumi.Sprintf("%s/%s*", bucketArn, d.Prefix)},
		Conditions: conditions,
	}}
	if d.CheckACL {
		stmts = append(stmts, iam.Statement{
			Sid: d.Name + "AclCheck", Principals: principal, Actions: []string{"s3:GetBucketAcl"},
			Resources: []pulumi.StringInput{bucketArn}, Conditions: conditions,
		})
	}
	return stmts
}

func (d Delivery) validate() error {
	var errs []error
	if d.Name == "" || strings.IndexFunc(d.Name, func(c rune) bool {
		return (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9')
	}) >= 0 {
		errs = append(errs, fmt.Errorf("Name: %q must be letters and digits; it starts the statements' Sids", d.Name))
	}
	if !strings.HasSuffix(string(d.Service), ".amazonaws.com") {
		errs = append(errs, fmt.Errorf("Service: %q is not a service principal such as cloudtrail.amazonaws.com", d.Service))
	}
	if len(d.SourceArns) == 0 && d.SourceAccount == nil {
		errs = append(errs, errors.New("SourceArns or SourceAccount: one is required, or any account's resources could make the service write here"))
	}
	if strings.ContainsAny(d.Prefix, "*?") || strings.HasPrefix(d.Prefix, "/") {
		errs = append(errs, fmt.Errorf("Prefix: %q must be a literal key prefix without wildcards or a leading /", d.Prefix))
	}
	return errors.Join(errs...)
}
