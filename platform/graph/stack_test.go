package graph

import (
	"slices"
	"strings"
	"testing"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/tokens"
)

// ordersPlan has one of every member kind and every kind of edge, with a function and a
// topic of another stack ("billing") that it reaches through a stack reference.
func ordersPlan(t *testing.T) *plan.Plan {
	f := newFixture(t, "orders")
	charge := "arn:aws:lambda:eu-west-1:222222222222:function:acme-dev-billing-charge:live"
	billingEvents := "arn:aws:sns:eu-west-1:222222222222:acme-dev-billing-events"
	f.reference("billing", map[string]any{"apiUrl": "https://billing.example", "chargeFunctionArn": charge,
		"eventsTopicArn": billingEvents})
	key := f.add(tokens.Key, "key", f.service, false, nil, nil)
	keyArn := f.arn("kms", "key/1")
	f.add("aws:kms/key:Key", "key", key, true, nil, map[string]any{"arn": keyArn})

	place := f.function("place")
	worker := f.function("worker")
	items := f.table("items")
	events := f.topic("events")
	jobs := f.queue("jobs")
	failed := f.queue("failed")

	// One route finds its integration through its dependencies, the other through its target;
	// one integration URI is the alias ARN, the other API Gateway's invocation URI.
	api := f.add(tokens.HTTPAPI, "api", f.service, false, nil, nil)
	f.add("aws:apigatewayv2/api:Api", "api", api, true, nil, map[string]any{"arn": "arn:aws:apigateway:eu-west-1::/apis/abc"})
	post := f.add(typeIntegration, "api-route-post-orders-integration", api, true,
		map[string]any{"integrationUri": place}, map[string]any{"arn": f.arn("apigatewayv2", "post-1a")})
	f.add(typeRoute, "api-route-post-orders", api, true,
		map[string]any{"routeKey": "POST /orders", "target": "integrations/post-1a"}, map[string]any{}, post)
	f.add(typeIntegration, "api-route-get-order-integration", api, true,
		map[string]any{"integrationUri": "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/" + worker + "/invocations"},
		map[string]any{"arn": f.arn("apigatewayv2", "get-2b")})
	f.add(typeRoute, "api-route-get-order", api, true,
		map[string]any{"routeKey": "GET /orders/{id}", "target": "integrations/get-2b"}, map[string]any{})

	f.policy("place", "policy",
		allow([]string{"logs:CreateLogStream", "logs:PutLogEvents"}, f.arn("logs", "log-group:/aws/lambda/x:*")),
		allow([]string{"xray:PutTraceSegments"}, "*"),
		allow([]string{"dynamodb:ConditionCheckItem", "dynamodb:GetItem", "dynamodb:PutItem"}, items),
		allow([]string{"dynamodb:Query"}, items+"/index/*"),
		allow([]string{"sns:Publish"}, events),
		allow([]string{"kms:Decrypt", "kms:GenerateDataKey"}, keyArn),
		allow([]string{"lambda:InvokeFunction"}, charge),
		map[string]any{"Effect": "Deny", "Action": "sqs:SendMessage", "Resource": jobs},
	)
	f.policy("worker", "policy",
		allow([]string{"dynamodb:Query"}, items),
		allow([]string{"sqs:SendMessage"}, failed),
	)
	f.policy("worker", "jobs-worker-consume", allow([]string{"sqs:DeleteMessage", "sqs:ReceiveMessage"}, jobs))
	f.add(typeRolePolicy, "worker-unknown", f.urn(tokens.Function, "worker"), true,
		map[string]any{"policy": plan.Unknown}, map[string]any{})
	f.add(typeInvokeConfig, "worker-async", f.urn(tokens.Function, "worker"), true,
		map[string]any{"destinationConfig": map[string]any{"onFailure": map[string]any{"destination": failed}}},
		map[string]any{})

	f.consume("jobs-worker", jobs, f.physical("worker"))
	f.subscribe("jobs-events", events, jobs, "OrderPlaced", "OrderCancelled")
	f.subscribe("jobs-billing", billingEvents, jobs)

	schedule := f.add(tokens.Schedule, "nightly", f.service, false, nil, nil)
	f.add(typeSchedule, "nightly", schedule, true,
		map[string]any{"scheduleExpression": "cron(0 3 * * ? *)", "target": map[string]any{"arn": worker}},
		map[string]any{"arn": f.arn("scheduler", "schedule/default/"+f.physical("nightly"))})
	f.add("aws:sqs/queue:Queue", "nightly-dlq", schedule, true, nil, map[string]any{"arn": f.arn("sqs", f.physical("nightly-dlq"))})
	f.add(typeRolePolicy, "nightly-policy", schedule, true, map[string]any{"policy": `{"Version":"2012-10-17",` +
		`"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"` + worker + `"}]}`}, map[string]any{})
	return f.p
}

func TestStack(t *testing.T) {
	want := `flowchart LR
  subgraph api_api["api (HTTP API)"]
    route_api_GET_orders_id["GET /orders/{id}"]
    route_api_POST_orders["POST /orders"]
  end
  fn_place("place")
  fn_worker("worker")
  queue_failed[/"failed"/]
  queue_jobs[/"jobs"/]
  schedule_nightly(["nightly<br/>cron(0 3 * * ? *)"])
  table_items[("items")]
  topic_events>"events"]
  ext_billing_chargeFunctionArn("billing: chargeFunctionArn")
  ext_billing_eventsTopicArn>"billing: eventsTopicArn"]
  ext_billing_eventsTopicArn --> queue_jobs
  fn_place -->|"invoke"| ext_billing_chargeFunctionArn
  fn_place -->|"publish"| topic_events
  fn_place -->|"read/write"| table_items
  fn_worker -->|"read"| table_items
  fn_worker -.->|"on failure"| queue_failed
  queue_jobs -->|"triggers"| fn_worker
  route_api_GET_orders_id --> fn_worker
  route_api_POST_orders --> fn_place
  schedule_nightly -->|"triggers"| fn_worker
  topic_events -->|"OrderCancelled, OrderPlaced"| queue_jobs
  classDef external fill:#ffffff,stroke:#718096,stroke-dasharray:5 5
  classDef function fill:#fff4e5,stroke:#d9822b
  classDef queue fill:#f3e8fd,stroke:#805ad5
  classDef route fill:#f7fafc,stroke:#4a5568
  classDef schedule fill:#fdf2f8,stroke:#b83280
  classDef table fill:#e8f1fb,stroke:#2b6cb0
  classDef topic fill:#e6f7ef,stroke:#2f855a
  class ext_billing_chargeFunctionArn,ext_billing_eventsTopicArn external
  class fn_place,fn_worker function
  class queue_failed,queue_jobs queue
  class route_api_GET_orders_id,route_api_POST_orders route
  class schedule_nightly schedule
  class table_items table
  class topic_events topic
`
	diff(t, Stack(ordersPlan(t)), want)
}

func TestStackSyntax(t *testing.T) {
	checkSyntax(t, Stack(ordersPlan(t)))
	got, err := Platform(contextPlans(t))
	if err != nil {
		t.Fatal(err)
	}
	checkSyntax(t, got)
}

// TestStackRawMembers draws AWS resources that no component holds (as the platform project
// has them), an API without routes, and a function subscription, whose dead-letter queue is
// a detail of the subscription rather than a member.
func TestStackRawMembers(t *testing.T) {
	f := newFixture(t, "platform")
	alarms := f.arn("sns", f.physical("alarms"))
	f.add("aws:sns/topic:Topic", "alarms", "", true, nil, map[string]any{"arn": alarms})
	f.add("aws:sns/topicPolicy:TopicPolicy", "alarms-policy", "", true, nil, map[string]any{})
	f.add("aws:sns/topicSubscription:TopicSubscription", "alarms-email", "", true,
		map[string]any{"protocol": "email", "topic": alarms, "endpoint": "ops@example.com"}, map[string]any{})
	api := f.add(tokens.HTTPAPI, "end", f.service, false, nil, nil)
	f.add("aws:apigatewayv2/api:Api", "end", api, true, nil, map[string]any{})
	notify := f.function("notify")
	sub := f.add(tokens.FunctionSubscription, "notify-alarms", f.service, false, nil, nil)
	f.add("aws:sqs/queue:Queue", "notify-alarms-dlq", sub, true, nil, map[string]any{"arn": f.arn("sqs", "notify-alarms-dlq")})
	f.add(typeSubscription, "notify-alarms", sub, true,
		map[string]any{"protocol": "lambda", "topic": alarms, "endpoint": notify}, map[string]any{})
	f.policy("notify", "policy", allow([]string{"sqs:SendMessage"}, f.arn("sqs", "notify-alarms-dlq")))

	want := `flowchart LR
  api_end{{"end"}}
  fn_notify("notify")
  topic_alarms>"alarms"]
  topic_alarms --> fn_notify
  classDef api fill:#f7fafc,stroke:#4a5568
  classDef function fill:#fff4e5,stroke:#d9822b
  classDef topic fill:#e6f7ef,stroke:#2f855a
  class api_end api
  class fn_notify function
  class topic_alarms topic
`
	got := Stack(f.p)
	diff(t, got, want)
	checkSyntax(t, got)
}

func TestStackEmpty(t *testing.T) {
	if got := Stack(&plan.Plan{}); got != "flowchart LR\n" {
		t.Errorf("Stack(empty) = %q", got)
	}
}

// TestDeterministic draws the same diagrams whatever the order of resources and plans.
func TestDeterministic(t *testing.T) {
	p := ordersPlan(t)
	want := Stack(p)
	slices.Reverse(p.Resources)
	if got := Stack(p); got != want {
		t.Errorf("Stack() depends on the order of resources:\n%s\nwant:\n%s", got, want)
	}
	plans := contextPlans(t)
	want, err := Platform(plans)
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(plans)
	for _, p := range plans {
		slices.Reverse(p.Resources)
	}
	if got, _ := Platform(plans); got != want {
		t.Errorf("Platform() depends on the order of plans:\n%s\nwant:\n%s", got, want)
	}
}

// TestStackDrawsTheRoutesOfADefinition draws the routes of an API created from a definition,
// which has no Route resources, with edges to the functions their integrations invoke.
func TestStackDrawsTheRoutesOfADefinition(t *testing.T) {
	f := newFixture(t, "orders")
	place := f.function("place")
	api := f.add(tokens.HTTPAPI, "api", f.service, false, nil, nil)
	body := `{"openapi":"3.0.1","paths":{"/orders":{"post":{"operationId":"placeOrder",` +
		`"x-amazon-apigateway-integration":{"type":"aws_proxy","payloadFormatVersion":"2.0",` +
		`"uri":"arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/` + place + `/invocations"}},` +
		`"get":{"operationId":"listOrders"}}}}`
	f.add("aws:apigatewayv2/api:Api", "api", api, true, map[string]any{"body": body},
		map[string]any{"arn": "arn:aws:apigateway:eu-west-1::/apis/abc"})
	got := Stack(f.p)
	for _, want := range []string{
		`route_api_GET_orders["GET /orders"]`,
		`route_api_POST_orders["POST /orders"]`,
		`route_api_POST_orders --> fn_place`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the graph lacks %s:\n%s", want, got)
		}
	}
}
