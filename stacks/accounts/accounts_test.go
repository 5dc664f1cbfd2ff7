package accounts_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/stacks/accounts"
	"github.com/stratum-platform/stratum/stacks/accounts/contract"
)

func TestGolden(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			plantest.Golden(t, "testdata/"+env+".plan.json", plantest.ProjectPlan(t, ".", env, accounts.Program))
		})
	}
}

// TestFunctionPermissions pins each function's role to exactly what its handler calls (see
// handlers/<name>), besides what every function has: its own logs, traces and its
// environment's key.
func TestFunctionPermissions(t *testing.T) {
	p := plantest.ProjectPlan(t, ".", "dev", accounts.Program)
	const (
		prefix = "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-accounts-accounts"
		topic  = "arn:aws:sns:eu-west-1:111111111111:acme-dev-accounts-events"
	)
	key := plantest.ARN(t, p, "aws:kms/key:Key", "key")
	failures := plantest.ARN(t, p, "aws:sqs/queue:Queue", "failures")
	index := prefix + "/index/byAccountId"
	decrypt := map[string][]string{"kms:Decrypt": {key}}
	writeKey := map[string][]string{"kms:Decrypt": {key}, "kms:Encrypt": {key}, "kms:GenerateDataKey": {key}}
	// Publishing to the encrypted topic needs a data key of the topic's key.
	publish := map[string][]string{"sns:Publish": {topic}, "kms:Decrypt": {key}, "kms:GenerateDataKey": {key}}
	for name, want := range map[string]map[string][]string{
		"register": function.Union(map[string][]string{"dynamodb:Query": {index}, "dynamodb:GetItem": {prefix},
			"dynamodb:PutItem": {prefix}}, writeKey, publish),
		"remove":     function.Union(map[string][]string{"dynamodb:DeleteItem": {prefix}}, writeKey, publish),
		"get":        function.Union(map[string][]string{"dynamodb:GetItem": {prefix}}, decrypt),
		"list":       function.Union(map[string][]string{"dynamodb:Query": {prefix}}, decrypt),
		"connection": function.Union(map[string][]string{"dynamodb:Query": {index}}, decrypt),
	} {
		t.Run(name, func(t *testing.T) {
			perms, err := function.Permissions(p, name)
			require.NoError(t, err)
			logGroup := "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/acme-dev-accounts-" + name + ":*"
			assert.Equal(t, function.Union(want, map[string][]string{
				"logs:CreateLogStream": {logGroup}, "logs:PutLogEvents": {logGroup},
				"xray:PutTelemetryRecords": {"*"}, "xray:PutTraceSegments": {"*"},
				// failed asynchronous invocations go to the context's failures queue
				"sqs:SendMessage": {failures}, "kms:GenerateDataKey": {key},
			}), perms)
		})
	}
}

func TestOutputs(t *testing.T) {
	p := plantest.ProjectPlan(t, ".", "dev", accounts.Program)
	assert.Equal(t, "arn:aws:sns:eu-west-1:111111111111:acme-dev-accounts-events", p.Outputs[contract.EventsTopicArn.Name()])
	assert.Equal(t, "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-accounts-connection:live",
		p.Outputs[contract.ConnectionFunctionArn.Name()])
	assert.Contains(t, p.Outputs, contract.APIURL.Name())
}

func TestRoutesAreAuthorized(t *testing.T) {
	p := plantest.ProjectPlan(t, ".", "dev", accounts.Program)
	routes := p.Find("aws:apigatewayv2/route:Route", "")
	require.Len(t, routes, 4)
	scopes := map[string]any{}
	for _, r := range routes {
		assert.Equal(t, "JWT", r.Inputs["authorizationType"], r.Inputs["routeKey"])
		scopes[r.String("routeKey")] = r.Inputs["authorizationScopes"]
	}
	assert.Equal(t, map[string]any{
		"POST /accounts": []any{"accounts:write"}, "GET /accounts": []any{"accounts:read"},
		"GET /accounts/{accountId}": []any{"accounts:read"}, "DELETE /accounts/{accountId}": []any{"accounts:write"},
	}, scopes)
}
