package policy_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
)

const (
	secretType   = "aws:secretsmanager/secret:Secret"
	policyType   = "aws:secretsmanager/secretPolicy:SecretPolicy"
	rotationType = "aws:secretsmanager/secretRotation:SecretRotation"
)

func secretArn(name string) string {
	return "arn:aws:secretsmanager:eu-west-1:111111111111:secret:" + physical(name) + "-AbCdEf"
}

// denyReading is the statement of a secret policy that leaves reading to principals.
func denyReading(arn string, principals ...string) map[string]any {
	return map[string]any{"Sid": "DenyReadingButToReaders", "Effect": "Deny", "Principal": map[string]any{"AWS": []any{"*"}},
		"Action": []any{"secretsmanager:GetSecretValue"}, "Resource": []any{arn},
		"Condition": map[string]any{"ArnNotEquals": map[string]any{"aws:PrincipalArn": principals}}}
}

// secret is a secret with its policy and rotation, which leave reading to the roles of the
// functions readers (and the rotation function).
func secret(name string, readers ...string) []plan.Resource {
	arn := secretArn(name)
	principals := []string{roleArn(name + "-rotation")}
	for _, r := range readers {
		principals = append(principals, roleArn(r))
	}
	s := res(secretType, name, map[string]any{"name": physical(name), "kmsKeyId": keyArn, "tags": defaultTags()},
		map[string]any{"arn": arn, "name": physical(name)})
	pol := res(policyType, name+"-policy", map[string]any{"secretArn": arn, "blockPublicPolicy": true,
		"policy": doc(denyReading(arn, principals...))}, nil)
	rot := res(rotationType, name+"-rotation", map[string]any{"secretId": arn,
		"rotationLambdaArn": functionArn(name+"-rotation") + ":live", "rotationRules": map[string]any{"automaticallyAfterDays": 30}}, nil)
	return []plan.Resource{s, pol, rot}
}

// reads is function fn's grant to read secret name.
func reads(fn, name string) []plan.Resource {
	return one(res("aws:iam/rolePolicy:RolePolicy", fn+"-read-"+name, map[string]any{"role": physical(fn),
		"policy": doc(allow(secretArn(name), "secretsmanager:GetSecretValue"))}, nil))
}

func TestSecretBaseline(t *testing.T) {
	parts := secret("signing", "deliver")
	s, pol, rot := parts[0], parts[1], parts[2]
	arn := secretArn("signing")
	runCases(t, "secret-baseline", []ruleCase{
		{"compliant", [][]plan.Resource{parts, function("deliver"), reads("deliver", "signing")}, nil},
		{"no policy, no rotation, the AWS managed key", [][]plan.Resource{one(with(s, map[string]any{"kmsKeyId": nil}))}, []policy.Violation{
			{URN: s.URN, Message: "kmsKeyId is not set: the secret is encrypted with the AWS managed key aws/secretsmanager; set it to the context's KMS key"},
			{URN: s.URN, Message: "has no rotation; rotate it with a function (aws:secretsmanager/secretRotation), so that a leaked key stops working"},
			{URN: s.URN, Message: "has no resource policy; add one that denies secretsmanager:GetSecretValue to every principal but its readers (ArnNotEquals on aws:PrincipalArn)"},
		}},
		{"an operator's value, not rotated", [][]plan.Resource{{with(s, map[string]any{"tags": withTag(defaultTags(), "rotation", "operator")}), pol}},
			nil},
		{"a rotation without a schedule", [][]plan.Resource{{s, pol, with(rot, map[string]any{"rotationRules": map[string]any{"automaticallyAfterDays": 400}})}},
			[]policy.Violation{{URN: s.URN, Message: "its rotation has no rotationRules.automaticallyAfterDays from 1 to 365 (nor a scheduleExpression); rotate at least yearly"}}},
		{"a rotation without a function", [][]plan.Resource{{s, pol, with(rot, map[string]any{"rotationLambdaArn": nil})}},
			[]policy.Violation{{URN: s.URN, Message: "its rotation names no rotationLambdaArn; a function must write the new values"}}},
		{"a policy that denies nothing", [][]plan.Resource{{s, rot, with(pol, map[string]any{"blockPublicPolicy": false,
			"policy": doc(allow(arn, "secretsmanager:GetSecretValue"))})}}, []policy.Violation{
			{URN: pol.URN, Message: "blockPublicPolicy is not true: Secrets Manager would accept a policy that opens the secret to other accounts or to everyone"},
			{URN: pol.URN, Message: "no statement denies secretsmanager:GetSecretValue to Principal \"*\" but the principals named by aws:PrincipalArn (ArnNotEquals): any IAM allow in the account reaches the value"},
		}},
		{"a reader the policy denies", [][]plan.Resource{parts, function("audit"), reads("audit", "signing")}, []policy.Violation{
			{URN: pol.URN, Message: "denies secretsmanager:GetSecretValue to " + roleArn("audit") + ", which the plan grants it: name the role's function among the secret's Readers"},
		}},
		{"a value in the program", [][]plan.Resource{parts, one(res("aws:secretsmanager/secretVersion:SecretVersion", "signing-value",
			map[string]any{"secretId": arn, "secretString": "[secret]"}, nil))}, []policy.Violation{
			{URN: urn("aws:secretsmanager/secretVersion:SecretVersion", "signing-value"), Message: "a secret version sets the value in the program, so it is kept in the Pulumi state; let the secret's rotation function write every value"},
		}},
	})
}

func TestSecretBaselineProtection(t *testing.T) {
	p := newPlan(secret("signing"))
	p.Stack = "prod"
	got := checkPlan(t, "secret-baseline", p)
	parts := secret("signing")
	assert.Equal(t, []policy.Violation{
		{URN: parts[0].URN, Message: `protect and retainOnDelete are not both set although stack "prod" protects stateful resources`},
		{URN: parts[1].URN, Message: `protect and retainOnDelete are not both set although stack "prod" protects stateful resources`},
	}, got)
	for i := range 2 {
		p.Resources[i].Protect, p.Resources[i].RetainOnDelete = true, true
	}
	assert.Empty(t, checkPlan(t, "secret-baseline", p))
}
