package accounts_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/platform/apidef"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/platform/tablelock"
	"github.com/stratum-platform/stratum/stacks/accounts"
	"github.com/stratum-platform/stratum/stacks/accounts/contract"
)

func TestGolden(t *testing.T) {
	var plans []*plan.Plan
	for _, env := range []string{"dev", "prod"} {
		p := plantest.ProjectPlan(t, ".", env, accounts.Program)
		plans = append(plans, p)
		t.Run(env, func(t *testing.T) {
			plantest.Golden(t, "testdata/"+env+".plan.json", p)
		})
	}
	plantest.TableLock(t, ".", plans...)
}

// TestFunctionPermissions pins each function's role to exactly what its handler calls (see
// handlers/<name>), besides what every function has: its own logs, traces and its
// environment's key.
func TestFunctionPermissions(t *testing.T) {
	p := plantest.ProjectPlan(t, ".", "dev", accounts.Program)
	const (
		prefix = "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-accounts-"
		table  = prefix + "accounts"
		claims = prefix + "claims"
		stream = table + "/stream/2026-01-01T00:00:00.000"
		topic  = "arn:aws:sns:eu-west-1:111111111111:acme-dev-accounts-events"
	)
	key := plantest.ARN(t, p, "aws:kms/key:Key", "key")
	failures := plantest.ARN(t, p, "aws:sqs/queue:Queue", "failures")
	decrypt := map[string][]string{"kms:Decrypt": {key}}
	writeKey := map[string][]string{"kms:Decrypt": {key}, "kms:Encrypt": {key}, "kms:GenerateDataKey": {key}}
	// Publishing to the encrypted topic needs a data key of the topic's key.
	publish := map[string][]string{"sns:Publish": {topic}, "kms:Decrypt": {key}, "kms:GenerateDataKey": {key}}
	// What the stream's event source mapping needs, and delivering what it gives up on.
	consumeStream := map[string][]string{
		"dynamodb:DescribeStream": {stream}, "dynamodb:GetRecords": {stream}, "dynamodb:GetShardIterator": {stream},
		"dynamodb:ListStreams": {table + "/stream/*"}, "kms:Decrypt": {key},
		"sqs:SendMessage": {failures}, "kms:GenerateDataKey": {key},
	}
	for name, want := range map[string]map[string][]string{
		"register": function.Union(map[string][]string{"dynamodb:GetItem": {table}, "dynamodb:PutItem": {table}}, writeKey),
		"remove": function.Union(map[string][]string{"dynamodb:GetItem": {table}, "dynamodb:DeleteItem": {claims, table}},
			writeKey),
		"get":        function.Union(map[string][]string{"dynamodb:GetItem": {table}}, decrypt),
		"list":       function.Union(map[string][]string{"dynamodb:Query": {table}}, decrypt),
		"connection": function.Union(map[string][]string{"dynamodb:GetItem": {claims, table}}, decrypt),
		"claim": function.Union(map[string][]string{"dynamodb:UpdateItem": {table}, "dynamodb:PutItem": {claims},
			"dynamodb:GetItem": {claims}}, writeKey),
		"relay": function.Union(publish, consumeStream),
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

// TestOutbox checks that the accounts table's stream feeds the relay, from the oldest
// record, retrying a failed one until it expires, and that nothing else publishes.
func TestOutbox(t *testing.T) {
	p := plantest.ProjectPlan(t, ".", "dev", accounts.Program)
	tbl, err := p.Get("aws:dynamodb/table:Table", "accounts")
	require.NoError(t, err)
	assert.Equal(t, true, tbl.Inputs["streamEnabled"])
	assert.Equal(t, "NEW_AND_OLD_IMAGES", tbl.Inputs["streamViewType"])
	m, err := p.Get("aws:lambda/eventSourceMapping:EventSourceMapping", "accounts-relay")
	require.NoError(t, err)
	assert.Equal(t, "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-accounts-accounts/stream/2026-01-01T00:00:00.000", m.Inputs["eventSourceArn"])
	assert.Equal(t, "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-accounts-relay:live", m.Inputs["functionName"])
	assert.Equal(t, "TRIM_HORIZON", m.Inputs["startingPosition"])
	assert.EqualValues(t, -1, m.Inputs["maximumRetryAttempts"])
	for _, name := range []string{"register", "get", "list", "remove", "connection", "claim"} {
		perms, err := function.Permissions(p, name)
		require.NoError(t, err)
		assert.NotContains(t, perms, "sns:Publish", "%s publishes; only the relay may", name)
	}
}

// TestReaderRoleIsPerEnvironment checks that registrations name the environment's reader role.
func TestReaderRoleIsPerEnvironment(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		fn, err := plantest.ProjectPlan(t, ".", env, accounts.Program).Get("aws:lambda/function:Function", "register")
		require.NoError(t, err)
		vars := fn.Inputs["environment"].(map[string]any)["variables"].(map[string]any)
		assert.Equal(t, "stratum-"+env+"-inventory-reader", vars["READER_ROLE_NAME"])
	}
}

func TestOutputs(t *testing.T) {
	p := plantest.ProjectPlan(t, ".", "dev", accounts.Program)
	assert.Equal(t, "arn:aws:sns:eu-west-1:111111111111:acme-dev-accounts-events", p.Outputs[contract.EventsTopicArn.Name()])
	assert.Equal(t, "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-accounts-connection:live",
		p.Outputs[contract.ConnectionFunctionArn.Name()])
	assert.Equal(t, "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-accounts-claim:live",
		p.Outputs[contract.ClaimFunctionArn.Name()])
	assert.Contains(t, p.Outputs, contract.APIURL.Name())
}

func TestRoutesAreAuthorized(t *testing.T) {
	p := plantest.ProjectPlan(t, ".", "dev", accounts.Program)
	assert.Empty(t, p.Find("aws:apigatewayv2/route:Route", ""), "the routes are the definition's")
	a, err := p.Get("aws:apigatewayv2/api:Api", "api")
	require.NoError(t, err)
	d, err := apidef.Parse(a.String("body"))
	require.NoError(t, err)
	require.Len(t, d.Routes, 4)
	scopes := map[string][]string{}
	for _, r := range d.Routes {
		assert.Equal(t, "JWT", d.AuthorizationType(r), r.Key)
		scopes[r.Key] = r.Scopes
	}
	assert.Equal(t, map[string][]string{
		"POST /accounts": {"accounts:write"}, "GET /accounts": {"accounts:read"},
		"GET /accounts/{accountId}": {"accounts:read"}, "DELETE /accounts/{accountId}": {"accounts:write"},
	}, scopes)
}

// TestTableLockRefusesAKeyChange: swapping the accounts table's keys, a change AWS makes only
// by replacing the table, is refused by the context's committed lock in every environment,
// protected or not, before any engine runs.
func TestTableLockRefusesAKeyChange(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		shared := plantest.ProjectPlan(t, ".", env, accounts.Program)
		require.NoError(t, tablelock.CheckProject(".", shared), "the committed lock accepts the program as it is")
		p := *shared // the shared plan must not change
		p.Resources = slices.Clone(shared.Resources)
		for i, r := range p.Resources {
			if r.Type == "aws:dynamodb/table:Table" && r.Name == "accounts" {
				in := maps.Clone(r.Inputs)
				in["hashKey"], in["rangeKey"] = in["rangeKey"], in["hashKey"]
				p.Resources[i].Inputs = in
			}
		}
		err := tablelock.CheckProject(".", &p)
		require.Error(t, err, env)
		assert.Contains(t, err.Error(), `table "accounts" in `+env+` (generation 1, acme-`+env+`-accounts-accounts): changing the hash key and the range key replaces the table`)
		assert.Contains(t, err.Error(), "(key: hash tenantId (S), range accountId (S) -> hash accountId (S), range tenantId (S)); declare table.Migration{From: 1, Strategy: table.Replicate}")
	}
}
