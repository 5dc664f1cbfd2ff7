package policy_test

import (
	"encoding/json"
	"testing"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
)

// The fixtures build plans the way the offline engine records them: inputs under Pulumi
// property names, the ARNs and names the mocks answer. Every builder returns a compliant
// resource; tests change what they check.

const (
	keyArn     = "arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-000000000001"
	alarmTopic = "arn:aws:sns:eu-west-1:111111111111:acme-dev-platform-alarms"
	boundary   = "arn:aws:iam::111111111111:policy/acme-dev-boundary"
)

func urn(typ, name string) string { return "urn:pulumi:dev::orders::" + typ + "::" + name }

func physical(name string) string { return "acme-dev-orders-" + name }

func res(typ, name string, in, out map[string]any) plan.Resource {
	if out == nil {
		out = map[string]any{}
	}
	return plan.Resource{URN: urn(typ, name), Type: typ, Name: name, Custom: true, Inputs: in, Outputs: out,
		Dependencies: []string{}}
}

func defaultTags() map[string]any {
	return map[string]any{"org": "acme", "env": "dev", "context": "orders", "owner": "team-orders",
		"cost-centre": "cc-1234", "managed-by": "stratum"}
}

// doc renders a policy document from statements.
func doc(statements ...map[string]any) string {
	// Maps of strings and lists always marshal.
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	return string(b)
}

func denyInsecure(resource string, actions ...string) map[string]any {
	return map[string]any{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": map[string]any{"AWS": []any{"*"}},
		"Action": actions, "Resource": []any{resource},
		"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": []any{"false"}}}}
}

func allow(resource string, actions ...string) map[string]any {
	return map[string]any{"Effect": "Allow", "Action": actions, "Resource": []any{resource}}
}

func alarm(name string, dims map[string]any) plan.Resource {
	return res("aws:cloudwatch/metricAlarm:MetricAlarm", name, map[string]any{
		"alarmActions": []any{alarmTopic}, "okActions": []any{alarmTopic}, "dimensions": dims,
		"name": physical(name), "tags": defaultTags(),
	}, nil)
}

func queueArn(name string) string { return "arn:aws:sqs:eu-west-1:111111111111:" + physical(name) }
func queueURL(name string) string {
	return "https://sqs.eu-west-1.amazonaws.com/111111111111/" + physical(name)
}

// bareQueue is an encrypted queue with its TLS-only policy and an alarm, without redrive.
func bareQueue(name string) []plan.Resource {
	q := res("aws:sqs/queue:Queue", name, map[string]any{
		"kmsMasterKeyId": keyArn, "name": physical(name), "tags": defaultTags(),
	}, map[string]any{"arn": queueArn(name), "name": physical(name), "url": queueURL(name)})
	pol := res("aws:sqs/queuePolicy:QueuePolicy", name+"-policy", map[string]any{
		"queueUrl": queueURL(name),
		"policy":   doc(denyInsecure(queueArn(name), "sqs:ReceiveMessage", "sqs:SendMessage")),
	}, nil)
	return []plan.Resource{q, pol, alarm(name+"-alarm", map[string]any{"QueueName": physical(name)})}
}

// queue is a queue with its dead-letter queue.
func queue(name string) []plan.Resource {
	out := bareQueue(name)
	out[0].Inputs["redrivePolicy"] = `{"deadLetterTargetArn":"` + queueArn(name+"-dlq") + `","maxReceiveCount":5}`
	return append(out, bareQueue(name+"-dlq")...)
}

func functionArn(name string) string {
	return "arn:aws:lambda:eu-west-1:111111111111:function:" + physical(name)
}

func roleArn(name string) string { return "arn:aws:iam::111111111111:role/" + physical(name) }

// function is a function with its role, role policy, log group, failure queue and alarm.
func function(name string) []plan.Resource {
	fn := res("aws:lambda/function:Function", name, map[string]any{
		"architectures": []any{"arm64"}, "name": physical(name), "role": roleArn(name),
		"environment": map[string]any{"variables": map[string]any{"STRATUM_FUNCTION": name}},
		"kmsKeyArn":   keyArn, "tags": defaultTags(),
	}, map[string]any{"arn": functionArn(name), "name": physical(name)})
	role := res("aws:iam/role:Role", name+"-role", map[string]any{
		"assumeRolePolicy": doc(map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRole"},
			"Principal": map[string]any{"Service": []any{"lambda.amazonaws.com"}}}),
		"name": physical(name), "permissionsBoundary": boundary, "tags": defaultTags(),
	}, map[string]any{"arn": roleArn(name), "name": physical(name)})
	logs := "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/" + physical(name)
	policy := res("aws:iam/rolePolicy:RolePolicy", name+"-policy", map[string]any{
		"role": physical(name),
		"policy": doc(allow(logs+":*", "logs:CreateLogStream", "logs:PutLogEvents"),
			allow("*", "xray:PutTelemetryRecords", "xray:PutTraceSegments"),
			allow(queueArn(name+"-failed"), "sqs:SendMessage")),
	}, nil)
	group := res("aws:cloudwatch/logGroup:LogGroup", name+"-logs", map[string]any{
		"kmsKeyId": keyArn, "name": "/aws/lambda/" + physical(name), "retentionInDays": 30, "tags": defaultTags(),
	}, nil)
	async := res("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", name+"-async", map[string]any{
		"functionName": physical(name), "qualifier": "live",
		"destinationConfig": map[string]any{"onFailure": map[string]any{"destination": queueArn(name + "-failed")}},
	}, nil)
	out := []plan.Resource{fn, role, policy, group, async,
		alarm(name+"-alarm-errors", map[string]any{"FunctionName": physical(name)})}
	return append(out, bareQueue(name+"-failed")...)
}

func topicArn(name string) string { return "arn:aws:sns:eu-west-1:111111111111:" + physical(name) }

func topic(name string) []plan.Resource {
	t := res("aws:sns/topic:Topic", name, map[string]any{
		"kmsMasterKeyId": keyArn, "name": physical(name), "tags": defaultTags(),
	}, map[string]any{"arn": topicArn(name), "name": physical(name)})
	pol := res("aws:sns/topicPolicy:TopicPolicy", name+"-policy", map[string]any{
		"arn": topicArn(name), "policy": doc(denyInsecure(topicArn(name), "sns:Publish", "sns:Subscribe")),
	}, nil)
	return []plan.Resource{t, pol}
}

// subscription subscribes a function to a topic with a dead-letter queue.
func subscription(name, topicName, fn string) []plan.Resource {
	sub := res("aws:sns/topicSubscription:TopicSubscription", name, map[string]any{
		"endpoint": functionArn(fn) + ":live", "protocol": "lambda", "topic": topicArn(topicName),
		"redrivePolicy": `{"deadLetterTargetArn":"` + queueArn(name+"-dlq") + `"}`,
	}, nil)
	return append([]plan.Resource{sub}, bareQueue(name+"-dlq")...)
}

func table(name string) []plan.Resource {
	t := res("aws:dynamodb/table:Table", name, map[string]any{
		"name": physical(name), "pointInTimeRecovery": map[string]any{"enabled": true},
		"serverSideEncryption": map[string]any{"enabled": true, "kmsKeyArn": keyArn}, "tags": defaultTags(),
	}, map[string]any{"arn": "arn:aws:dynamodb:eu-west-1:111111111111:table/" + physical(name), "name": physical(name)})
	return []plan.Resource{t, alarm(name+"-alarm-throttles", map[string]any{"TableName": physical(name)})}
}

func api(name, id string) []plan.Resource {
	a := res("aws:apigatewayv2/api:Api", name, map[string]any{
		"name": physical(name), "protocolType": "HTTP", "tags": defaultTags(),
		"body":           definition(map[string]any{"jwt": []any{"orders:read"}}, "https://login.acme.example/dev"),
		"failOnWarnings": true,
	}, map[string]any{"arn": "arn:aws:apigateway:eu-west-1::/apis/" + id,
		"executionArn": "arn:aws:execute-api:eu-west-1:111111111111:" + id})
	route := res("aws:apigatewayv2/route:Route", name+"-route-get-orders", map[string]any{
		"apiId": id, "authorizationType": "JWT", "authorizerId": "jwt", "routeKey": "GET /orders",
	}, nil)
	return []plan.Resource{a, route, alarm(name+"-alarm-5xx", map[string]any{"ApiId": id, "Stage": "$default"})}
}

// definition renders an API definition with one route, GET /orders, whose operation has the
// given security requirement (nil for none), and a JWT authorizer of issuer.
func definition(security map[string]any, issuer string) string {
	op := map[string]any{"operationId": "listOrders",
		"x-amazon-apigateway-integration": map[string]any{"type": "aws_proxy", "payloadFormatVersion": "2.0",
			"uri": "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/" + functionArn("api") + ":live/invocations"}}
	if security != nil {
		op["security"] = []any{security}
	}
	b, _ := json.Marshal(map[string]any{"openapi": "3.0.1", "paths": map[string]any{"/orders": map[string]any{"get": op}},
		"components": map[string]any{"securitySchemes": map[string]any{"jwt": map[string]any{"type": "oauth2",
			"x-amazon-apigateway-authorizer": map[string]any{"type": "jwt", "identitySource": "$request.header.Authorization",
				"jwtConfiguration": map[string]any{"issuer": issuer, "audience": []any{"api://orders"}}}}}}})
	return string(b)
}

func schedule(name, fn string) []plan.Resource {
	s := res("aws:scheduler/schedule:Schedule", name, map[string]any{
		"name": physical(name), "scheduleExpression": "rate(1 hour)",
		"target": map[string]any{"arn": functionArn(fn) + ":live", "roleArn": roleArn(name),
			"deadLetterConfig": map[string]any{"arn": queueArn(name + "-dlq")}},
	}, nil)
	return append([]plan.Resource{s}, bareQueue(name+"-dlq")...)
}

// newPlan is a dev plan of project orders holding rs.
func newPlan(rs ...[]plan.Resource) *plan.Plan {
	p := &plan.Plan{Version: plan.Version, Project: "orders", Stack: "dev", Outputs: map[string]any{},
		Findings: []plan.Finding{}}
	for _, r := range rs {
		p.Resources = append(p.Resources, r...)
	}
	return p
}

// compliantPlan has one of everything the rules look at, all compliant.
func compliantPlan() *plan.Plan {
	return newPlan(function("api"), function("worker"), queue("jobs"), topic("events"),
		subscription("notify-events", "events", "worker"), table("orders"), api("public", "a1b2c3d4e5"),
		schedule("nightly", "worker"))
}

// check runs the rule with the given ID over a plan of rs.
func check(t *testing.T, id string, rs ...[]plan.Resource) []policy.Violation {
	t.Helper()
	return checkPlan(t, id, newPlan(rs...))
}

func checkPlan(t *testing.T, id string, p *plan.Plan) []policy.Violation {
	t.Helper()
	for _, r := range policy.Builtin() {
		if r.ID == id {
			return r.Check(p)
		}
	}
	t.Fatalf("no rule %q", id)
	return nil
}

// one returns a single resource as a list, for check.
func one(r plan.Resource) []plan.Resource { return []plan.Resource{r} }

// with returns a copy of r with the inputs changed: a nil value deletes the input.
func with(r plan.Resource, inputs map[string]any) plan.Resource {
	in := make(map[string]any, len(r.Inputs))
	for k, v := range r.Inputs {
		in[k] = v
	}
	for k, v := range inputs {
		if v == nil {
			delete(in, k)
		} else {
			in[k] = v
		}
	}
	r.Inputs = in
	return r
}
