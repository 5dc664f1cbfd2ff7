package platform_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/platform/release"
	"github.com/stratum-platform/stratum/stacks/platform"
)

func TestBoundaryIsPinned(t *testing.T) {
	p := plantest.ProjectPlan(t, root, "dev", platform.Program)
	r, err := p.Get("aws:iam/policy:Policy", "boundary")
	require.NoError(t, err)
	assert.Equal(t, "acme-dev-boundary", r.Inputs["name"])
	assert.Equal(t, boundary, p.Outputs[contract.PermissionsBoundaryArn.Name()],
		"the output is what the deploy role's CreateRole condition names")

	got := policyAccess(t, p, "boundary")
	w := map[string][]string{}
	grants(w, l("arn:aws:logs:"+regional+"log-group:/aws/lambda/acme-dev-*"), "logs:CreateLogStream", "logs:PutLogEvents")
	grants(w, l("*"), "xray:PutTelemetryRecords", "xray:PutTraceSegments")
	grants(w, l(devKeys), "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey")
	grants(w, l("arn:aws:dynamodb:"+regional+"table/acme-dev-*"), "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem",
		"dynamodb:ConditionCheckItem", "dynamodb:DeleteItem", "dynamodb:DescribeStream", "dynamodb:DescribeTable",
		"dynamodb:GetItem", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams",
		"dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem")
	grants(w, l("arn:aws:sqs:"+regional+"acme-dev-*"), "sqs:ChangeMessageVisibility", "sqs:DeleteMessage",
		"sqs:GetQueueAttributes", "sqs:ReceiveMessage", "sqs:SendMessage")
	grants(w, l("arn:aws:sns:"+regional+"acme-dev-*"), "sns:Publish")
	grants(w, l(devFns), "lambda:InvokeFunction")
	grants(w, l("arn:aws:secretsmanager:"+regional+"secret:acme-dev-*"), "secretsmanager:DescribeSecret",
		"secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage")
	// The customer's account cannot be named; the role name is this environment's.
	grants(w, l("arn:aws:iam::*:role/stratum-dev-inventory-reader"), "sts:AssumeRole", "sts:SetSourceIdentity")
	// What the release function, CodeDeploy's service roles and the smoke hooks call.
	grants(w, l(devFns), "lambda:DeleteFunction", "lambda:GetAlias", "lambda:GetProvisionedConcurrencyConfig",
		"lambda:ListVersionsByFunction", "lambda:UpdateAlias")
	deployments := l("arn:aws:codedeploy:"+regional+"application:acme-dev-*", "arn:aws:codedeploy:"+regional+"deploymentgroup:acme-dev-*")
	for _, config := range release.ConfigNames() {
		deployments = append(deployments, "arn:aws:codedeploy:"+regional+"deploymentconfig:"+config)
	}
	grants(w, deployments, "codedeploy:CreateDeployment", "codedeploy:GetApplicationRevision", "codedeploy:GetDeployment",
		"codedeploy:GetDeploymentConfig", "codedeploy:ListDeployments", "codedeploy:PutLifecycleEventHookExecutionStatus",
		"codedeploy:RegisterApplicationRevision", "codedeploy:StopDeployment")
	grants(w, l("arn:aws:cloudwatch:"+regional+"alarm:acme-dev-*"), "cloudwatch:DescribeAlarms")
	// The log pipeline's roles, on the platform's log stream, archive and search domain only.
	stream := "arn:aws:kinesis:" + regional + "stream/acme-dev-platform-logs"
	archive := "arn:aws:s3:::acme-dev-platform-log-archive-" + acct + "-eu-west-1"
	domain := "arn:aws:es:" + regional + "domain/acme-dev-platform-logs"
	grants(w, l(stream), "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords",
		"kinesis:GetShardIterator", "kinesis:ListShards", "kinesis:PutRecord", "kinesis:PutRecords")
	grants(w, l(archive, archive+"/*"), "s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:ListBucket",
		"s3:ListBucketMultipartUploads", "s3:PutObject")
	grants(w, l(domain, domain+"/*"), "es:DescribeDomain", "es:DescribeDomainConfig", "es:DescribeDomains",
		"es:ESHttpGet", "es:ESHttpPost", "es:ESHttpPut")
	assert.Equal(t, w, got.allow)
	assert.Empty(t, got.deny)
	assert.Equal(t, map[string]map[string]map[string][]string{
		"UseEnvironmentKeys": {"StringEquals": {"aws:ResourceTag/env": {"dev"}, "aws:ResourceTag/org": {"acme"}}},
	}, got.conditions)
}

// TestBoundaryCoversWhatContextsGrant: every action a role of any context is granted (their
// inline policies in the contexts' golden plans, which carry the boundary) is one the boundary
// allows on that resource, so the boundary takes nothing away from a function, a schedule or
// a secret's rotation; what a context grants beyond the components (inventory's scan
// assuming customers' reader roles) is in the boundary with its reason.
func TestBoundaryCoversWhatContextsGrant(t *testing.T) {
	p := plantest.ProjectPlan(t, root, "dev", platform.Program)
	allowed := policyAccess(t, p, "boundary").allow
	for _, context := range []string{"accounts", "inventory", "notifications"} {
		golden, err := plan.ReadGolden("../" + context + "/testdata/dev.plan.json")
		require.NoError(t, err)
		for _, r := range golden.Resources {
			if r.Type != "aws:iam/rolePolicy:RolePolicy" {
				continue
			}
			doc, err := iam.Parse(r.String("policy"))
			require.NoError(t, err)
			for _, st := range doc.Statement {
				for _, a := range st.Action {
					assert.Contains(t, allowed, a, "%s %s: %s", context, r.Name, a)
					for _, res := range st.Resource {
						assert.True(t, slices.ContainsFunc(allowed[a], func(pattern string) bool { return matches(pattern, res) }),
							"%s %s: %s on %s is outside the boundary %v", context, r.Name, a, res, allowed[a])
					}
				}
			}
		}
	}
}

// TestWildcardsOnlyWithAReason: no policy of the CI identity has a wildcard action, and an
// Allow of Resource "*" holds only actions on platform/iam's allow-list, which says why.
func TestWildcardsOnlyWithAReason(t *testing.T) {
	p := plantest.ProjectPlan(t, root, "dev", platform.Program)
	for _, a := range []access{roleAccess(t, p, "ci-deploy"), roleAccess(t, p, "ci-preview"), policyAccess(t, p, "boundary")} {
		for _, st := range a.statements {
			for _, action := range st.Action {
				assert.False(t, strings.ContainsAny(action, "*?"), "%s: wildcard action %s", st.Sid, action)
			}
			if st.Effect != "Allow" || !slices.Contains(st.Resource, "*") {
				continue
			}
			assert.Equal(t, []string{"*"}, st.Resource, "%s: \"*\" is never mixed with ARNs", st.Sid)
			for _, action := range st.Action {
				reason, ok := iam.WildcardResourceReason(action)
				if assert.True(t, ok, "%s: %s on \"*\" is not on the allow-list", st.Sid, action) {
					t.Logf("%s: %s on \"*\": %s", st.Sid, action, reason)
				}
			}
		}
	}
}

// TestPoliciesFitIAMsLimits plans the longest names the config allows, both custom domains
// included: each managed policy stays under 6,144 characters (without whitespace), a trust
// policy under 2,048, and a role has at most 10 managed policies (IAM's default quotas).
func TestPoliciesFitIAMsLimits(t *testing.T) {
	// A domain name of 253 characters: four labels of 63, 63, 63 and 61.
	longest := func(c string) string {
		label := strings.Repeat(c, 63)
		return label + "." + label + "." + label + "." + strings.Repeat(c, 61)
	}
	raw := config.Raw{
		"aws:region": {Value: "ap-southeast-2"}, "stratum:org": {Value: "abcdefghijkl"},
		"stratum:owner": {Value: "o"}, "stratum:costCentre": {Value: "c"},
		"stratum:jwtIssuer": {Value: "https://login.example"}, "stratum:jwtAudiences": {Value: `["api://x"]`},
		"stratum:githubRepository": {Value: strings.Repeat("o", 39) + "/" + strings.Repeat("r", 100)},
		"stratum:stateBucket":      {Value: strings.Repeat("s", 63)},
		"stratum:stateKeyArn":      {Value: "arn:aws:kms:ap-southeast-2:123456789012:key/mrk-0123456789abcdef0123456789abcdef"},
		config.KeyAPIDomain:        {Value: longest("a")},
		config.KeyPortalDomain:     {Value: longest("p")},
		config.KeyHostedZoneID:     {Value: "Z" + strings.Repeat("A", 31)},
		// The portal's grants, with sign-in, name its resources.
		"stratum:portalClientId": {Value: strings.Repeat("c", 255)}, "stratum:portalSigningPublicKey": {Value: publicKeyPEM(t)},
	}
	require.Len(t, longest("a"), 253)
	p, err := plan.Run(plan.Options{Project: "platform", Stack: "abcdefgh", Config: raw, Dir: root}, platform.Program)
	require.NoError(t, err)
	policies := 0
	for _, r := range p.Resources {
		switch r.Type {
		case "aws:iam/policy:Policy":
			policies++
			assert.LessOrEqual(t, len(r.String("policy")), 6144, r.Name)
		case "aws:iam/role:Role":
			assert.LessOrEqual(t, len(r.String("assumeRolePolicy")), 2048, r.Name)
			managed, _ := r.Inputs["managedPolicyArns"].([]any) // a function's role has none
			assert.LessOrEqual(t, len(managed), 10, r.Name)
		}
	}
	assert.Equal(t, 21, policies, "the boundary and ten policies of each role were checked")
}

// publicKeyPEM is the PEM of a new RSA 2048 public key.
func publicKeyPEM(t *testing.T) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}
