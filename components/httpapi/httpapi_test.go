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
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/platform/stackref"
)

const (
	apiType         = "aws:apigatewayv2/api:Api"
	stageType       = "aws:apigatewayv2/stage:Stage"
	authorizerType  = "aws:apigatewayv2/authorizer:Authorizer"
	integrationType = "aws:apigatewayv2/integration:Integration"
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

// TestAccessLogSubscription: with the platform's log destination in the scope, the access
// log group sends every event to it.
func TestAccessLogSubscription(t *testing.T) {
	const destination = "arn:aws:logs:eu-west-1:111111111111:destination:acme-dev-platform-logs"
	p := run(t, func(accounts, _ *function.Function) httpapi.Args {
		sc := scopetest.New()
		sc.LogDestinationArn = pulumi.String(destination)
		return httpapi.Args{Scope: sc, Authorizer: jwt(),
			Routes: []httpapi.Route{{Key: "GET /accounts/{id}", Function: accounts}}}
	})
	f := get(t, p, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", "public-access-logs-subscription")
	assert.Equal(t, map[string]any{"name": "platform-logs", "logGroup": logGroupName, "filterPattern": "",
		"destinationArn": destination}, f.Inputs)
	assert.Equal(t, componentURN, f.Parent)
}

func TestDefaults(t *testing.T) {
	p := run(t, func(accounts, _ *function.Function) httpapi.Args {
		return httpapi.Args{
			Authorizer: jwt(),
			Routes:     []httpapi.Route{{Key: "GET /accounts/{id}", Function: accounts}},
		}
	})

	want := []string{
		apiType + " public",
		stageType + " public-stage",
		logGroupType + " public-access-logs",
		authorizerType + " public-authorizer",
		integrationType + " public-route-get-accounts-id-integration",
		routeType + " public-route-get-accounts-id",
		permissionType + " public-route-get-accounts-id-permission",
		alarmType + " public-alarm-5xx",
		alarmType + " public-alarm-latency",
	}
	slices.Sort(want)
	assert.Equal(t, want, names(p.Children(componentURN)))

	api := get(t, p, apiType, "public")
	assert.Equal(t, map[string]any{
		"name":                      "acme-dev-orders-public",
		"protocolType":              "HTTP",
		"disableExecuteApiEndpoint": false,
		"tags":                      scopeTags,
	}, api.Inputs)
	apiID := api.Outputs["executionArn"].(string)[len("arn:aws:execute-api:eu-west-1:111111111111:"):]

	logs := get(t, p, logGroupType, "public-access-logs")
	assert.Equal(t, map[string]any{
		"name": logGroupName, "retentionInDays": 30.0, "kmsKeyId": scopetest.KeyArn, "tags": scopeTags,
	}, logs.Inputs)
	assert.True(t, logs.DeleteBeforeReplace)

	stage := get(t, p, stageType, "public-stage")
	settings := stage.Inputs["accessLogSettings"].(map[string]any)
	assert.Equal(t, "arn:aws:logs:eu-west-1:111111111111:log-group:"+logGroupName, settings["destinationArn"])
	var format map[string]string
	require.NoError(t, json.Unmarshal([]byte(settings["format"].(string)), &format), "the access log is JSON")
	assert.Equal(t, map[string]string{
		"requestId":          "$context.requestId",
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
	}, format)
	delete(stage.Inputs, "accessLogSettings")
	assert.Equal(t, map[string]any{
		"apiId":                apiID,
		"name":                 "$default",
		"autoDeploy":           true,
		"defaultRouteSettings": map[string]any{"throttlingBurstLimit": 100.0, "throttlingRateLimit": 50.0},
		"tags":                 scopeTags,
	}, stage.Inputs)

	assert.Equal(t, map[string]any{
		"apiId":           apiID,
		"name":            "jwt",
		"authorizerType":  "JWT",
		"identitySources": []any{"$request.header.Authorization"},
		"jwtConfiguration": map[string]any{
			"issuer": issuer, "audiences": []any{"orders-api"},
		},
	}, get(t, p, authorizerType, "public-authorizer").Inputs)

	assert.Equal(t, map[string]any{
		"apiId":                apiID,
		"integrationType":      "AWS_PROXY",
		"integrationMethod":    "POST",
		"integrationUri":       accountsAlias,
		"payloadFormatVersion": "2.0",
	}, get(t, p, integrationType, "public-route-get-accounts-id-integration").Inputs)

	execArn := "arn:aws:execute-api:eu-west-1:111111111111:" + apiID
	assert.Equal(t, map[string]any{
		"url":          "https://" + apiID + ".execute-api.eu-west-1.amazonaws.com/",
		"invokeUrl":    "https://" + apiID + ".execute-api.eu-west-1.amazonaws.com/",
		"apiId":        apiID,
		"executionArn": execArn,
	}, p.Outputs)
}

func TestRoutesAreAuthorizedUnlessPublic(t *testing.T) {
	p := run(t, func(accounts, health *function.Function) httpapi.Args {
		return httpapi.Args{
			Authorizer: jwt(),
			Routes: []httpapi.Route{
				{Key: "GET /accounts/{id}", Function: accounts, Scopes: []string{"accounts:read", "accounts:admin"}},
				{Key: "POST /accounts", Function: accounts},
				{Key: "ANY /accounts/{id}/files/{path+}", Function: accounts},
				{Key: "GET /", Function: health, Public: true},
				{Key: "GET /health", Function: health, Public: true},
			},
		}
	})
	api := get(t, p, apiType, "public")
	execArn := api.Outputs["executionArn"].(string)
	authorizerID := "jwt-" // the mocks' ids start with the physical name
	auth := get(t, p, authorizerType, "public-authorizer")

	tests := []struct {
		slug, key, fn, sourceArn string
		public                   bool
		scopes                   []any
	}{
		{"get-accounts-id", "GET /accounts/{id}", "accounts", execArn + "/*/GET/accounts/*", false,
			[]any{"accounts:read", "accounts:admin"}},
		{"post-accounts", "POST /accounts", "accounts", execArn + "/*/POST/accounts", false, nil},
		{"any-accounts-id-files-path", "ANY /accounts/{id}/files/{path+}", "accounts", execArn + "/*/*/accounts/*/files/*", false, nil},
		{"get-root", "GET /", "health", execArn + "/*/GET/", true, nil},
		{"get-health", "GET /health", "health", execArn + "/*/GET/health", true, nil},
	}
	require.Len(t, p.Find(routeType, ""), len(tests))
	require.Len(t, p.Find(integrationType, ""), len(tests))
	require.Len(t, p.Find(permissionType, ""), len(tests))
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			integration := get(t, p, integrationType, "public-route-"+tt.slug+"-integration")
			assert.Equal(t, "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-orders-"+tt.fn+":live",
				integration.Inputs["integrationUri"])

			route := get(t, p, routeType, "public-route-"+tt.slug)
			assert.Equal(t, componentURN, route.Parent)
			assert.Equal(t, tt.key, route.Inputs["routeKey"])
			assert.Contains(t, route.Dependencies, integration.URN)
			assert.Regexp(t, `^integrations/public-route-`+tt.slug+`-integration-[0-9a-f]{8}$`, route.Inputs["target"])
			if tt.public {
				assert.Equal(t, "NONE", route.Inputs["authorizationType"])
				assert.NotContains(t, route.Inputs, "authorizerId")
			} else {
				assert.Equal(t, "JWT", route.Inputs["authorizationType"])
				assert.Contains(t, route.Inputs["authorizerId"], authorizerID)
				assert.Contains(t, route.Dependencies, auth.URN)
			}
			if tt.scopes == nil {
				assert.NotContains(t, route.Inputs, "authorizationScopes")
			} else {
				assert.Equal(t, tt.scopes, route.Inputs["authorizationScopes"])
			}

			perm := get(t, p, permissionType, "public-route-"+tt.slug+"-permission")
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

func TestEveryRoutePublicNeedsNoAuthorizer(t *testing.T) {
	p := run(t, func(_, health *function.Function) httpapi.Args {
		return httpapi.Args{Routes: []httpapi.Route{{Key: "GET /health", Function: health, Public: true}}}
	})
	assert.Empty(t, p.Find(authorizerType, ""))
	assert.Equal(t, "NONE", get(t, p, routeType, "public-route-get-health").Inputs["authorizationType"])
}

func TestSimilarRoutesGetDistinctNames(t *testing.T) {
	p := run(t, func(accounts, _ *function.Function) httpapi.Args {
		return httpapi.Args{Authorizer: jwt(), Routes: []httpapi.Route{
			{Key: "GET /a/{id}", Function: accounts},
			{Key: "GET /a/id", Function: accounts},
		}}
	})
	assert.Equal(t, []string{routeType + " public-route-get-a-id", routeType + " public-route-get-a-id-efe9cea7"}, // sha256("GET /a/id")
		names(p.Find(routeType, "")))
}

func TestAlarms(t *testing.T) {
	p := run(t, func(accounts, _ *function.Function) httpapi.Args {
		return httpapi.Args{
			Authorizer:       jwt(),
			Routes:           []httpapi.Route{{Key: "GET /accounts", Function: accounts}},
			LatencyThreshold: 1500 * time.Millisecond,
		}
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
	p := run(t, func(accounts, _ *function.Function) httpapi.Args {
		return httpapi.Args{
			Authorizer: jwt(),
			Routes: []httpapi.Route{
				{Key: "PUT /accounts/{id}", Function: accounts},
				{Key: "GET /accounts/{id}", Function: accounts},
				{Key: "GET /accounts", Function: accounts},
			},
			Throttle: httpapi.Throttle{Burst: 20, Rate: 2.5},
			CORS: &httpapi.CORS{
				AllowOrigins:     []string{"https://app.example.com", "http://localhost:3000"},
				AllowCredentials: true,
				MaxAge:           time.Hour,
			},
		}
	})
	assert.Equal(t, map[string]any{"throttlingBurstLimit": 20.0, "throttlingRateLimit": 2.5},
		get(t, p, stageType, "public-stage").Inputs["defaultRouteSettings"])
	assert.Equal(t, map[string]any{
		"allowOrigins":     []any{"https://app.example.com", "http://localhost:3000"},
		"allowMethods":     []any{"GET", "PUT"},
		"allowHeaders":     []any{"Authorization", "Content-Type"},
		"allowCredentials": true,
		"maxAge":           3600.0,
	}, get(t, p, apiType, "public").Inputs["corsConfiguration"])
}

func TestDomain(t *testing.T) {
	p := run(t, func(accounts, _ *function.Function) httpapi.Args {
		return httpapi.Args{
			Authorizer: jwt(),
			Routes:     []httpapi.Route{{Key: "GET /accounts", Function: accounts}},
			Domain: &httpapi.Domain{
				Name:                      "api.orders.example.com",
				CertificateArn:            pulumi.String("arn:aws:acm:eu-west-1:111111111111:certificate/abc"),
				DisableExecuteAPIEndpoint: true,
			},
		}
	})
	api := get(t, p, apiType, "public")
	assert.Equal(t, true, api.Inputs["disableExecuteApiEndpoint"])

	domain := get(t, p, domainType, "public-domain")
	assert.Equal(t, componentURN, domain.Parent)
	assert.True(t, domain.DeleteBeforeReplace)
	assert.Equal(t, map[string]any{
		"domainName": "api.orders.example.com",
		"domainNameConfiguration": map[string]any{
			"certificateArn": "arn:aws:acm:eu-west-1:111111111111:certificate/abc",
			"endpointType":   "REGIONAL",
			"securityPolicy": "TLS_1_2",
		},
		"tags": scopeTags,
	}, domain.Inputs)

	mapping := get(t, p, mappingType, "public-domain-mapping")
	assert.Equal(t, componentURN, mapping.Parent)
	assert.Equal(t, map[string]any{
		"apiId": get(t, p, stageType, "public-stage").Inputs["apiId"], "domainName": "api.orders.example.com", "stage": "$default",
	}, mapping.Inputs)
	assert.Equal(t, "https://api.orders.example.com", p.Outputs["url"])
}

func TestDomainKeepsExecuteAPIEndpointByDefault(t *testing.T) {
	p := run(t, func(accounts, _ *function.Function) httpapi.Args {
		return httpapi.Args{
			Authorizer: jwt(),
			Routes:     []httpapi.Route{{Key: "GET /accounts", Function: accounts}},
			Domain: &httpapi.Domain{Name: "api.orders.example.com",
				CertificateArn: pulumi.String("arn:aws:acm:eu-west-1:111111111111:certificate/abc")},
		}
	})
	assert.Equal(t, false, get(t, p, apiType, "public").Inputs["disableExecuteApiEndpoint"])
}

func TestOverrides(t *testing.T) {
	ran := map[string]bool{}
	p := run(t, func(accounts, _ *function.Function) httpapi.Args {
		return httpapi.Args{
			Authorizer: jwt(),
			Routes:     []httpapi.Route{{Key: "GET /accounts", Function: accounts, Scopes: []string{"accounts:read"}}},
			Overrides: httpapi.Overrides{
				API: func(a *apigatewayv2.ApiArgs) {
					ran["api"] = true
					a.Description = pulumi.String("Accounts API")
					a.Name = pulumi.String("renamed")
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
				Authorizer: func(a *apigatewayv2.AuthorizerArgs) {
					ran["authorizer"] = true
					a.AuthorizerType = pulumi.String("REQUEST")
				},
				Integration: func(key string, a *apigatewayv2.IntegrationArgs) {
					ran["integration "+key] = true
					a.TimeoutMilliseconds = pulumi.Int(5000)
					a.IntegrationUri = pulumi.String("arn:aws:lambda:eu-west-1:111111111111:function:other")
					a.CredentialsArn = pulumi.String("arn:aws:iam::111111111111:role/broad")
				},
				Route: func(key string, a *apigatewayv2.RouteArgs) {
					ran["route "+key] = true
					a.OperationName = pulumi.String("listAccounts")
					a.AuthorizationType = pulumi.String("NONE")
					a.AuthorizationScopes = pulumi.ToStringArray([]string{"other"})
				},
			},
		}
	})
	assert.Equal(t, map[string]bool{"api": true, "stage": true, "logs": true, "authorizer": true,
		"integration GET /accounts": true, "route GET /accounts": true}, ran)

	api := get(t, p, apiType, "public").Inputs
	assert.Equal(t, "Accounts API", api["description"], "kept")
	assert.Equal(t, "acme-dev-orders-public", api["name"])
	assert.NotContains(t, api, "target", "quick create would add an unauthorized default route")
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

	assert.Equal(t, "JWT", get(t, p, authorizerType, "public-authorizer").Inputs["authorizerType"])

	integration := get(t, p, integrationType, "public-route-get-accounts-integration").Inputs
	assert.Equal(t, 5000.0, integration["timeoutMilliseconds"], "kept")
	assert.Equal(t, accountsAlias, integration["integrationUri"])
	assert.NotContains(t, integration, "credentialsArn")

	route := get(t, p, routeType, "public-route-get-accounts").Inputs
	assert.Equal(t, "listAccounts", route["operationName"], "kept")
	assert.Equal(t, "JWT", route["authorizationType"])
	assert.Equal(t, []any{"accounts:read"}, route["authorizationScopes"])
}

func TestNewRefusesInvalidArgs(t *testing.T) {
	err := plantest.RunErr(func(ctx *pulumi.Context) error {
		_, err := httpapi.New(ctx, "public", &httpapi.Args{Scope: scopetest.New()})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `httpapi "public": Routes: at least one route is required`)

	err = plantest.RunErr(func(ctx *pulumi.Context) error {
		_, err := httpapi.New(ctx, "public", nil)
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `httpapi "public": Scope.Naming:`)
}

func TestGolden(t *testing.T) {
	p := run(t, func(accounts, health *function.Function) httpapi.Args {
		return httpapi.Args{
			Authorizer: jwt(),
			Routes: []httpapi.Route{
				{Key: "GET /accounts/{id}", Function: accounts, Scopes: []string{"accounts:read"}},
				{Key: "POST /accounts", Function: accounts, Scopes: []string{"accounts:write"}},
				{Key: "GET /health", Function: health, Public: true},
			},
			CORS: &httpapi.CORS{AllowOrigins: []string{"https://app.example.com"}},
			Domain: &httpapi.Domain{Name: "api.orders.example.com",
				CertificateArn: pulumi.String("arn:aws:acm:eu-west-1:111111111111:certificate/abc")},
		}
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
