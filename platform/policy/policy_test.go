package policy_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
)

func TestRules(t *testing.T) {
	rules := policy.Builtin()
	ids := make([]string, len(rules))
	for i, r := range rules {
		ids[i] = r.ID
		assert.Regexp(t, regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`), r.ID)
		assert.Contains(t, []policy.Severity{policy.Error, policy.Warning}, r.Severity, r.ID)
		assert.True(t, strings.HasSuffix(r.Rationale, "."), "%s: rationale is a sentence", r.ID)
		assert.Greater(t, len(r.Rationale), 100, "%s: rationale says why", r.ID)
		assert.NotNil(t, r.Check, r.ID)
	}
	assert.True(t, slices.IsSorted(ids), "sorted by ID: %v", ids)
	assert.Equal(t, len(ids), len(slices.Compact(slices.Clone(ids))), "unique IDs")
	assert.Equal(t, []string{
		"alarm-actions", "alarm-coverage", "api-from-definition", "async-dead-letter", "audit-trail",
		"custom-domain-tls", "encryption-at-rest", "function-arm64", "function-on-failure", "function-own-role",
		"function-release", "iam-no-aws-managed-policies", "iam-no-wildcards", "iam-role-boundary",
		"key-policy-separation", "lambda-permission-source", "log-pipeline-encryption", "log-retention",
		"log-subscription", "observability-reviewed", "oidc-trust-pinned", "portal-distribution", "queue-dead-letter", "release-rollback",
		"required-tags", "reviewed-types", "route-authorization", "secret-baseline", "stateful-protection",
		"table-point-in-time-recovery", "tls-only",
	}, ids, "IDs are a public contract: suppressions name them")
}

func TestEvaluateCompliantPlan(t *testing.T) {
	p := compliantPlan()
	p.Findings = []plan.Finding{{Rule: "stale", Severity: "error"}}
	require.NoError(t, policy.Evaluate(p, policy.Builtin()))
	assert.Equal(t, []plan.Finding{}, p.Findings, "Evaluate replaces the findings")
	assert.False(t, policy.HasErrors(p))
}

// brokenPlan is the compliant plan with an x86_64 function, a public route and an
// unencrypted topic.
func brokenPlan() *plan.Plan {
	p := compliantPlan()
	for i, r := range p.Resources {
		switch r.URN {
		case urn("aws:lambda/function:Function", "api"):
			p.Resources[i] = with(r, map[string]any{"architectures": []any{"x86_64"}})
		case urn("aws:apigatewayv2/route:Route", "public-route-get-orders"):
			p.Resources[i] = with(r, map[string]any{"authorizationType": "NONE", "authorizerId": nil})
		case urn("aws:sns/topic:Topic", "events"):
			p.Resources[i] = with(r, map[string]any{"kmsMasterKeyId": nil})
		}
	}
	return p
}

func TestEvaluateFindingsSorted(t *testing.T) {
	p := brokenPlan()
	require.NoError(t, policy.Evaluate(p, policy.Builtin()))
	assert.Equal(t, []plan.Finding{
		{Rule: "encryption-at-rest", Severity: "error", URN: urn("aws:sns/topic:Topic", "events"),
			Message: "kmsMasterKeyId is not set: messages are not encrypted with a KMS key; set it to the context's KMS key"},
		{Rule: "function-arm64", Severity: "error", URN: urn("aws:lambda/function:Function", "api"),
			Message: `architectures is ["x86_64"]; set it to ["arm64"]`},
		{Rule: "route-authorization", Severity: "warning", URN: urn("aws:apigatewayv2/route:Route", "public-route-get-orders"),
			Message: `route "GET /orders" takes requests without a token (authorizationType NONE); suppress with the reason it is public`},
	}, p.Findings)
	assert.True(t, policy.HasErrors(p))
}

func TestEvaluateSuppressions(t *testing.T) {
	p := brokenPlan()
	err := policy.Evaluate(p, policy.Builtin(), []policy.Suppression{
		{Rule: "function-arm64", URN: urn("aws:lambda/function:Function", "api"), Reason: "needs an x86-only library (ORD-12)"},
		{Rule: "encryption-at-rest", URN: urn("aws:sns/topic:Topic", "events"), Reason: "public data only"},
	}...)
	require.NoError(t, err)
	require.Len(t, p.Findings, 3)
	assert.Equal(t, "public data only", p.Findings[0].Suppressed)
	assert.Equal(t, "needs an x86-only library (ORD-12)", p.Findings[1].Suppressed)
	assert.Equal(t, "error", p.Findings[1].Severity, "a suppressed finding keeps its severity")
	assert.Empty(t, p.Findings[2].Suppressed)
	assert.False(t, policy.HasErrors(p), "every error is suppressed; the warning does not count")
}

func TestEvaluateInvalidSuppressions(t *testing.T) {
	fn := urn("aws:lambda/function:Function", "api")
	p := brokenPlan()
	err := policy.Evaluate(p, policy.Builtin(), []policy.Suppression{
		{Rule: "arm64", URN: fn, Reason: "typo"},
		{Rule: "function-arm64", URN: "", Reason: "whole plan"},
		{Rule: "function-arm64", URN: fn, Reason: "  "},
		{Rule: "log-retention", URN: fn, Reason: "stale"},
		{Rule: "function-arm64", URN: fn, Reason: "x86-only library"},
		{Rule: "function-arm64", URN: fn, Reason: "again"},
	}...)
	require.Error(t, err)
	assert.Equal(t, strings.Join([]string{
		`policy: suppression 0 (rule "arm64", urn "` + fn + `"): unknown rule; the rules are alarm-actions, alarm-coverage, api-from-definition, async-dead-letter, audit-trail, custom-domain-tls, encryption-at-rest, function-arm64, function-on-failure, function-own-role, function-release, iam-no-aws-managed-policies, iam-no-wildcards, iam-role-boundary, key-policy-separation, lambda-permission-source, log-pipeline-encryption, log-retention, log-subscription, observability-reviewed, oidc-trust-pinned, policy-coverage, portal-distribution, queue-dead-letter, release-rollback, required-tags, reviewed-types, route-authorization, secret-baseline, stateful-protection, table-point-in-time-recovery, tls-only`,
		`policy: suppression 1 (rule "function-arm64", urn ""): urn is required: a rule is suppressed for one resource, never a whole plan`,
		`policy: suppression 2 (rule "function-arm64", urn "` + fn + `"): reason is required: say why the finding is acceptable`,
		`policy: suppression 3 (rule "log-retention", urn "` + fn + `"): matches no finding; the resource complies or is gone, so remove the suppression`,
		`policy: suppression 5 (rule "function-arm64", urn "` + fn + `"): duplicates suppression 4`,
	}, "\n"), err.Error())
	require.Len(t, p.Findings, 3, "findings are recorded even when a suppression is invalid")
	assert.Equal(t, "x86-only library", p.Findings[1].Suppressed, "valid suppressions still apply")
	assert.True(t, policy.HasErrors(p), "the unencrypted topic is not suppressed")
}

func TestEvaluateNilPlan(t *testing.T) {
	assert.EqualError(t, policy.Evaluate(nil, policy.Builtin()), "policy: no plan to evaluate")
}

func TestEvaluateAfterJSONRoundTrip(t *testing.T) {
	// Plans read from golden files hold float64 numbers and []any lists; hand-built ones
	// hold ints and Go maps. The rules must see the same plan either way.
	b, err := brokenPlan().GoldenJSON()
	require.NoError(t, err)
	parsed, err := plan.ParseGolden(b)
	require.NoError(t, err)
	want := brokenPlan()
	require.NoError(t, policy.Evaluate(want, policy.Builtin()))
	require.NoError(t, policy.Evaluate(parsed, policy.Builtin()))
	assert.Equal(t, want.Findings, parsed.Findings)
}

func TestHasErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		findings []plan.Finding
		want     bool
	}{
		{"none", nil, false},
		{"warning", []plan.Finding{{Severity: "warning"}}, false},
		{"suppressed error", []plan.Finding{{Severity: "error", Suppressed: "why"}}, false},
		{"error", []plan.Finding{{Severity: "warning"}, {Severity: "error"}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, policy.HasErrors(&plan.Plan{Findings: tc.findings}))
		})
	}
}

// An AWS type no rule covers gets one warning, on its first resource; a rule an outside
// package adds covers it, and the warning can be suppressed like any finding.
func TestEvaluateCoverage(t *testing.T) {
	bucket := func(name string) plan.Resource {
		return res("aws:s3/bucketV2:BucketV2", name, map[string]any{"bucket": physical(name), "tags": defaultTags()}, nil)
	}
	p := newPlan([]plan.Resource{bucket("exports"), bucket("audit")}, table("orders"))
	require.NoError(t, policy.Evaluate(p, policy.Builtin()))
	assert.Equal(t, []plan.Finding{{Rule: policy.Coverage, Severity: "warning", URN: urn("aws:s3/bucketV2:BucketV2", "exports"),
		Message: "no policy rule covers aws:s3/bucketV2:BucketV2 (2 in this plan), so nothing checks its settings; " +
			"add a rule that lists it in Types, or policy.Reviewed with why it needs none"}}, p.Findings)
	assert.False(t, policy.HasErrors(p))

	require.NoError(t, policy.Evaluate(p, policy.Builtin(), policy.Suppression{Rule: policy.Coverage,
		URN: urn("aws:s3/bucketV2:BucketV2", "exports"), Reason: "the bucket rule is on its way (ORD-3)"}))
	assert.Equal(t, "the bucket rule is on its way (ORD-3)", p.Findings[0].Suppressed)

	versioned := policy.Rule{ID: "bucket-versioning", Severity: policy.Error, Rationale: "Buckets keep old versions.",
		Types: []string{"aws:s3/bucketV2:BucketV2"}, Check: func(*plan.Plan) []policy.Violation { return nil }}
	require.NoError(t, policy.Evaluate(p, append(policy.Builtin(), versioned)))
	assert.Equal(t, []plan.Finding{}, p.Findings)
	reviewed := policy.Reviewed("reviewed-buckets", "Buckets are reviewed elsewhere.", "aws:s3/bucketV2:BucketV2")
	require.NoError(t, policy.Evaluate(p, append(policy.Builtin(), reviewed)))
	assert.Equal(t, []plan.Finding{}, p.Findings)
}

func TestEvaluateInvalidRules(t *testing.T) {
	p := compliantPlan()
	p.Findings = nil
	err := policy.Evaluate(p, []policy.Rule{
		{ID: "Bad_ID", Severity: "fatal", Types: []string{"s3 bucket"}},
		{ID: "policy-coverage", Severity: policy.Warning, Rationale: "x", Check: func(*plan.Plan) []policy.Violation { return nil }},
		{ID: "ok", Severity: policy.Error, Rationale: "x", Check: func(*plan.Plan) []policy.Violation { return nil }},
		{ID: "ok", Severity: policy.Error, Rationale: "x", Check: func(*plan.Plan) []policy.Violation { return nil }},
	})
	assert.EqualError(t, err, strings.Join([]string{
		`policy: rule 0 ("Bad_ID"): ID must be lowercase words separated by dashes`,
		`policy: rule 0 ("Bad_ID"): severity "fatal" is not "error" or "warning"`,
		`policy: rule 0 ("Bad_ID"): rationale is required: say what the rule protects against`,
		`policy: rule 0 ("Bad_ID"): check is nil`,
		`policy: rule 0 ("Bad_ID"): types[0]: "s3 bucket" is not a type token such as aws:s3/bucketV2:BucketV2`,
		`policy: rule 1 ("policy-coverage"): ID is the coverage warning's`,
		`policy: rule 3 ("ok"): ID is also rule 2's; IDs are unique`,
	}, "\n"))
	assert.Nil(t, p.Findings, "nothing is evaluated with invalid rules")
	assert.EqualError(t, policy.Evaluate(p, nil), "policy: no rules; evaluate with policy.Builtin() at least")
}
