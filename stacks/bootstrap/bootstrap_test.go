package bootstrap_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/platform/policy"
	"github.com/stratum-platform/stratum/stacks"
	"github.com/stratum-platform/stratum/stacks/bootstrap"
)

const stack = bootstrap.Stack

func planned(t *testing.T) *plan.Plan {
	return plantest.ProjectPlan(t, ".", stack, bootstrap.Program)
}

func TestGolden(t *testing.T) {
	plantest.Golden(t, "testdata/"+stack+".plan.json", planned(t))
}

func get(t *testing.T, p *plan.Plan, typ, name string) plan.Resource {
	t.Helper()
	r, err := p.Get(typ, name)
	require.NoError(t, err)
	return r
}

func parse(t *testing.T, doc any) iam.Parsed {
	t.Helper()
	s, ok := doc.(string)
	require.True(t, ok, "a policy is a JSON string, not %T", doc)
	parsed, err := iam.Parse(s)
	require.NoError(t, err)
	return parsed
}

func statement(t *testing.T, doc iam.Parsed, sid string) iam.ParsedStatement {
	t.Helper()
	i := slices.IndexFunc(doc.Statement, func(s iam.ParsedStatement) bool { return s.Sid == sid })
	require.GreaterOrEqual(t, i, 0, "no statement %s", sid)
	return doc.Statement[i]
}

// The key policy separates administration from use, and gives the account's root (and so
// IAM policies) nothing.
func TestKeyPolicy(t *testing.T) {
	p := planned(t)
	key := get(t, p, "aws:kms/key:Key", "state")
	doc := parse(t, key.Inputs["policy"])
	require.Len(t, doc.Statement, 2, "administration and use, nothing else")

	admin := statement(t, doc, "AdministerTheKey")
	assert.Equal(t, "Allow", admin.Effect)
	assert.Equal(t, map[string][]string{"AWS": {"arn:aws:iam::111111111111:role/acme-administrator",
		"arn:aws:iam::111111111111:role/acme-break-glass"}}, admin.Principal)
	assert.Equal(t, bootstrap.AdministerActions(), admin.Action)
	for _, crypto := range []string{"kms:CreateGrant", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey",
		"kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"} {
		assert.NotContains(t, admin.Action, crypto, "administrators do not use the key")
	}

	use := statement(t, doc, "UseTheKey")
	assert.Equal(t, []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"}, use.Action)
	assert.Equal(t, map[string]map[string][]string{
		"StringEquals": {"aws:PrincipalAccount": {"111111111111"}},
		"ArnEquals": {"aws:PrincipalArn": {
			"arn:aws:iam::111111111111:role/acme-administrator",
			"arn:aws:iam::111111111111:role/acme-dev-platform-ci-deploy",
			"arn:aws:iam::111111111111:role/acme-dev-platform-ci-preview",
			"arn:aws:iam::111111111111:role/acme-prod-platform-ci-deploy",
			"arn:aws:iam::111111111111:role/acme-prod-platform-ci-preview",
		}},
	}, use.Condition)

	for _, st := range doc.Statement {
		for _, id := range st.Principal["AWS"] {
			assert.NotEqual(t, "arn:aws:iam::111111111111:root", id, "%s: the root delegates the key to IAM", st.Sid)
			assert.NotEqual(t, "111111111111", id, "%s: the account delegates the key to IAM", st.Sid)
		}
	}
	assert.Equal(t, true, key.Inputs["enableKeyRotation"])
	assert.True(t, key.Protect)
	assert.True(t, key.RetainOnDelete)
	assert.NotContains(t, key.Inputs["tags"], "env", "the CI roles act on their environment's tagged keys")

	alias := get(t, p, "aws:kms/alias:Alias", "state")
	assert.Equal(t, "alias/acme-pulumi-state", alias.Inputs["name"])
	assert.Equal(t, map[string]any{bootstrap.OutputBucketName: "acme-pulumi-state-111111111111",
		bootstrap.OutputKeyArn: key.Outputs["arn"], bootstrap.OutputKeyAlias: "alias/acme-pulumi-state"}, p.Outputs)
}

// The bucket is the one the platform stacks' stratum:stateBucket names, encrypted with the
// state key object by object, versioned, private, TLS-only, protected and retained.
func TestBucket(t *testing.T) {
	p := planned(t)
	b := get(t, p, "aws:s3/bucketV2:BucketV2", "state")
	assert.Equal(t, "acme-pulumi-state-111111111111", b.Inputs["bucket"])
	assert.Equal(t, false, b.Inputs["forceDestroy"])
	assert.NotContains(t, b.Inputs["tags"], "env")

	project, err := config.ReadProject("../..", "dev")
	require.NoError(t, err)
	assert.Equal(t, project.Raw[config.KeyStateBucket].Value, b.Inputs["bucket"], "the platform's stratum:stateBucket")

	key := get(t, p, "aws:kms/key:Key", "state")
	sse := get(t, p, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "state-encryption")
	assert.Equal(t, []any{map[string]any{"bucketKeyEnabled": false, "applyServerSideEncryptionByDefault": map[string]any{
		"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key.Outputs["arn"]}}}, sse.Inputs["rules"],
		"no bucket key: the encryption context names each object, which the CI roles' conditions check")

	versioning := get(t, p, "aws:s3/bucketVersioningV2:BucketVersioningV2", "state-versioning")
	assert.Equal(t, map[string]any{"status": "Enabled"}, versioning.Inputs["versioningConfiguration"])
	block := get(t, p, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "state-public-access")
	for _, flag := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		assert.Equal(t, true, block.Inputs[flag], flag)
	}
	ownership := get(t, p, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "state-ownership")
	assert.Equal(t, map[string]any{"objectOwnership": "BucketOwnerEnforced"}, ownership.Inputs["rule"])

	doc := parse(t, get(t, p, "aws:s3/bucketPolicy:BucketPolicy", "state-policy").Inputs["policy"])
	require.Len(t, doc.Statement, 1)
	tls := statement(t, doc, "DenyInsecureTransport")
	assert.Equal(t, "Deny", tls.Effect)
	assert.Equal(t, map[string]map[string][]string{"Bool": {"aws:SecureTransport": {"false"}}}, tls.Condition)
	arn, _ := b.Outputs["arn"].(string)
	assert.Equal(t, []string{arn, arn + "/*"}, tls.Resource)
	assert.Contains(t, tls.Action, "s3:GetObject")
	assert.Contains(t, tls.Action, "s3:PutObject")

	for _, r := range p.Resources {
		if r.Custom && r.Type != "pulumi:providers:aws" {
			assert.True(t, r.Protect && r.RetainOnDelete, "%s %s is protected and retained", r.Type, r.Name)
		}
	}
}

// The plan passes every rule the environments' plans are held to, but for the registry's
// written suppressions.
func TestPlanPassesTheRules(t *testing.T) {
	p := *planned(t) // a copy: the golden has no findings
	require.NoError(t, policy.Evaluate(&p, stacks.Rules(), stacks.Bootstrap().Suppressions...))
	for _, f := range p.Findings {
		// Every AWS type it deploys is covered by a rule, as in the environments' plans.
		if f.Suppressed == "" && (f.Severity == "error" || f.Rule == policy.Coverage) {
			t.Errorf("%s %s: %s", f.Rule, f.URN, f.Message)
		}
	}
}

// The bootstrap is in no environment: nothing that plans, orders or deploys environments
// sees it.
func TestNotInTheEnvironments(t *testing.T) {
	for _, p := range stacks.All() {
		assert.NotEqual(t, stacks.Bootstrap().Name, p.Name)
	}
}
