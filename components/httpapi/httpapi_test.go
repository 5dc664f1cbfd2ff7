package httpapi_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigatewayv2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/httpapi"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/platform/apidef"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/platform/stackref"
)

const (
	apiType         = "aws:apigatewayv2/api:Api"
	stageType       = "aws:apigatewayv2/stage:Stage"
	integrationType = "aws:apigatewayv2/integration:Integration"
	filterType      = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
	routeType       = "aws:apigatewayv2/route:Route"
	permissionType  = "aws:lambda/permission:Permission"
	logGroupType    = "aws:cloudwatch/logGroup:LogGroup"
	alarmType       = "aws:cloudwatch/metricAlarm:MetricAlarm"
	domainType      = "aws:apigatewayv2/domainName:DomainName"
	mappingType     = "aws:apigatewayv2/apiMapping:ApiMapping"
	componentURN    = "urn:pulumi:dev::test::stratum:httpapi:API::public"
	issuer          = "https://id.example.com/"
	accountsAlias   = "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-orders-accounts:live"
	logGroupName    = "/aws/apigateway/acme-dev-orders-public/access"
)

var scopeTags = map[string]any{"org": "acme", "env": "dev", "context": "orders", "managed-by": "stratum"}

func jwt() *httpapi.JWT {
	return &httpapi.JWT{Issuer: pulumi.String(issuer), Audiences: pulumi.ToStringArray([]string{"orders-api"})}
}

// run creates the functions "accounts" and "health" and the API "public" whose args build
// returns, and exports the API's outputs.
func run(t *testing.T, build func(accounts, health *function.Function) httpapi.Args) *plan.Plan {
	t.Helper()
	return plantest.Run(t, func(ctx *pulumi.Context) error {
		return program(ctx, build)
	})
}

func program(ctx *pulumi.Context, build func(accounts, health *function.Function) httpapi.Args) error {
	s := scopetest.New()
	accounts, err := newFunction(ctx, s, "accounts")
	if err != nil {
		return err
	}
	health, err := newFunction(ctx, s, "health")
	if err != nil {
		return err
	}
	args := build(accounts, health)
	if args.Scope.KeyArn == nil {
		args.Scope = s
	}
	api, err := httpapi.New(ctx, "public", &args)
	if err != nil {
		return err
	}
	stackref.Export(ctx, "url", api.URL)
	stackref.Export(ctx, "invokeUrl", api.InvokeURL)
	stackref.Export(ctx, "apiId", api.APIID)
	stackref.Export(ctx, "executionArn", api.ExecutionArn)
	return nil
}

func newFunction(ctx *pulumi.Context, s scope.Scope, name string) (*function.Function, error) {
	return function.New(ctx, name, &function.Args{Scope: s, Archive: "testdata/bootstrap.zip"})
}

func get(t *testing.T, p *plan.Plan, typ, name string) plan.Resource {
	t.Helper()
	r, err := p.Get(typ, name)
	require.NoError(t, err)
	return r
}

func names(rs []plan.Resource) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.Type+" "+r.Name)
	}
	slices.Sort(out)
	return out
}

// bind binds the test spec's operations: the reads and writes to accounts, the health check
// to health.
func bind(accounts, health *function.Function) map[string]*function.Function {
	return map[string]*function.Function{"getAccount": accounts, "register": accounts, "health": health}
}

// defaults are the args of an API of the test spec with the authorizer.
func defaults(t *testing.T, accounts, health *function.Function) httpapi.Args {
	return httpapi.Args{Spec: spec(t), Operations: bind(accounts, health), Authorizer: jwt()}
}

// definition parses the body the API was created from.
func definition(t *testing.T, p *plan.Plan) *apidef.Definition {
	t.Helper()
	d, err := apidef.Parse(get(t, p, apiType, "public").Inputs["body"].(string))
	require.NoError(t, err)
	return d
}

// TestAccessLogSubscription: with the platform's log destination in the scope, the access
// log group sends every event to it.
func TestAccessLogSubscription(t *testing.T) {
	const destination = "arn:aws:logs:eu-west-1:111111111111:destination:acme-dev-platform-logs"
	p := run(t, func(accounts, health *function.Function) httpapi.Args {
		a := defaults(t, accounts, health)
		a.Scope = scopetest.New()
		a.Scope.LogDestinationArn = pulumi.String(destination)
		return a
	})
	f := get(t, p, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", "public-access-logs-subscription")
	assert.Equal(t, map[string]any{"name": "platform-logs", "logGroup": logGroupName, "filterPattern": "",
		"destinationArn": destination}, f.Inputs)
	assert.Equal(t, componentURN, f.Parent)
}

func TestDefaults(t *testing.T) {
	p := run(t, func(accounts, health *function.Function) httpapi.Args { return defaults(t, accounts, health) })

	want := []string{
		apiType + " public",
		stageType + " public-stage",
		logGroupType + " public-access-logs",
		filterType + " public-callers",
		permissionType + " public-getAccount-permission",
		permissionType + " public-health-permission",
		permissionType + " public-register-permission",
		alarmType + " public-alarm-5xx",
		alarmType + " public-alarm-latency",
	}
	slices.Sort(want)
	assert.Equal(t, want, names(p.Children(componentURN)))
	assert.Empty(t, p.Find(routeType, ""), "the body defines the routes")
	assert.Empty(t, p.Find(integrationType, ""), "the body defines the integrations")

	api := get(t, p, apiType, "public")
	body := api.Inputs["body"].(string)
	delete(api.Inputs, "body")
	assert.Equal(t, map[string]any{
		"name":                      "acme-dev-orders-public",
		"protocolType":              "HTTP",
		"failOnWarnings":            true,
		"disableExecuteApiEndpoint": false,
		"tags":                      scopeTags,
	}, api.Inputs)
	assert.Contains(t, api.Dependencies, "urn:pulumi:dev::test::stratum:function:Function$aws:lambda/alias:Alias::accounts-alias",
		"the definition names the aliases, which must exist first")
	apiID := api.Outputs["executionArn"].(string)[len("arn:aws:execute-api:eu-west-1:111111111111:"):]

	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &doc), "the body is JSON")
	assert.Equal(t, map[string]any{"title": "acme-dev-orders-public", "version": "2.1.0"}, doc["info"])
	assert.Equal(t, map[string]any{
		"operationId": "getAccount",
		"security":    []any{map[string]any{"jwt": []any{"accounts:admin", "accounts:read"}}},
		"responses":   map[string]any{"default": map[string]any{"description": "The function's response."}},
		"x-amazon-apigateway-integration": map[string]any{
			"type": "aws_proxy", "httpMethod": "POST", "payloadFormatVersion": "2.0",
			"uri": "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/" + accountsAlias + "/invocations",
		},
	}, doc["paths"].(map[string]any)["/accounts/{id}"].(map[string]any)["get"])
	assert.Equal(t, map[string]any{"jwt": map[string]any{
		"type": "oauth2", "flows": map[string]any{},
		"x-amazon-apigateway-authorizer": map[string]any{
			"type": "jwt", "identitySource": "$request.header.Authorization",
			"jwtConfiguration": map[string]any{"issuer": issuer, "audience": []any{"orders-api"}},
		},
	}}, doc["components"].(map[string]any)["securitySchemes"])

	logs := get(t, p, logGroupType, "public-access-logs")
	assert.Equal(t, map[string]any{
		"name": logGroupName, "retentionInDays": 30.0, "kmsKeyId": scopetest.KeyArn, "tags": scopeTags,
	}, logs.Inputs)
	assert.True(t, logs.DeleteBeforeReplace)

	assert.Equal(t, map[string]any{
		"logGroupName": logGroupName,
		"name":         "requests-by-caller",
		"pattern":      "{ $.requestId = * }",
		"metricTransformation": map[string]any{
			"namespace": "Stratum/HttpApi", "name": "Requests", "value": "1", "unit": "Count",
			"dimensions": map[string]any{"ApiId": "$.apiId", "Caller": "$.clientId"},
		},
	}, get(t, p, filterType, "public-callers").Inputs)

	stage := get(t, p, stageType, "public-stage")
	settings := stage.Inputs["accessLogSettings"].(map[string]any)
	assert.Equal(t, "arn:aws:logs:eu-west-1:111111111111:log-group:"+logGroupName, settings["destinationArn"])
	var format map[string]string
	require.NoError(t, json.Unmarshal([]byte(settings["format"].(string)), &format), "the access log is JSON")
	assert.Equal(t, map[string]string{
		"requestId":          "$context.requestId",
		"apiId":              "$context.apiId",
		"ip":                 "$context.identity.sourceIp",
		"requestTime":        "$context.requestTime",
		"httpMethod":         "$context.httpMethod",
		"routeKey":           "$context.routeKey",
		"status":             "$context.status",
		"protocol":           "$context.protocol",
		"responseLength":     "$context.responseLength",
		"responseLatency":    "$context.responseLatency",
		"integrationLatency": "$context.integrationLatency",
		"integrationError":   "$context.integrationErrorMessage",
		"authorizerError":    "$context.authorizer.error",
		"sub":                "$context.authorizer.claims.sub",
		"clientId":           "$context.authorizer.claims.client_id",
	}, format)
	delete(stage.Inputs, "accessLogSettings")
	assert.Equal(t, map[string]any{
		"apiId":                apiID,
		"name":                 "$default",
		"autoDeploy":           true,
		"defaultRouteSettings": map[string]any{"throttlingBurstLimit": 100.0, "throttlingRateLimit": 50.0},
		"tags":                 scopeTags,
	}, stage.Inputs)

	execArn := "arn:aws:execute-api:eu-west-1:111111111111:" + apiID
	assert.Equal(t, map[string]any{
		"url":          "https://" + apiID + ".execute-api.eu-west-1.amazonaws.com/",
		"invokeUrl":    "https://" + apiID + ".execute-api.eu-west-1.amazonaws.com/",
		"apiId":        apiID,
		"executionArn": execArn,
	}, p.Outputs)
}

func TestRoutesAndPermissions(t *testing.T) {
	p := run(t, func(accounts, health *function.Function) httpapi.Args { return defaults(t, accounts, health) })
	execArn := get(t, p, apiType, "public").Outputs["executionArn"].(string)
	d := definition(t, p)

	tests := []struct {
		id, key, fn, sourceArn, auth string
		scopes                       []string
	}{
		{"getAccount", "GET /accounts/{id}", "accounts", execArn + "/*/GET/accounts/*", "JWT", []string{"accounts:admin", "accounts:read"}},
		{"register", "POST /accounts", "accounts", execArn + "/*/POST/accounts", "JWT", []string{"accounts:write"}},
		{"health", "GET /health", "health", execArn + "/*/GET/health", "NONE", nil},
	}
	require.Len(t, d.Routes, len(tests))
	require.Len(t, p.Find(permissionType, ""), len(tests))
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			i := slices.IndexFunc(d.Routes, func(r apidef.Route) bool { return r.Key == tt.key })
			require.GreaterOrEqual(t, i, 0)
			r := d.Routes[i]
			assert.Equal(t, tt.id, r.OperationID)
			assert.Equal(t, tt.auth, d.AuthorizationType(r))
			assert.Equal(t, tt.scopes, r.Scopes)
			assert.Equal(t, "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-orders-"+
				tt.fn+":live/invocations", r.Integration.URI)

			perm := get(t, p, permissionType, "public-"+tt.id+"-permission")
			assert.Equal(t, componentURN, perm.Parent)
			assert.Equal(t, map[string]any{
				"action":    "lambda:InvokeFunction",
				"principal": "apigateway.amazonaws.com",
				"function":  "acme-dev-orders-" + tt.fn,
				"qualifier": "live",
				"sourceArn": tt.sourceArn,
			}, perm.Inputs)
			assert.Contains(t, perm.Dependencies,
				"urn:pulumi:dev::test::stratum:function:Function$aws:lambda/alias:Alias::"+tt.fn+"-alias",
				"the permission names the alias, which must exist first")
		})
	}
}

func TestOnlyPublicOperationsNeedNoAuthorizer(t *testing.T) {
	p := run(t, func(_, health *function.Function) httpapi.Args {
		return httpapi.Args{
			Spec: []byte(`openapi: 3.0.3
info: {title: Health, version: 1.0.0}
paths: {/health: {get: {operationId: health, responses: {'200': {description: Healthy.}}}}}
`),
			Operations: map[string]*function.Function{"health": health},
		}
	})
	d := definition(t, p)
	assert.Empty(t, d.Authorizers)
	require.Len(t, d.Routes, 1)
	assert.Equal(t, "NONE", d.AuthorizationType(d.Routes[0]))
}

func TestAlarms(t *testing.T) {
	p := run(t, func(accounts, health *function.Function) httpapi.Args {
		a := defaults(t, accounts, health)
		a.LatencyThreshold = 1500 * time.Millisecond
		return a
	})
	apiID := get(t, p, stageType, "public-stage").Inputs["apiId"]
	dims := map[string]any{"ApiId": apiID, "Stage": "$default"}

	errors5xx := get(t, p, alarmType, "public-alarm-5xx")
	assert.Equal(t, componentURN, errors5xx.Parent)
	assert.Equal(t, "AWS/ApiGateway", errors5xx.Inputs["namespace"])
	assert.Equal(t, "5xx", errors5xx.Inputs["metricName"], "HTTP APIs publish 5xx, not 5XXError")
	assert.Equal(t, dims, errors5xx.Inputs["dimensions"])
	assert.Equal(t, "Sum", errors5xx.Inputs["statistic"])
	assert.Equal(t, 300.0, errors5xx.Inputs["period"])
	assert.Equal(t, 5.0, errors5xx.Inputs["threshold"])
	assert.Equal(t, "GreaterThanOrEqualToThreshold", errors5xx.Inputs["comparisonOperator"])
	assert.Equal(t, []any{scopetest.AlarmTopicArn}, errors5xx.Inputs["alarmActions"])

	latency := get(t, p, alarmType, "public-alarm-latency")
	assert.Equal(t, componentURN, latency.Parent)
	assert.Equal(t, "Latency", latency.Inputs["metricName"])
	assert.Equal(t, dims, latency.Inputs["dimensions"])
	assert.Equal(t, "p99", latency.Inputs["extendedStatistic"])
	assert.NotContains(t, latency.Inputs, "statistic")
	assert.Equal(t, 1500.0, latency.Inputs["threshold"], "milliseconds")
	assert.Equal(t, "GreaterThanThreshold", latency.Inputs["comparisonOperator"])
	assert.Equal(t, 2.0, latency.Inputs["evaluationPeriods"])
	assert.Equal(t, []any{scopetest.AlarmTopicArn}, latency.Inputs["alarmActions"])
}

func TestThrottleAndCORS(t *testing.T) {
	p := run(t, func(accounts, health *function.Function) httpapi.Args {
		a := defaults(t, accounts, health)
		a.Throttle = httpapi.Throttle{Burst: 20, Rate: 2.5}
		a.RouteThrottles = map[string]httpapi.Throttle{"register": {Burst: 5, Rate: 1}, "getAccount": {Rate: 10}}
		a.CORS = &httpapi.CORS{
			AllowOrigins:     []string{"https://app.example.com", "http://localhost:3000"},
			AllowCredentials: true,
			MaxAge:           time.Hour,
		}
		return a
	})
	stage := get(t, p, stageType, "public-stage").Inputs
	assert.Equal(t, map[string]any{"throttlingBurstLimit": 20.0, "throttlingRateLimit": 2.5}, stage["defaultRouteSettings"])
	assert.Equal(t, []any{
		map[string]any{"routeKey": "POST /accounts", "throttlingBurstLimit": 5.0, "throttlingRateLimit": 1.0},
		map[string]any{"routeKey": "GET /accounts/{id}", "throttlingBurstLimit": 20.0, "throttlingRateLimit": 10.0},
	}, stage["routeSettings"], "a route's own limit; what it leaves out is the stage's")
	assert.Equal(t, map[string]any{
		"allowOrigins":     []any{"https://app.example.com", "http://localhost:3000"},
		"allowMethods":     []any{"GET", "POST"},
		"allowHeaders":     []any{"Authorization", "Content-Type"},
		"allowCredentials": true,
		"maxAge":           3600.0,
	}, get(t, p, apiType, "public").Inputs["corsConfiguration"])
}

func TestDomain(t *testing.T) {
	p := run(t, func(accounts, health *function.Function) httpapi.Args {
		a := defaults(t, accounts, health)
		a.Domain = &httpapi.Domain{Name: "api.example.com"}
		return a
	})
	assert.Equal(t, false, get(t, p, apiType, "public").Inputs["disableExecuteApiEndpoint"],
		"the execute-api URL stays, for the smoke checks of a deploy")
	mapping := get(t, p, mappingType, "public-mapping")
	assert.Equal(t, componentURN, mapping.Parent)
	assert.True(t, mapping.DeleteBeforeReplace)
	assert.Equal(t, map[string]any{
		"apiId":         get(t, p, stageType, "public-stage").Inputs["apiId"],
		"domainName":    "api.example.com",
		"stage":         "$default",
		"apiMappingKey": "orders/v2",
	}, mapping.Inputs, "the path is the context and the spec's major version")
	assert.Equal(t, "https://api.example.com/orders/v2", p.Outputs["url"])
	assert.Empty(t, p.Find(domainType, ""), "the platform owns the domain")

	p = run(t, func(accounts, health *function.Function) httpapi.Args {
		a := defaults(t, accounts, health)
		a.Domain = &httpapi.Domain{Name: "api.example.com", Path: "legacy/orders"}
		return a
	})
	assert.Equal(t, "legacy/orders", get(t, p, mappingType, "public-mapping").Inputs["apiMappingKey"])
}

func TestOverrides(t *testing.T) {
	ran := map[string]bool{}
	p := run(t, func(accounts, health *function.Function) httpapi.Args {
		a := defaults(t, accounts, health)
		a.Domain = &httpapi.Domain{Name: "api.example.com"}
		a.Overrides = httpapi.Overrides{
			API: func(a *apigatewayv2.ApiArgs) {
				ran["api"] = true
				a.Description = pulumi.String("Accounts API")
				a.Name = pulumi.String("renamed")
				a.Body = pulumi.String("{}")
				a.FailOnWarnings = pulumi.Bool(false)
				a.Target = pulumi.String("arn:aws:lambda:eu-west-1:111111111111:function:other")
				a.DisableExecuteApiEndpoint = pulumi.Bool(true)
			},
			Stage: func(a *apigatewayv2.StageArgs) {
				ran["stage"] = true
				a.AutoDeploy = pulumi.Bool(false)
				a.AccessLogSettings = nil
				a.DefaultRouteSettings = &apigatewayv2.StageDefaultRouteSettingsArgs{
					DetailedMetricsEnabled: pulumi.Bool(true),
					ThrottlingBurstLimit:   pulumi.Int(100000),
				}
			},
			LogGroup: func(a *cloudwatch.LogGroupArgs) {
				ran["logs"] = true
				a.RetentionInDays = pulumi.Int(1)
				a.KmsKeyId = nil
				a.LogGroupClass = pulumi.String("STANDARD")
			},
			Mapping: func(a *apigatewayv2.ApiMappingArgs) {
				ran["mapping"] = true
				a.ApiMappingKey = pulumi.String("elsewhere")
			},
		}
		return a
	})
	assert.Equal(t, map[string]bool{"api": true, "stage": true, "logs": true, "mapping": true}, ran)

	api := get(t, p, apiType, "public").Inputs
	assert.Equal(t, "Accounts API", api["description"], "kept")
	assert.Equal(t, "acme-dev-orders-public", api["name"])
	assert.NotContains(t, api, "target", "quick create would add an unauthorized default route")
	assert.Equal(t, true, api["failOnWarnings"])
	assert.Contains(t, api["body"], `"operationId":"getAccount"`)
	assert.Equal(t, false, api["disableExecuteApiEndpoint"])

	stage := get(t, p, stageType, "public-stage").Inputs
	assert.Equal(t, true, stage["autoDeploy"])
	assert.Contains(t, stage, "accessLogSettings")
	assert.Equal(t, map[string]any{"detailedMetricsEnabled": true, "throttlingBurstLimit": 100.0, "throttlingRateLimit": 50.0},
		stage["defaultRouteSettings"], "detailed metrics kept, throttling owned")

	logs := get(t, p, logGroupType, "public-access-logs").Inputs
	assert.Equal(t, "STANDARD", logs["logGroupClass"], "kept")
	assert.Equal(t, 30.0, logs["retentionInDays"])
	assert.Equal(t, scopetest.KeyArn, logs["kmsKeyId"])

	assert.Equal(t, "orders/v2", get(t, p, mappingType, "public-mapping").Inputs["apiMappingKey"])
}

func TestNewRefusesInvalidArgs(t *testing.T) {
	err := plantest.RunErr(func(ctx *pulumi.Context) error {
		_, err := httpapi.New(ctx, "public", &httpapi.Args{Scope: scopetest.New()})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `httpapi "public": Spec: is required`)

	err = plantest.RunErr(func(ctx *pulumi.Context) error {
		_, err := httpapi.New(ctx, "public", nil)
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `httpapi "public": Scope.Naming:`)
}

func TestGolden(t *testing.T) {
	p := run(t, func(accounts, health *function.Function) httpapi.Args {
		a := defaults(t, accounts, health)
		a.CORS = &httpapi.CORS{AllowOrigins: []string{"https://app.example.com"}}
		a.RouteThrottles = map[string]httpapi.Throttle{"register": {Burst: 10, Rate: 5}}
		a.Domain = &httpapi.Domain{Name: "api.example.com"}
		return a
	})
	plantest.Golden(t, "testdata/httpapi.plan.json", withoutFunctions(p))
}

// withoutFunctions drops the functions' own resources, which the function component's
// golden plan covers, so that this one changes only with the API.
func withoutFunctions(p *plan.Plan) *plan.Plan {
	q := *p
	q.Resources = nil
	for _, r := range p.Resources {
		if !strings.Contains(r.URN, "::stratum:function:Function") {
			q.Resources = append(q.Resources, r)
		}
	}
	return &q
}
