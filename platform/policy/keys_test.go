package policy_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
)

// keyWith is a KMS key whose policy holds statements.
func keyWith(t *testing.T, statements ...map[string]any) plan.Resource {
	t.Helper()
	doc, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	require.NoError(t, err)
	return res("aws:kms/key:Key", "key", map[string]any{"enableKeyRotation": true, "policy": string(doc)}, nil)
}

func keyStatement(sid string, principal map[string]any, actions []string, condition map[string]any) map[string]any {
	st := map[string]any{"Sid": sid, "Effect": "Allow", "Principal": principal, "Action": actions, "Resource": "*"}
	if condition != nil {
		st["Condition"] = condition
	}
	return st
}

func TestKeyPolicySeparation(t *testing.T) {
	const deploy = "arn:aws:iam::111111111111:role/acme-dev-platform-ci-deploy"
	account := map[string]any{"AWS": "arn:aws:iam::111111111111:root"}
	named := func(arns ...string) map[string]any {
		return map[string]any{"ArnEquals": map[string]any{"aws:PrincipalArn": arns}}
	}
	admin := keyStatement("Administration", account, iam.KMSAdministrativeActions(), named(deploy, "arn:aws:iam::111111111111:root"))
	use := keyStatement("ScopeRolesUse", account, iam.KMSCryptographicActions(),
		map[string]any{"ArnLike": map[string]any{"aws:PrincipalArn": "arn:aws:iam::111111111111:role/acme-dev-orders-*"}})
	grant := keyStatement("AdministratorsGrantToAWSResources", account, []string{"kms:CreateGrant"}, map[string]any{
		"ArnEquals":    map[string]any{"aws:PrincipalArn": deploy},
		"StringEquals": map[string]any{"kms:ViaService": "dynamodb.eu-west-1.amazonaws.com"},
		"Bool":         map[string]any{"kms:GrantIsForAWSResource": "true"},
	})
	sns := keyStatement("ServiceSNS", map[string]any{"Service": "sns.amazonaws.com"}, []string{"kms:Decrypt", "kms:GenerateDataKey"},
		map[string]any{"ArnLike": map[string]any{"aws:SourceArn": "arn:aws:sns:eu-west-1:111111111111:acme-dev-*"}})
	logs := keyStatement("ServiceLogs", map[string]any{"Service": "logs.eu-west-1.amazonaws.com"}, []string{"kms:Decrypt", "kms:Encrypt"},
		map[string]any{"ArnLike": map[string]any{"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/acme-dev-orders-*"}})
	key := keyWith(t)
	label := func(sid string) string { return `policy statement 0 ("` + sid + `")` }
	runCases(t, "key-policy-separation", []ruleCase{
		{"separated", [][]plan.Resource{one(keyWith(t, admin, use, grant, sns, logs))}, nil},
		{"roles named as principals", [][]plan.Resource{one(keyWith(t, keyStatement("Administration",
			map[string]any{"AWS": []string{deploy, "arn:aws:iam::111111111111:role/acme-break-glass"}}, iam.KMSAdministrativeActions(), nil)))}, nil},
		{"anyone as the principal", [][]plan.Resource{one(keyWith(t, keyStatement("Admin", map[string]any{"AWS": "*"}, iam.KMSAdministrativeActions(), nil)))},
			[]policy.Violation{{URN: key.URN, Message: label("Admin") + ": names no principal (aws:PrincipalArn): any principal of the account whose IAM policy allows it may administer the key"}}},
		{"the account root with administration and use, no condition (the finding)", [][]plan.Resource{one(keyWith(t,
			keyStatement("AccountAdministersAndDelegates", account, append(iam.KMSAdministrativeActions(), "kms:CreateGrant", "kms:Decrypt"), nil)))},
			[]policy.Violation{
				{URN: key.URN, Message: label("AccountAdministersAndDelegates") + ": grants administrative and cryptographic actions together; give administrators and users separate statements"},
				{URN: key.URN, Message: label("AccountAdministersAndDelegates") + ": allows kms:CreateGrant without kms:GrantIsForAWSResource: a grant would hand the key's use to any grantee"},
			}},
		{"administration handed to IAM", [][]plan.Resource{one(keyWith(t, keyStatement("Admin", account, iam.KMSAdministrativeActions(), nil)))},
			[]policy.Violation{{URN: key.URN, Message: label("Admin") + ": names no principal (aws:PrincipalArn): any principal of the account whose IAM policy allows it may administer the key"}}},
		{"use excluded only", [][]plan.Resource{one(keyWith(t, keyStatement("Use", account, []string{"kms:Decrypt"},
			map[string]any{"ArnNotEquals": map[string]any{"aws:PrincipalArn": deploy}})))},
			[]policy.Violation{{URN: key.URN, Message: label("Use") + ": names no principal (aws:PrincipalArn): any principal of the account whose IAM policy allows it may use the key"}}},
		{"the root user decrypting directly", [][]plan.Resource{one(keyWith(t, keyStatement("Root", account, []string{"kms:Decrypt"},
			named("arn:aws:iam::111111111111:root"))))},
			[]policy.Violation{{URN: key.URN, Message: label("Root") + ": lets the account root use the key directly; limit its use to AWS services (kms:ViaService)"}}},
		{"a service for any resource", [][]plan.Resource{one(keyWith(t, keyStatement("SNS", map[string]any{"Service": "sns.amazonaws.com"},
			[]string{"kms:GenerateDataKey"}, map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": "111111111111"}})))},
			[]policy.Violation{{URN: key.URN, Message: label("SNS") + ": lets sns.amazonaws.com use the key for any resource; name the resources (aws:SourceArn, or kms:EncryptionContext:aws:logs:arn for CloudWatch Logs)"}}},
		{"no policy", [][]plan.Resource{one(res("aws:kms/key:Key", "key", map[string]any{"enableKeyRotation": true}, nil))},
			[]policy.Violation{{URN: key.URN, Message: "policy is not set: the default key policy gives the account root kms:*, which hands every use of the key to IAM; set a policy that separates administration from use"}}},
	})
}
