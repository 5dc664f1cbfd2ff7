package secret_test

import (
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/components/secret"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/platform/policy"
	"github.com/stratum-platform/stratum/platform/stackref"
)

const secretArn = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:acme-dev-orders-signing-2cbd77"

func TestChildren(t *testing.T) {
	p := run(t, nil)
	component := get(t, p, secret.TypeToken, "signing")
	assert.Empty(t, component.Parent)
	assert.Equal(t, []string{
		"aws:lambda/permission:Permission signing-rotation-permission",
		"aws:secretsmanager/secret:Secret signing",
		"aws:secretsmanager/secretPolicy:SecretPolicy signing-policy",
		"aws:secretsmanager/secretRotation:SecretRotation signing-rotation",
		"stratum:function:Function signing-rotation",
	}, children(p, component.URN))

	s := get(t, p, secretType, "signing")
	assert.Equal(t, "acme-dev-orders-signing", s.Inputs["name"])
	assert.Equal(t, scopetest.KeyArn, s.Inputs["kmsKeyId"])
	assert.EqualValues(t, 30, s.Inputs["recoveryWindowInDays"])
	assert.Equal(t, "orders", s.Inputs["tags"].(map[string]any)["context"])
	for _, absent := range []string{"policy", "replicas", "secretString"} {
		assert.NotContains(t, s.Inputs, absent)
	}
	assert.Empty(t, p.Find("aws:secretsmanager/secretVersion:SecretVersion", ""), "no value passes through the state")
}

func TestRotation(t *testing.T) {
	p := run(t, nil)
	r := get(t, p, rotationType, "signing-rotation")
	assert.Equal(t, map[string]any{
		"secretId": secretArn, "rotationLambdaArn": aliasArn, "rotateImmediately": true,
		"rotationRules": map[string]any{"automaticallyAfterDays": 30.0},
	}, r.Inputs)
	perm := get(t, p, permType, "signing-rotation-permission")
	assert.Equal(t, map[string]any{
		"action": "lambda:InvokeFunction", "function": "acme-dev-orders-signing-rotation", "qualifier": "live",
		"principal": "secretsmanager.amazonaws.com", "sourceArn": secretArn, "sourceAccount": account,
	}, perm.Inputs)
	assert.Contains(t, r.Dependencies, perm.URN, "Secrets Manager invokes the function as soon as the rotation exists")
	assert.Contains(t, r.Dependencies, get(t, p, policyType, "signing-policy").URN)

	fn := get(t, p, "aws:lambda/function:Function", "signing-rotation")
	assert.Equal(t, secretArn, fn.Inputs["environment"].(map[string]any)["variables"].(map[string]any)[secret.EnvSecretArn])
	assert.EqualValues(t, 30, fn.Inputs["timeout"])
	role := get(t, p, roleType, "signing-rotation-role")
	assert.Equal(t, boundary, role.Inputs["permissionsBoundary"])
	grants := parse(t, get(t, p, "aws:iam/rolePolicy:RolePolicy", "signing-rotation-policy"), "policy").Statement[3:]
	assert.Equal(t, []iam.ParsedStatement{
		{Sid: "SecretSigningRotate", Effect: "Allow", Action: []string{"secretsmanager:DescribeSecret",
			"secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"},
			Resource: []string{secretArn}},
		{Sid: "SecretSigningRotateKey", Effect: "Allow", Action: []string{"kms:Decrypt", "kms:GenerateDataKey"},
			Resource: []string{scopetest.KeyArn}, Condition: keyConditions()},
	}, grants)
}

func keyConditions() map[string]map[string][]string {
	return map[string]map[string][]string{"StringEquals": {
		"kms:EncryptionContext:SecretARN": {secretArn},
		"kms:ViaService":                  {"secretsmanager.eu-west-1.amazonaws.com"},
	}}
}

func TestResourcePolicyDeniesEveryoneElse(t *testing.T) {
	p := run(t, nil)
	policy := get(t, p, policyType, "signing-policy")
	assert.Equal(t, true, policy.Inputs["blockPublicPolicy"])
	assert.Equal(t, secretArn, policy.Inputs["secretArn"])
	deny := func(sid string, actions []string, allowed ...string) iam.ParsedStatement {
		return iam.ParsedStatement{Sid: sid, Effect: "Deny", Principal: map[string][]string{"AWS": {"*"}},
			Action: actions, Resource: []string{secretArn},
			Condition: map[string]map[string][]string{"ArnNotEquals": {"aws:PrincipalArn": allowed}}}
	}
	assert.Equal(t, iam.Parsed{Version: iam.Version, Statement: []iam.ParsedStatement{
		deny("DenyReadingButToReaders", []string{"secretsmanager:GetSecretValue"},
			"arn:aws:iam::111111111111:role/acme-dev-orders-deliver", rotationRole),
		deny("DenyWritingButToRotation", []string{"secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"},
			rotationRole),
		deny("DenyAdministeringButToAdministrators", []string{"secretsmanager:CancelRotateSecret",
			"secretsmanager:DeleteResourcePolicy", "secretsmanager:DeleteSecret", "secretsmanager:PutResourcePolicy",
			"secretsmanager:RemoveRegionsFromReplication", "secretsmanager:ReplicateSecretToRegions",
			"secretsmanager:RestoreSecret", "secretsmanager:RotateSecret", "secretsmanager:StopReplicationToReplica",
			"secretsmanager:TagResource", "secretsmanager:UntagResource", "secretsmanager:UpdateSecret"},
			deployRole, rootArn),
	}}, parse(t, policy, "policy"))
}

func TestAllowReadAndOutputs(t *testing.T) {
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		s, err := secret.New(ctx, "signing", args())
		if err != nil {
			return err
		}
		doc, err := iam.Document(s.AllowRead())
		if err != nil {
			return err
		}
		stackref.Export(ctx, "read", doc)
		stackref.Export(ctx, "arn", s.Arn)
		stackref.Export(ctx, "name", s.Name)
		return nil
	})
	read, err := iam.Parse(p.Outputs["read"].(string))
	require.NoError(t, err)
	assert.Equal(t, []iam.ParsedStatement{
		{Sid: "SecretSigningRead", Effect: "Allow", Action: []string{"secretsmanager:GetSecretValue"}, Resource: []string{secretArn}},
		{Sid: "SecretSigningReadKey", Effect: "Allow", Action: []string{"kms:Decrypt"}, Resource: []string{scopetest.KeyArn},
			Condition: keyConditions()},
	}, read.Statement)
	assert.Equal(t, secretArn, p.Outputs["arn"])
	assert.Equal(t, "acme-dev-orders-signing", p.Outputs["name"])
}

func TestSettings(t *testing.T) {
	a := args()
	a.RotateEvery = 7 * 24 * time.Hour
	a.RecoveryWindow = 7 * 24 * time.Hour
	a.Description = "Signs deliveries."
	a.Readers = []string{"verify", "deliver"}
	p := run(t, a)
	s := get(t, p, secretType, "signing")
	assert.Equal(t, "Signs deliveries.", s.Inputs["description"])
	assert.EqualValues(t, 7, s.Inputs["recoveryWindowInDays"])
	assert.EqualValues(t, 7, get(t, p, rotationType, "signing-rotation").Inputs["rotationRules"].(map[string]any)["automaticallyAfterDays"])
	readers := parse(t, get(t, p, policyType, "signing-policy"), "policy").Statement[0].Condition["ArnNotEquals"]["aws:PrincipalArn"]
	assert.Equal(t, []string{"arn:aws:iam::111111111111:role/acme-dev-orders-deliver",
		"arn:aws:iam::111111111111:role/acme-dev-orders-signing-rotation",
		"arn:aws:iam::111111111111:role/acme-dev-orders-verify"}, readers)
}

func TestProtected(t *testing.T) {
	a := args()
	a.Scope.Protect = true
	p := run(t, a)
	for _, r := range []struct{ typ, name string }{{secretType, "signing"}, {policyType, "signing-policy"}} {
		res := get(t, p, r.typ, r.name)
		assert.True(t, res.Protect && res.RetainOnDelete, "%s is protected and retained: a retained secret keeps its policy", r.name)
	}
	assert.False(t, get(t, p, rotationType, "signing-rotation").Protect)

	p = run(t, nil)
	assert.False(t, get(t, p, secretType, "signing").Protect)
}

// TestTheRotationFunctionIsThePlatforms builds the default rotation function: the component
// finds components/secret/handlers/rotate with the go command.
func TestTheRotationFunctionIsThePlatforms(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the rotation function")
	}
	a := args()
	a.RotationArchive = ""
	p := run(t, a)
	fn := get(t, p, "aws:lambda/function:Function", "signing-rotation")
	assert.Regexp(t, `^\[archive .*\.zip\]$`, fn.Inputs["code"])
	assert.NotEmpty(t, fn.Inputs["sourceCodeHash"])
}

// Two secrets' grants on one role: their statements are named after each secret.
func TestTwoSecretsOnOneFunction(t *testing.T) {
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		var grants iam.Statements
		for _, name := range []string{"signing", "webhook-key"} {
			s, err := secret.New(ctx, name, args())
			if err != nil {
				return err
			}
			grants = append(grants, s.AllowRead()...)
		}
		_, err := function.New(ctx, "deliver", &function.Args{Scope: scopetest.New(), Archive: archive, Grants: grants})
		return err
	})
	doc := parse(t, get(t, p, "aws:iam/rolePolicy:RolePolicy", "deliver-policy"), "policy")
	var sids []string
	for _, st := range doc.Statement[3:] {
		sids = append(sids, st.Sid)
	}
	assert.Equal(t, []string{"SecretSigningRead", "SecretSigningReadKey", "SecretWebhookKeyRead", "SecretWebhookKeyReadKey"}, sids)
}

// TestManual: an operator's secret has no rotation, function or permission; only its readers
// read it, and only the administrators and the root write and administer it.
func TestManual(t *testing.T) {
	a := args()
	a.RotationArchive, a.Manual = "", true
	p := run(t, a)
	assert.Equal(t, []string{
		"aws:secretsmanager/secret:Secret signing",
		"aws:secretsmanager/secretPolicy:SecretPolicy signing-policy",
	}, children(p, get(t, p, secret.TypeToken, "signing").URN))
	sec := get(t, p, secretType, "signing")
	assert.Equal(t, "signing of orders, set by an operator.", sec.Inputs["description"])
	assert.Equal(t, policy.OperatorSecretTagValue, sec.Inputs["tags"].(map[string]any)[policy.OperatorSecretTag],
		"tagged so that secret-baseline asks no rotation")
	require.NoError(t, policy.Evaluate(p, policy.Builtin()))
	for _, f := range p.Findings {
		assert.NotEqual(t, "secret-baseline", f.Rule, f.Message)
	}
	assert.Empty(t, p.Find("aws:secretsmanager/secretVersion:SecretVersion", ""), "the value never passes through the state")

	st := parse(t, get(t, p, policyType, "signing-policy"), "policy").Statement
	require.Len(t, st, 3)
	allowed := func(s iam.ParsedStatement) []string { return s.Condition["ArnNotEquals"]["aws:PrincipalArn"] }
	assert.Equal(t, "DenyReadingButToReaders", st[0].Sid)
	assert.Equal(t, []string{"arn:aws:iam::111111111111:role/acme-dev-orders-deliver"}, allowed(st[0]))
	assert.Equal(t, "DenyWritingButToOperators", st[1].Sid)
	assert.Equal(t, []string{"secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"}, st[1].Action)
	assert.ElementsMatch(t, []string{deployRole, rootArn}, allowed(st[1]))
	assert.ElementsMatch(t, []string{deployRole, rootArn}, allowed(st[2]))
}
