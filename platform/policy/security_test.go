package policy_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
)

// ruleCase is a plan and the violations one rule finds in it; nil want means it passes.
type ruleCase struct {
	name string
	rs   [][]plan.Resource
	want []policy.Violation
}

func runCases(t *testing.T, id string, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, check(t, id, tc.rs...))
		})
	}
}

func TestEncryptionAtRest(t *testing.T) {
	tbl, q, tp := table("orders")[0], queue("jobs")[0], topic("events")[0]
	fn, logs := function("api")[0], function("api")[3]
	runCases(t, "encryption-at-rest", []ruleCase{
		{"compliant", [][]plan.Resource{table("orders"), queue("jobs"), topic("events"), function("api")}, nil},
		{"function without environment needs no key", [][]plan.Resource{one(with(fn, map[string]any{"environment": nil, "kmsKeyArn": nil}))}, nil},
		{"table without SSE", [][]plan.Resource{one(with(tbl, map[string]any{"serverSideEncryption": nil}))}, []policy.Violation{{
			URN: tbl.URN, Message: "serverSideEncryption.enabled is not true: the table is encrypted with an AWS owned key; enable it with kmsKeyArn set to the context's KMS key"}}},
		{"table with the AWS managed key", [][]plan.Resource{one(with(tbl, map[string]any{"serverSideEncryption": map[string]any{"enabled": true}}))}, []policy.Violation{{
			URN: tbl.URN, Message: "serverSideEncryption.kmsKeyArn is not set: the table is encrypted with the AWS managed key aws/dynamodb; set it to the context's KMS key"}}},
		{"queue without key", [][]plan.Resource{one(with(q, map[string]any{"kmsMasterKeyId": nil, "sqsManagedSseEnabled": true}))}, []policy.Violation{{
			URN: q.URN, Message: "kmsMasterKeyId is not set: messages are encrypted with an SQS owned key at most; set it to the context's KMS key"}}},
		{"queue with the AWS managed key", [][]plan.Resource{one(with(q, map[string]any{"kmsMasterKeyId": "alias/aws/sqs"}))}, []policy.Violation{{
			URN: q.URN, Message: "kmsMasterKeyId is the AWS managed key alias/aws/sqs; use the context's customer managed KMS key"}}},
		{"topic without key", [][]plan.Resource{one(with(tp, map[string]any{"kmsMasterKeyId": nil}))}, []policy.Violation{{
			URN: tp.URN, Message: "kmsMasterKeyId is not set: messages are not encrypted with a KMS key; set it to the context's KMS key"}}},
		{"topic with the AWS managed key by ARN", [][]plan.Resource{one(with(tp, map[string]any{"kmsMasterKeyId": "arn:aws:kms:eu-west-1:111111111111:alias/aws/sns"}))}, []policy.Violation{{
			URN: tp.URN, Message: "kmsMasterKeyId is the AWS managed key alias/aws/sns; use the context's customer managed KMS key"}}},
		{"log group without key", [][]plan.Resource{one(with(logs, map[string]any{"kmsKeyId": nil}))}, []policy.Violation{{
			URN: logs.URN, Message: "kmsKeyId is not set: the log events are encrypted with a CloudWatch Logs owned key; set it to the context's KMS key"}}},
		{"function environment without key", [][]plan.Resource{one(with(fn, map[string]any{"kmsKeyArn": nil}))}, []policy.Violation{{
			URN: fn.URN, Message: "kmsKeyArn is not set: the environment variables are encrypted with the AWS managed key aws/lambda; set it to the context's KMS key"}}},
	})
}

func TestTLSOnly(t *testing.T) {
	q, qp := bareQueue("jobs")[0], bareQueue("jobs")[1]
	tp, tpp := topic("events")[0], topic("events")[1]
	inline := with(q, map[string]any{"policy": doc(denyInsecure(queueArn("jobs"), "sqs:ReceiveMessage", "sqs:SendMessage"))})
	allowOnly := doc(allow(queueArn("jobs"), "sqs:SendMessage"))
	denyWithoutCondition := denyInsecure(topicArn("events"), "sns:Publish")
	delete(denyWithoutCondition, "Condition")
	runCases(t, "tls-only", []ruleCase{
		{"compliant", [][]plan.Resource{queue("jobs"), topic("events")}, nil},
		{"inline queue policy", [][]plan.Resource{one(inline)}, nil},
		{"queue without policy", [][]plan.Resource{one(q)}, []policy.Violation{{
			URN: q.URN, Message: "the queue has no queue policy: add one that denies requests without TLS (Bool aws:SecureTransport false)"}}},
		{"topic without policy", [][]plan.Resource{one(tp)}, []policy.Violation{{
			URN: tp.URN, Message: "the topic has no topic policy: add one that denies requests without TLS (Bool aws:SecureTransport false)"}}},
		{"queue policy without deny", [][]plan.Resource{{q, with(qp, map[string]any{"policy": allowOnly})}}, []policy.Violation{{
			URN: qp.URN, Message: `policy does not deny sqs:ReceiveMessage, sqs:SendMessage without TLS: add a Deny statement for Principal "*" with condition Bool aws:SecureTransport false`}}},
		{"deny without condition", [][]plan.Resource{{tp, with(tpp, map[string]any{"policy": doc(denyWithoutCondition)})}}, []policy.Violation{{
			URN: tpp.URN, Message: `policy does not deny sns:Publish without TLS: add a Deny statement for Principal "*" with condition Bool aws:SecureTransport false`}}},
		{"deny of other actions", [][]plan.Resource{{tp, with(tpp, map[string]any{"policy": doc(denyInsecure(topicArn("events"), "sns:Subscribe"))})}}, []policy.Violation{{
			URN: tpp.URN, Message: `policy does not deny sns:Publish without TLS: add a Deny statement for Principal "*" with condition Bool aws:SecureTransport false`}}},
		{"unknown policy", [][]plan.Resource{{tp, with(tpp, map[string]any{"policy": plan.Unknown})}}, []policy.Violation{{
			URN: tpp.URN, Message: "policy is [unknown] in the plan, so it cannot be checked"}}},
	})
}

func TestIAMNoWildcards(t *testing.T) {
	rolePolicy := function("api")[2]
	role := function("api")[1]
	key := res("aws:kms/key:Key", "key", map[string]any{"policy": doc(map[string]any{"Sid": "Account", "Effect": "Allow",
		"Principal": map[string]any{"AWS": "arn:aws:iam::111111111111:root"}, "Action": []any{"kms:Decrypt"}, "Resource": "*"})}, nil)
	denyAll := map[string]any{"Effect": "Deny", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*",
		"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": false}}}
	runCases(t, "iam-no-wildcards", []ruleCase{
		{"compliant", [][]plan.Resource{function("api"), queue("jobs"), topic("events")}, nil},
		{"key policy and deny may use resource *", [][]plan.Resource{{key,
			res("aws:sqs/queuePolicy:QueuePolicy", "deny", map[string]any{"policy": doc(denyAll)}, nil)}}, nil},
		{"wildcard actions", [][]plan.Resource{one(with(rolePolicy, map[string]any{"policy": doc(
			map[string]any{"Sid": "Read", "Effect": "Allow", "Action": []any{"dynamodb:*", "s3:Get?bject", "sqs:SendMessage"}, "Resource": queueArn("jobs")})}))},
			[]policy.Violation{{URN: rolePolicy.URN, Message: `policy statement 0 ("Read"): wildcard action "dynamodb:*", "s3:Get?bject"; name exact actions`}}},
		{"wildcard in a deny", [][]plan.Resource{one(res("aws:sqs/queuePolicy:QueuePolicy", "deny", map[string]any{
			"policy": doc(map[string]any{"Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": queueArn("jobs")})}, nil))},
			[]policy.Violation{{URN: urn("aws:sqs/queuePolicy:QueuePolicy", "deny"), Message: `policy statement 0: wildcard action "sqs:*"; name exact actions`}}},
		{"resource * outside the allow-list", [][]plan.Resource{one(with(rolePolicy, map[string]any{"policy": doc(
			allow("*", "xray:PutTraceSegments", "dynamodb:Query", "dynamodb:GetItem"))}))},
			[]policy.Violation{{URN: rolePolicy.URN, Message: `policy statement 0: resource "*" is not allowed for dynamodb:GetItem, dynamodb:Query; scope the statement to resource ARNs`}}},
		{"role inline policy and trust policy", [][]plan.Resource{one(with(role, map[string]any{
			"assumeRolePolicy": doc(map[string]any{"Effect": "Allow", "Action": "sts:*", "Principal": map[string]any{"Service": "lambda.amazonaws.com"}}),
			"inlinePolicies":   []any{map[string]any{"name": "a", "policy": doc(allow("*", "s3:ListAllMyBuckets"))}},
		}))}, []policy.Violation{
			{URN: role.URN, Message: `assumeRolePolicy statement 0: wildcard action "sts:*"; name exact actions`},
			{URN: role.URN, Message: `inlinePolicies[0].policy statement 0: resource "*" is not allowed for s3:ListAllMyBuckets; scope the statement to resource ARNs`},
		}},
		{"unreadable policy", [][]plan.Resource{one(with(rolePolicy, map[string]any{"policy": `{"Statement":[{"Effect":"Allow","NotAction":"s3:GetObject","Resource":"*"}]}`}))},
			[]policy.Violation{{URN: rolePolicy.URN, Message: `policy cannot be checked: iam: parse: statement 0: json: unknown field "NotAction"`}}},
	})
}

// The allow-list a registry extends (policy.Builtin's extra) is the one iam-no-wildcards
// reads; an entry without its reason extends nothing.
func TestIAMNoWildcardsExtended(t *testing.T) {
	rolePolicy := with(function("api")[2], map[string]any{"policy": doc(allow("*", "ec2:DescribeNetworkInterfaces"))})
	eni := iam.WildcardAction{Action: "ec2:DescribeNetworkInterfaces", Reason: "Describe calls have no resource-level permissions."}
	refused := []policy.Violation{{URN: rolePolicy.URN,
		Message: `policy statement 0: resource "*" is not allowed for ec2:DescribeNetworkInterfaces; scope the statement to resource ARNs`}}
	check := func(extra ...iam.WildcardAction) []policy.Violation {
		for _, r := range policy.Builtin(extra...) {
			if r.ID == "iam-no-wildcards" {
				return r.Check(newPlan(one(rolePolicy)))
			}
		}
		t.Fatal("no rule iam-no-wildcards")
		return nil
	}
	assert.Equal(t, refused, check())
	assert.Empty(t, check(eni))
	assert.Equal(t, refused, check(iam.WildcardAction{Action: eni.Action}))
}

func TestIAMNoAWSManagedPolicies(t *testing.T) {
	attach := func(arn string) plan.Resource {
		return res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "api-basic", map[string]any{
			"policyArn": arn, "role": physical("api")}, nil)
	}
	role := function("api")[1]
	runCases(t, "iam-no-aws-managed-policies", []ruleCase{
		{"compliant", [][]plan.Resource{function("api")}, nil},
		{"customer managed policy", [][]plan.Resource{one(attach("arn:aws:iam::111111111111:policy/orders-read"))}, nil},
		{"attachment", [][]plan.Resource{one(attach("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"))}, []policy.Violation{{
			URN:     urn("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "api-basic"),
			Message: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole is an AWS managed policy; grant exact actions on exact resources in a role policy instead"}}},
		{"role managed policy ARNs in another partition", [][]plan.Resource{one(with(role, map[string]any{"managedPolicyArns": []any{"arn:aws-cn:iam::aws:policy/AdministratorAccess"}}))}, []policy.Violation{{
			URN: role.URN, Message: "arn:aws-cn:iam::aws:policy/AdministratorAccess is an AWS managed policy; grant exact actions on exact resources in a role policy instead"}}},
	})
}

func TestFunctionOwnRole(t *testing.T) {
	api, worker, report := function("api")[0], function("worker")[0], function("report")[0]
	shared := map[string]any{"role": roleArn("shared")}
	runCases(t, "function-own-role", []ruleCase{
		{"compliant", [][]plan.Resource{function("api"), function("worker")}, nil},
		{"shared role", [][]plan.Resource{{with(api, shared), with(worker, shared), with(report, shared)}}, []policy.Violation{
			{URN: api.URN, Message: "role arn:aws:iam::111111111111:role/acme-dev-orders-shared is also the role of acme-dev-orders-report, acme-dev-orders-worker; give every function its own role"},
			{URN: worker.URN, Message: "role arn:aws:iam::111111111111:role/acme-dev-orders-shared is also the role of acme-dev-orders-api, acme-dev-orders-report; give every function its own role"},
			{URN: report.URN, Message: "role arn:aws:iam::111111111111:role/acme-dev-orders-shared is also the role of acme-dev-orders-api, acme-dev-orders-worker; give every function its own role"},
		}},
	})
}
