package service_test

import (
	"encoding/json"
	"maps"
	"os"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/httpapi"
	"github.com/stratum-platform/stratum/components/queue"
	"github.com/stratum-platform/stratum/components/service"
	"github.com/stratum-platform/stratum/components/table"
	"github.com/stratum-platform/stratum/components/topic"
	"github.com/stratum-platform/stratum/platform/apidef"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
)

const (
	platformStack = "organization/platform/dev"
	alarmTopic    = "arn:aws:sns:eu-west-1:111111111111:acme-dev-platform-alarms"
	boundary      = "arn:aws:iam::111111111111:policy/acme-dev-boundary"
)

var refs = map[string]map[string]any{platformStack: {
	"alarmTopicArn":          alarmTopic,
	"jwtIssuer":              "https://login.acme.example/dev",
	"jwtAudiences":           []any{"api://stratum-dev"},
	"permissionsBoundaryArn": boundary,
	"deployRoleArn":          "arn:aws:iam::111111111111:role/acme-dev-platform-ci-deploy",
	"apiDomainName":          "",
	// The platform's release function, which every function's release invocation calls.
	"releaseFunctionArn": "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-platform-release:live",
	"logDestinationArn":  "arn:aws:logs:eu-west-1:111111111111:destination:acme-dev-platform-logs",
}}

func args() *service.Args {
	return &service.Args{
		Naming:        naming.Scope{Org: "acme", Env: "dev", Context: "orders"},
		Tags:          map[string]string{"org": "acme", "env": "dev", "context": "orders"},
		PlatformStack: platformStack,
		Protect:       true,
	}
}

// orders is a small context as a product team writes it.
func orders(ctx *pulumi.Context) error {
	svc, err := service.New(ctx, "orders", args())
	if err != nil {
		return err
	}
	items, err := svc.Table("items", table.Args{HashKey: table.Key{Name: "id", Type: table.String}})
	if err != nil {
		return err
	}
	events, err := svc.Topic("events", topic.Args{})
	if err != nil {
		return err
	}
	place, err := svc.Function("place", function.Args{
		Archive: "testdata/bootstrap.zip",
		Timeout: 5 * time.Second,
		Grants:  append(items.AllowWrite(), events.AllowPublish()...),
	})
	if err != nil {
		return err
	}
	jobs, err := svc.Queue("jobs", queue.Args{Publishers: []queue.Publisher{events.QueuePublisher()}})
	if err != nil {
		return err
	}
	if _, err := svc.Subscribe("jobs-events", events, topic.QueueSubscriptionArgs{Queue: jobs}); err != nil {
		return err
	}
	if _, err := svc.Consumer("jobs-place", jobs, queue.ConsumerArgs{Function: place}); err != nil {
		return err
	}
	spec, err := os.ReadFile("testdata/orders.yaml")
	if err != nil {
		return err
	}
	if _, err := svc.API("api", httpapi.Args{Spec: spec, Operations: map[string]*function.Function{"place": place}}); err != nil {
		return err
	}
	return svc.Finish()
}

func TestService(t *testing.T) {
	p := plantest.RunWithReferences(t, refs, orders)

	svc, err := p.Get(service.TypeToken, "orders")
	require.NoError(t, err)
	for _, typ := range []string{"stratum:key:Key", "stratum:table:Table", "stratum:topic:Topic",
		"stratum:function:Function", "stratum:httpapi:API", "stratum:queue:Consumer",
		"stratum:topic:QueueSubscription", "aws:cloudwatch/dashboard:Dashboard", "pulumi:pulumi:StackReference"} {
		found := p.Find(typ, "")
		require.Len(t, found, 1, typ)
		assert.Equal(t, svc.URN, found[0].Parent, "%s is a member of the service", typ)
	}

	// jobs, and the failures queue that the first function created.
	queues := p.Find("stratum:queue:Queue", "")
	require.Len(t, queues, 2)
	failures, err := p.Get("aws:sqs/queue:Queue", "failures")
	require.NoError(t, err)
	assert.EqualValues(t, 14*24*3600, failures.Inputs["messageRetentionSeconds"], "nothing consumes it: keep as long as SQS can")
	invoke, err := p.Get("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "place-async")
	require.NoError(t, err)
	assert.Equal(t, failures.Outputs["arn"],
		invoke.Inputs["destinationConfig"].(map[string]any)["onFailure"].(map[string]any)["destination"])

	key, err := p.Get("aws:kms/key:Key", "key")
	require.NoError(t, err)
	assert.True(t, key.Protect)
	doc, err := iam.Parse(key.String("policy"))
	require.NoError(t, err)
	var services []string
	for _, st := range doc.Statement {
		services = append(services, st.Principal["Service"]...)
	}
	assert.ElementsMatch(t, []string{"logs.eu-west-1.amazonaws.com", "sns.amazonaws.com"}, services)
	alias, err := p.Get("aws:kms/alias:Alias", "key-alias")
	require.NoError(t, err)
	assert.Equal(t, "alias/acme-dev-orders-key", alias.Inputs["name"])

	// Every member is encrypted with the context's key and alarms go to the platform topic.
	keyArn := key.Outputs["arn"]
	tbl, err := p.Get("aws:dynamodb/table:Table", "items")
	require.NoError(t, err)
	assert.Equal(t, keyArn, tbl.Inputs["serverSideEncryption"].(map[string]any)["kmsKeyArn"])
	assert.Equal(t, true, tbl.Inputs["deletionProtectionEnabled"])
	for _, a := range p.Find("aws:cloudwatch/metricAlarm:MetricAlarm", "") {
		assert.Equal(t, []any{alarmTopic}, a.Inputs["alarmActions"], a.Name)
	}

	// Every role a member creates carries the platform's permissions boundary.
	roles := p.Find("aws:iam/role:Role", "")
	require.NotEmpty(t, roles)
	for _, r := range roles {
		assert.Equal(t, boundary, r.Inputs["permissionsBoundary"], r.Name)
	}

	// The API trusts the platform's issuer, and the platform has no domain to map it onto.
	api, err := p.Get("aws:apigatewayv2/api:Api", "api")
	require.NoError(t, err)
	d, err := apidef.Parse(api.String("body"))
	require.NoError(t, err)
	assert.Equal(t, "https://login.acme.example/dev", d.Authorizers["jwt"].Issuer)
	assert.Equal(t, []string{"api://stratum-dev"}, d.Authorizers["jwt"].Audiences)
	assert.Empty(t, p.Find("aws:apigatewayv2/apiMapping:ApiMapping", ""))

	dash, err := p.Get("aws:cloudwatch/dashboard:Dashboard", "orders-dashboard")
	require.NoError(t, err)
	assert.Equal(t, "acme-dev-orders", dash.Inputs["dashboardName"])
	var body struct {
		Widgets []struct {
			Properties struct {
				Title   string  `json:"title"`
				Metrics [][]any `json:"metrics"`
			} `json:"properties"`
		} `json:"widgets"`
	}
	require.NoError(t, json.Unmarshal([]byte(dash.String("dashboardBody")), &body))
	var titles []string
	for _, w := range body.Widgets {
		titles = append(titles, w.Properties.Title)
	}
	assert.Equal(t, []string{"Table items", "Queue failures", "Function place", "Queue jobs", "API api"}, titles)
	assert.Equal(t, []any{"AWS/DynamoDB", "ConsumedReadCapacityUnits", "TableName", "acme-dev-orders-items",
		map[string]any{"stat": "Sum"}}, body.Widgets[0].Properties.Metrics[0])
}

func TestAPIOnThePlatformDomain(t *testing.T) {
	withDomain := map[string]map[string]any{platformStack: maps.Clone(refs[platformStack])}
	withDomain[platformStack]["apiDomainName"] = "api.dev.acme.example"
	p := plantest.RunWithReferences(t, withDomain, orders)
	mapping, err := p.Get("aws:apigatewayv2/apiMapping:ApiMapping", "api-mapping")
	require.NoError(t, err)
	assert.Equal(t, "api.dev.acme.example", mapping.Inputs["domainName"])
	assert.Equal(t, "orders/v1", mapping.Inputs["apiMappingKey"], "the context and the spec's major version")
}

func TestServiceGolden(t *testing.T) {
	plantest.Golden(t, "testdata/service.plan.json", plantest.RunWithReferences(t, refs, orders))
}

func TestValidation(t *testing.T) {
	_, err := plan.Run(plan.Options{Project: "p", Stack: "dev"}, func(ctx *pulumi.Context) error {
		_, err := service.New(ctx, "orders", &service.Args{Naming: naming.Scope{Org: "acme", Env: "dev", Context: "Orders"},
			LogRetentionDays: 2})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `service "orders": Naming: naming: context "Orders"`)
	assert.Contains(t, err.Error(), "PlatformStack: is required")
	assert.Contains(t, err.Error(), "LogRetentionDays: 2 is not one of CloudWatch's retention values")
}

func TestFinishTwice(t *testing.T) {
	_, err := plan.Run(plan.Options{Project: "p", Stack: "dev", Reference: func(string) (map[string]any, error) {
		return refs[platformStack], nil
	}}, func(ctx *pulumi.Context) error {
		svc, err := service.New(ctx, "orders", args())
		if err != nil {
			return err
		}
		if err := svc.Finish(); err != nil {
			return err
		}
		return svc.Finish()
	})
	assert.ErrorContains(t, err, `service "orders": Finish called twice`)
}

// Only the alarm topic is missing: with several missing outputs, which one the plan reports
// first depends on which input is awaited first.
func TestMissingPlatformOutputFailsThePlan(t *testing.T) {
	_, err := plan.Run(plan.Options{Project: "p", Stack: "dev", Reference: func(string) (map[string]any, error) {
		outputs := maps.Clone(refs[platformStack])
		delete(outputs, "alarmTopicArn")
		return outputs, nil
	}}, orders)
	assert.ErrorContains(t, err, `stack organization/platform/dev does not export "alarmTopicArn"`)
}
