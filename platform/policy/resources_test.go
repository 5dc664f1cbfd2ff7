package policy_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
)

func TestTablePointInTimeRecovery(t *testing.T) {
	tbl := table("orders")[0]
	want := []policy.Violation{{URN: tbl.URN, Message: "pointInTimeRecovery.enabled is not true: overwritten or deleted items cannot be restored; enable it"}}
	runCases(t, "table-point-in-time-recovery", []ruleCase{
		{"compliant", [][]plan.Resource{table("orders")}, nil},
		{"not set", [][]plan.Resource{one(with(tbl, map[string]any{"pointInTimeRecovery": nil}))}, want},
		{"disabled", [][]plan.Resource{one(with(tbl, map[string]any{"pointInTimeRecovery": map[string]any{"enabled": false}}))}, want},
	})
}

func TestStatefulProtection(t *testing.T) {
	protected := func(r plan.Resource) plan.Resource {
		r.Protect, r.RetainOnDelete = true, true
		if r.Type == "aws:dynamodb/table:Table" {
			r = with(r, map[string]any{"deletionProtectionEnabled": true})
		}
		return r
	}
	tbl, other := table("orders")[0], table("audit")[0]
	key := res("aws:kms/key:Key", "key", map[string]any{"enableKeyRotation": true}, nil)
	prod := func(rs ...plan.Resource) *plan.Plan {
		p := newPlan(rs)
		p.Stack = policy.ProtectedStack
		return p
	}
	for _, tc := range []struct {
		name string
		p    *plan.Plan
		want []policy.Violation
	}{
		{"unprotected dev plan", newPlan(one(tbl), one(key)), nil},
		{"deletion protection alone in dev", newPlan(one(with(tbl, map[string]any{"deletionProtectionEnabled": true}))), nil},
		{"protected prod plan", prod(protected(tbl), protected(key)), nil},
		{"unprotected prod plan", prod(tbl, key), []policy.Violation{
			{URN: tbl.URN, Message: `deletionProtectionEnabled, protect, retainOnDelete not set although stack "prod" protects stateful resources`},
			{URN: key.URN, Message: `protect, retainOnDelete not set although stack "prod" protects stateful resources`},
		}},
		{"dev plan protecting some", newPlan([]plan.Resource{protected(key), tbl, protected(other)}), []policy.Violation{
			{URN: tbl.URN, Message: "deletionProtectionEnabled, protect, retainOnDelete not set although this plan protects stateful resources"},
		}},
		{"protected without retain", newPlan(one(func() plan.Resource { r := protected(tbl); r.RetainOnDelete = false; return r }())), []policy.Violation{
			{URN: tbl.URN, Message: "retainOnDelete not set although this plan protects stateful resources"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, checkPlan(t, "stateful-protection", tc.p))
		})
	}
}

// Dead-letter queues, secrets and log groups hold data too: in a protected environment the
// first two are protected and retained, log groups retained (not protected: a function or an
// API can still be renamed); a queue nothing dead-letters to is not checked.
func TestStatefulProtectionCoversQueuesSecretsAndLogGroups(t *testing.T) {
	qs := queue("jobs")
	work, dlq := qs[0], qs[3]
	secret := res("aws:secretsmanager/secret:Secret", "signing-secret", map[string]any{"kmsKeyId": keyArn}, nil)
	logs := res("aws:cloudwatch/logGroup:LogGroup", "api-logs", map[string]any{"retentionInDays": 30}, nil)
	prod := func(rs ...plan.Resource) *plan.Plan {
		p := newPlan(rs)
		p.Stack = policy.ProtectedStack
		return p
	}
	const why = ` not set although stack "prod" protects stateful resources`
	assert.Equal(t, []policy.Violation{
		{URN: dlq.URN, Message: "protect, retainOnDelete" + why},
		{URN: secret.URN, Message: "protect, retainOnDelete" + why},
		{URN: logs.URN, Message: "retainOnDelete" + why},
	}, checkPlan(t, "stateful-protection", prod(work, dlq, secret, logs)), "the work queue is not checked")

	for _, r := range []*plan.Resource{&dlq, &secret} {
		r.Protect, r.RetainOnDelete = true, true
	}
	logs.RetainOnDelete = true
	assert.Empty(t, checkPlan(t, "stateful-protection", prod(work, dlq, secret, logs)))
	assert.Empty(t, checkPlan(t, "stateful-protection", newPlan([]plan.Resource{work, logs})),
		"a dev plan that protects nothing is not checked")
}

func TestRequiredTags(t *testing.T) {
	tp, tpp := topic("events")[0], topic("events")[1]
	partial := map[string]any{"org": "acme", "env": "dev", "context": "orders", "managed-by": "stratum", "owner": "", "extra": "x"}
	component := plan.Resource{URN: "urn:pulumi:dev::orders::stratum:topic:Topic::events", Type: "stratum:topic:Topic", Inputs: map[string]any{}}
	runCases(t, "required-tags", []ruleCase{
		{"compliant", [][]plan.Resource{topic("events"), table("orders")}, nil},
		{"untaggable types and components", [][]plan.Resource{{tpp, component}}, nil},
		{"Go map of tags", [][]plan.Resource{one(with(tp, map[string]any{"tags": map[string]string{"org": "acme", "env": "dev",
			"context": "orders", "owner": "team", "cost-centre": "cc", "managed-by": "stratum"}}))}, nil},
		{"missing and empty tags", [][]plan.Resource{one(with(tp, map[string]any{"tags": partial}))}, []policy.Violation{
			{URN: tp.URN, Message: "missing tags cost-centre; tag the resource with the scope's default tags"},
			{URN: tp.URN, Message: "empty tags owner; set them in the stratum: config of the project"},
		}},
		{"taggable type without tags", [][]plan.Resource{one(with(tp, map[string]any{"tags": nil}))}, []policy.Violation{
			{URN: tp.URN, Message: "missing tags org, env, context, owner, cost-centre, managed-by; tag the resource with the scope's default tags"},
		}},
		{"any resource with tags", [][]plan.Resource{one(res("aws:ec2/vpc:Vpc", "vpc", map[string]any{"tags": map[string]any{}}, nil))}, []policy.Violation{
			{URN: urn("aws:ec2/vpc:Vpc", "vpc"), Message: "missing tags org, env, context, owner, cost-centre, managed-by; tag the resource with the scope's default tags"},
		}},
		{"unknown tags", [][]plan.Resource{one(with(tp, map[string]any{"tags": plan.Unknown}))}, []policy.Violation{
			{URN: tp.URN, Message: "tags are [unknown] in the plan, so they cannot be checked"},
		}},
	})
}

func TestRouteAuthorization(t *testing.T) {
	route := api("public", "a1b2c3d4e5")[1]
	want := []policy.Violation{{URN: route.URN,
		Message: `route "GET /orders" takes requests without a token (authorizationType NONE); suppress with the reason it is public`}}
	runCases(t, "route-authorization", []ruleCase{
		{"JWT", [][]plan.Resource{one(route)}, nil},
		{"IAM", [][]plan.Resource{one(with(route, map[string]any{"authorizationType": "AWS_IAM", "authorizerId": nil}))}, nil},
		{"NONE", [][]plan.Resource{one(with(route, map[string]any{"authorizationType": "NONE", "authorizerId": nil}))}, want},
		{"not set means NONE", [][]plan.Resource{one(with(route, map[string]any{"authorizationType": nil}))}, want},
	})
	jwt := res("aws:apigatewayv2/authorizer:Authorizer", "public-jwt", map[string]any{"authorizerType": "JWT",
		"jwtConfiguration": map[string]any{"issuer": "https://id.example.com", "audiences": []any{"orders"}}}, nil)
	runCases(t, "route-authorization", []ruleCase{
		{"JWT authorizer with issuer and audiences", [][]plan.Resource{one(jwt)}, nil},
		{"JWT authorizer without audiences", [][]plan.Resource{one(with(jwt, map[string]any{
			"jwtConfiguration": map[string]any{"issuer": "https://id.example.com"}}))}, []policy.Violation{{URN: jwt.URN,
			Message: "the JWT authorizer lacks jwtConfiguration.issuer or audiences: name the issuer and the audiences whose tokens the API accepts"}}},
	})
}

func TestLambdaPermissionSource(t *testing.T) {
	perm := res("aws:lambda/permission:Permission", "route", map[string]any{"action": "lambda:InvokeFunction",
		"function": physical("api"), "principal": "apigateway.amazonaws.com",
		"sourceArn": "arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/*/GET/orders"}, nil)
	url := res("aws:lambda/functionUrl:FunctionUrl", "signin", map[string]any{"functionName": physical("signin"),
		"qualifier": "live", "authorizationType": "AWS_IAM"}, nil)
	runCases(t, "lambda-permission-source", []ruleCase{
		{"service with source ARN", [][]plan.Resource{one(perm)}, nil},
		{"service with source account", [][]plan.Resource{one(with(perm, map[string]any{"sourceArn": nil, "sourceAccount": "111111111111"}))}, nil},
		{"an account", [][]plan.Resource{one(with(perm, map[string]any{"sourceArn": nil, "principal": "222222222222"}))}, nil},
		{"service without a source", [][]plan.Resource{one(with(perm, map[string]any{"sourceArn": nil}))}, []policy.Violation{{URN: perm.URN,
			Message: "principal apigateway.amazonaws.com has neither sourceArn nor sourceAccount: the service may invoke the function for any account's resources; set sourceArn to the resource that calls it"}}},
		{"anyone", [][]plan.Resource{one(with(perm, map[string]any{"principal": "*"}))}, []policy.Violation{{URN: perm.URN,
			Message: `principal is "*": anyone may invoke the function; name the service or account that calls it`}}},
		{"function URL with IAM", [][]plan.Resource{one(url)}, nil},
		{"public function URL", [][]plan.Resource{one(with(url, map[string]any{"authorizationType": "NONE"}))}, []policy.Violation{{URN: url.URN,
			Message: `authorizationType is "NONE": anyone may invoke the function through its URL; set AWS_IAM and let only its callers (a CloudFront origin access control) in with a permission`}}},
	})
}

func TestFunctionArm64(t *testing.T) {
	fn := function("api")[0]
	runCases(t, "function-arm64", []ruleCase{
		{"compliant", [][]plan.Resource{one(fn)}, nil},
		{"not set", [][]plan.Resource{one(with(fn, map[string]any{"architectures": nil}))}, []policy.Violation{{URN: fn.URN,
			Message: `architectures is not set, so AWS uses x86_64; set it to ["arm64"]`}}},
		{"x86_64", [][]plan.Resource{one(with(fn, map[string]any{"architectures": []string{"x86_64"}}))}, []policy.Violation{{URN: fn.URN,
			Message: `architectures is ["x86_64"]; set it to ["arm64"]`}}},
	})
}

func TestRouteAuthorizationInDefinition(t *testing.T) {
	a := api("public", "a1b2c3d4e5")[0]
	runCases(t, "route-authorization", []ruleCase{
		{"JWT with scopes", [][]plan.Resource{one(a)}, nil},
		{"no body: its routes are resources", [][]plan.Resource{one(with(a, map[string]any{"body": nil}))}, nil},
		{"route without security", [][]plan.Resource{one(with(a, map[string]any{"body": definition(nil, "https://login.acme.example/dev")}))},
			[]policy.Violation{{URN: a.URN, Message: `route "GET /orders" takes requests without a token (no security requirement the definition makes an authorizer of); suppress with the reason it is public`}}},
		{"anonymous requirement", [][]plan.Resource{one(with(a, map[string]any{"body": definition(map[string]any{}, "https://login.acme.example/dev")}))},
			[]policy.Violation{{URN: a.URN, Message: `route "GET /orders" takes requests without a token (no security requirement the definition makes an authorizer of); suppress with the reason it is public`}}},
		{"JWT authorizer without issuer", [][]plan.Resource{one(with(a, map[string]any{"body": definition(map[string]any{"jwt": []any{}}, "")}))},
			[]policy.Violation{{URN: a.URN, Message: `the JWT authorizer "jwt" lacks an issuer or audiences: name the issuer and the audiences whose tokens the API accepts`}}},
		{"unknown body", [][]plan.Resource{one(with(a, map[string]any{"body": plan.Unknown}))},
			[]policy.Violation{{URN: a.URN, Message: "body is [unknown] in the plan, so its routes cannot be checked"}}},
		{"unreadable body", [][]plan.Resource{one(with(a, map[string]any{"body": "openapi: 3.0.1"}))},
			[]policy.Violation{{URN: a.URN, Message: "body cannot be read, so its routes cannot be checked: api definition: not a JSON OpenAPI document: invalid character 'o' looking for beginning of value"}}},
	})
}
