package httpapi

import (
	"encoding/json"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigatewayv2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/platform/naming"
)

// newLogGroup creates the access log group, encrypted with the scope's key and kept for the
// scope's retention.
func newLogGroup(ctx *pulumi.Context, name string, s settings, groupName string, parent pulumi.ResourceOption) (*cloudwatch.LogGroup, error) {
	args := override.Apply(&cloudwatch.LogGroupArgs{Tags: s.Scope.TagMap()}, s.Overrides.LogGroup, func(la *cloudwatch.LogGroupArgs) {
		la.Name = pulumi.String(groupName)
		la.NamePrefix = nil
		la.RetentionInDays = pulumi.Int(s.Scope.Retention())
		la.KmsKeyId = s.Scope.KeyArn
	})
	// The stage writes to the group by ARN, which is its name: see Scope.LogGroup for
	// replacement and retention.
	return cloudwatch.NewLogGroup(ctx, naming.Child(name, "access-logs"), args, append(s.Scope.LogGroup(), parent)...)
}

// newStage creates the `$default` stage: deployed on every change, logging every request,
// every route throttled, some (RouteThrottles) otherwise than the rest.
func newStage(ctx *pulumi.Context, name string, s settings, api *apigatewayv2.Api, logs *cloudwatch.LogGroup,
	parent pulumi.ResourceOption) (*apigatewayv2.Stage, error) {
	args := override.Apply(&apigatewayv2.StageArgs{Tags: s.Scope.TagMap()}, s.Overrides.Stage, func(sa *apigatewayv2.StageArgs) {
		sa.ApiId = api.ID()
		sa.Name = pulumi.String(StageName)
		sa.AutoDeploy = pulumi.Bool(true)
		sa.DeploymentId = nil
		sa.AccessLogSettings = &apigatewayv2.StageAccessLogSettingsArgs{
			DestinationArn: logs.Arn,
			Format:         pulumi.String(accessLogFormat()),
		}
		routeSettings := &apigatewayv2.StageDefaultRouteSettingsArgs{}
		if prev, ok := sa.DefaultRouteSettings.(*apigatewayv2.StageDefaultRouteSettingsArgs); ok && prev != nil {
			// Detailed (per-route) metrics cost extra; a hook may turn them on.
			routeSettings.DetailedMetricsEnabled = prev.DetailedMetricsEnabled
		}
		routeSettings.ThrottlingBurstLimit = pulumi.Int(s.Throttle.Burst)
		routeSettings.ThrottlingRateLimit = pulumi.Float64(s.Throttle.Rate)
		sa.DefaultRouteSettings = routeSettings
		sa.RouteSettings = routeThrottles(s)
	})
	return apigatewayv2.NewStage(ctx, naming.Child(name, "stage"), args, parent)
}

// routeThrottles are the stage's settings of the routes whose throttle is their own, by route
// key; nil when every route has the default.
func routeThrottles(s settings) apigatewayv2.StageRouteSettingArray {
	var out apigatewayv2.StageRouteSettingArray
	for _, op := range s.spec.Operations() {
		t, ok := s.RouteThrottles[op.ID]
		if !ok {
			continue
		}
		if t.Burst == 0 {
			t.Burst = s.Throttle.Burst
		}
		if t.Rate == 0 {
			t.Rate = s.Throttle.Rate
		}
		out = append(out, apigatewayv2.StageRouteSettingArgs{
			RouteKey:             pulumi.String(op.RouteKey()),
			ThrottlingBurstLimit: pulumi.Int(t.Burst),
			ThrottlingRateLimit:  pulumi.Float64(t.Rate),
		})
	}
	return out
}

// accessLogFormat is the access log line: one JSON object per request. API Gateway
// substitutes the $context variables; values are strings so that a missing one ("-")
// still gives valid JSON. apiId and clientId are the caller metric's dimensions.
func accessLogFormat() string {
	type line struct {
		RequestID          string `json:"requestId"`
		APIID              string `json:"apiId"`
		IP                 string `json:"ip"`
		RequestTime        string `json:"requestTime"`
		HTTPMethod         string `json:"httpMethod"`
		RouteKey           string `json:"routeKey"`
		Status             string `json:"status"`
		Protocol           string `json:"protocol"`
		ResponseLength     string `json:"responseLength"`
		ResponseLatency    string `json:"responseLatency"`
		IntegrationLatency string `json:"integrationLatency"`
		IntegrationError   string `json:"integrationError"`
		AuthorizerError    string `json:"authorizerError"`
		Sub                string `json:"sub"`
		ClientID           string `json:"clientId"`
	}
	b, _ := json.Marshal(line{ // a struct of strings always marshals
		RequestID:          "$context.requestId",
		APIID:              "$context.apiId",
		IP:                 "$context.identity.sourceIp",
		RequestTime:        "$context.requestTime",
		HTTPMethod:         "$context.httpMethod",
		RouteKey:           "$context.routeKey",
		Status:             "$context.status",
		Protocol:           "$context.protocol",
		ResponseLength:     "$context.responseLength",
		ResponseLatency:    "$context.responseLatency",
		IntegrationLatency: "$context.integrationLatency",
		IntegrationError:   "$context.integrationErrorMessage",
		AuthorizerError:    "$context.authorizer.error",
		Sub:                "$context.authorizer.claims.sub",
		// The OAuth client the token was issued to (RFC 9068): which application calls.
		ClientID: "$context.authorizer.claims.client_id",
	})
	return string(b)
}
