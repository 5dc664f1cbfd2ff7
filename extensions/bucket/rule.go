package bucket

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
)

// The S3 types the rules read, as Pulumi type tokens.
const (
	typeBucket     = "aws:s3/bucketV2:BucketV2"
	typePolicy     = "aws:s3/bucketPolicy:BucketPolicy"
	typeBlock      = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	typeVersioning = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	typeEncryption = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	typeOwnership  = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	typeLifecycle  = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
	typeMetric     = "aws:s3/bucketMetric:BucketMetric"
	typeObject     = "aws:s3/bucketObjectv2:BucketObjectv2"
	typeAlarm      = "aws:cloudwatch/metricAlarm:MetricAlarm"
)

// Rules returns the policy rules of S3 buckets, for a registry to evaluate plans with
// (policy.Evaluate(p, append(policy.Builtin(), bucket.Rules()...))): s3-bucket-baseline
// s3-bucket-alarm and s3-object-default. They hold every bucket of a plan to what Bucket guarantees, however
// it was created.
func Rules() []policy.Rule {
	return []policy.Rule{
		{
			ID:       "s3-bucket-baseline",
			Severity: policy.Error,
			Rationale: "Every S3 bucket blocks public access (all four flags of its public access block), " +
				"turns ACLs off (BucketOwnerEnforced), keeps versions (versioning Enabled) and expires the " +
				"noncurrent ones, aborts incomplete multipart uploads, is encrypted with a customer managed " +
				"KMS key (SSE-KMS, never the AWS managed aws/s3) and has a bucket policy that denies its data " +
				"actions to anyone without TLS. A bucket is reachable from the whole internet by name, so a " +
				"single lost setting can publish or silently lose exports and audit logs.",
			Types: []string{typeBucket, typePolicy, typeBlock, typeVersioning, typeEncryption, typeOwnership, typeLifecycle},
			Check: checkBaseline,
		},
		{
			ID:       "s3-bucket-alarm",
			Severity: policy.Error,
			Rationale: "Every S3 bucket has request metrics for all its objects (a metrics configuration " +
				"without a filter) and an alarm on their 5xxErrors: exports and logs are written by programs " +
				"and AWS services, a write S3 failed is lost unless retried, and without request metrics " +
				"S3 reports nothing of a bucket's errors.",
			Types: []string{typeMetric},
			Check: checkAlarm,
		},
		{
			ID:       "s3-object-default",
			Severity: policy.Error,
			Rationale: "An object a stack uploads (the developer portal's pages) takes its bucket's settings: " +
				"no ACL of its own and no encryption of its own, so that the bucket's default (SSE-KMS with " +
				"the customer managed key, which s3-bucket-baseline checks) encrypts it and its policy alone " +
				"says who reads it.",
			Types: []string{typeObject},
			Check: checkObjects,
		},
	}
}

// checkObjects reports every object that sets an ACL or an encryption of its own.
func checkObjects(p *plan.Plan) []policy.Violation {
	var out []policy.Violation
	for _, r := range p.Resources {
		if r.Type != typeObject {
			continue
		}
		for _, key := range []string{"acl", "serverSideEncryption", "kmsKeyId"} {
			if v := str(r.Inputs[key]); v != "" {
				out = append(out, policy.Violation{URN: r.URN, Message: fmt.Sprintf("sets %s %q: leave it to the "+
					"bucket, whose default encryption and policy hold every object", key, v)})
			}
		}
	}
	return out
}

// buckets pairs each bucket of a plan with the resources of the plan that configure it, by
// the bucket's name (their `bucket` input).
type buckets struct {
	p      *plan.Plan
	byType map[string]map[string][]plan.Resource // type -> bucket name -> resources
}

func index(p *plan.Plan) buckets {
	b := buckets{p: p, byType: map[string]map[string][]plan.Resource{}}
	for _, r := range p.Resources {
		name := str(r.Inputs["bucket"])
		if r.Type == typeBucket || name == "" {
			continue
		}
		if b.byType[r.Type] == nil {
			b.byType[r.Type] = map[string][]plan.Resource{}
		}
		b.byType[r.Type][name] = append(b.byType[r.Type][name], r)
	}
	return b
}

// of returns the resources of typ configuring bucket r.
func (b buckets) of(typ string, r plan.Resource) []plan.Resource {
	return b.byType[typ][bucketName(r)]
}

func bucketName(r plan.Resource) string {
	if n := str(r.Inputs["bucket"]); n != "" {
		return n
	}
	return str(r.Outputs["bucket"])
}

func checkBaseline(p *plan.Plan) []policy.Violation {
	b := index(p)
	var out []policy.Violation
	for _, r := range p.Resources {
		if r.Type != typeBucket {
			continue
		}
		for _, problem := range b.problems(r) {
			out = append(out, policy.Violation{URN: r.URN, Message: problem})
		}
	}
	return out
}

// problems lists every way bucket r falls short of the baseline.
func (b buckets) problems(r plan.Resource) []string {
	var out []string
	missing := func(what string) { out = append(out, "has no "+what) }

	if blocks := b.of(typeBlock, r); len(blocks) == 0 {
		missing("public access block; add one with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets true")
	} else if off := falseFlags(blocks[0]); len(off) > 0 {
		out = append(out, "public access block has "+strings.Join(off, ", ")+" not true; turn every flag on")
	}
	if own := b.of(typeOwnership, r); len(own) == 0 || str(get(own[0].Inputs, "rule", "objectOwnership")) != "BucketOwnerEnforced" {
		missing("ownership controls with objectOwnership BucketOwnerEnforced; ACLs could grant access the policy does not show")
	}
	if v := b.of(typeVersioning, r); len(v) == 0 || str(get(v[0].Inputs, "versioningConfiguration", "status")) != "Enabled" {
		missing("versioning Enabled; an overwrite or a delete would lose the object for good")
	}
	if problem := encryptionProblem(b.of(typeEncryption, r)); problem != "" {
		out = append(out, problem)
	}
	if problem := lifecycleProblem(b.of(typeLifecycle, r)); problem != "" {
		out = append(out, problem)
	}
	if problem := b.tlsProblem(r); problem != "" {
		out = append(out, problem)
	}
	return out
}

func falseFlags(block plan.Resource) []string {
	var off []string
	for _, f := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		if block.Inputs[f] != true {
			off = append(off, f)
		}
	}
	return off
}

func encryptionProblem(configs []plan.Resource) string {
	if len(configs) == 0 {
		return "has no server-side encryption configuration; encrypt with the context's KMS key (aws:kms)"
	}
	for _, rule := range list(configs[0].Inputs["rules"]) {
		algorithm := str(get(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm"))
		key := str(get(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId"))
		if strings.HasPrefix(algorithm, "aws:kms") && key != "" && !strings.Contains(key, "alias/aws/s3") {
			return ""
		}
	}
	return "is not encrypted with a customer managed KMS key: set sseAlgorithm aws:kms and kmsMasterKeyId to the context's key"
}

func lifecycleProblem(configs []plan.Resource) string {
	abort, noncurrent := false, false
	for _, c := range configs {
		for _, rule := range list(c.Inputs["rules"]) {
			if str(get(rule, "status")) != "Enabled" {
				continue
			}
			abort = abort || num(get(rule, "abortIncompleteMultipartUpload", "daysAfterInitiation")) > 0
			noncurrent = noncurrent || num(get(rule, "noncurrentVersionExpiration", "noncurrentDays")) > 0
		}
	}
	var missing []string
	if !abort {
		missing = append(missing, "abortIncompleteMultipartUpload")
	}
	if !noncurrent {
		missing = append(missing, "noncurrentVersionExpiration")
	}
	if len(missing) == 0 {
		return ""
	}
	return "has no enabled lifecycle rule with " + strings.Join(missing, " and ") +
		": incomplete uploads and old versions are billed forever and seen by nobody"
}

// tlsProblem explains how the bucket's policy fails to deny its data actions without TLS,
// or returns "".
func (b buckets) tlsProblem(r plan.Resource) string {
	var docs []string
	policies := b.of(typePolicy, r)
	if len(policies) > 1 {
		last, ok := lastWritten(b.p, policies)
		if !ok {
			return fmt.Sprintf("has %d bucket policies and none is written after the others: S3 keeps one policy per "+
				"bucket, the last written, so which one holds is left to chance; make the bucket's own depend on the "+
				"other writers (bucket.Args.PolicyAfter)", len(policies))
		}
		policies = []plan.Resource{last}
	}
	for _, pol := range policies {
		docs = append(docs, str(pol.Inputs["policy"]))
	}
	if inline := str(r.Inputs["policy"]); inline != "" {
		docs = append(docs, inline)
	}
	if len(docs) == 0 {
		return "has no bucket policy; add one that denies the data actions without TLS (Bool aws:SecureTransport false)"
	}
	denied := map[string]bool{}
	for _, text := range docs {
		doc, err := iam.Parse(text)
		if err != nil {
			return fmt.Sprintf("bucket policy cannot be checked: %v", err)
		}
		for _, st := range doc.Statement {
			if st.Effect == string(iam.Deny) && slices.Contains(st.Principal[iam.PrincipalAWS], "*") &&
				slices.Equal(st.Condition["Bool"]["aws:SecureTransport"], []string{"false"}) {
				for _, a := range st.Action {
					denied[a] = true
				}
			}
		}
	}
	var open []string
	for _, a := range []string{"s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject"} {
		if !denied[a] {
			open = append(open, a)
		}
	}
	if len(open) == 0 {
		return ""
	}
	return "bucket policy does not deny " + strings.Join(open, ", ") + " without TLS: add a Deny statement for " +
		"Principal \"*\" with condition Bool aws:SecureTransport false"
}

// lastWritten returns the policy of policies that depends on each of the others, or on a
// resource they belong to (a component such as awsx's Trail, whose children the plan may
// not show): the one S3 keeps, as the engine writes it last.
func lastWritten(p *plan.Plan, policies []plan.Resource) (plan.Resource, bool) {
	parents := map[string]string{}
	for _, r := range p.Resources {
		parents[r.URN] = r.Parent
	}
	after := func(pol, other plan.Resource) bool {
		for urn := other.URN; urn != ""; urn = parents[urn] {
			if slices.Contains(pol.Dependencies, urn) {
				return true
			}
		}
		return false
	}
	for _, pol := range policies {
		last := true
		for _, other := range policies {
			if other.URN != pol.URN && !after(pol, other) {
				last = false
				break
			}
		}
		if last {
			return pol, true
		}
	}
	return plan.Resource{}, false
}

func checkAlarm(p *plan.Plan) []policy.Violation {
	b := index(p)
	watched := map[[2]string]bool{} // bucket name, filter id
	for _, r := range p.Resources {
		if r.Type == typeAlarm && str(r.Inputs["namespace"]) == "AWS/S3" && str(r.Inputs["metricName"]) == "5xxErrors" {
			watched[[2]string{str(get(r.Inputs, "dimensions", "BucketName")), str(get(r.Inputs, "dimensions", "FilterId"))}] = true
		}
	}
	var out []policy.Violation
	for _, r := range p.Resources {
		if r.Type != typeBucket {
			continue
		}
		alarmed := false
		for _, m := range b.of(typeMetric, r) {
			if m.Inputs["filter"] == nil && watched[[2]string{bucketName(r), str(m.Inputs["name"])}] {
				alarmed = true
			}
		}
		if !alarmed {
			out = append(out, policy.Violation{URN: r.URN, Message: "has no request metrics for all its objects with an " +
				"alarm on their 5xxErrors (dimensions BucketName and FilterId); add both"})
		}
	}
	return out
}

// get returns the value at path in v, descending through objects, or nil.
func get(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func num(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case int:
		return float64(n)
	}
	return 0
}
