package function_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/platform/policy"
	"github.com/stratum-platform/stratum/platform/stackref"
)

const (
	archive   = "testdata/bootstrap.zip"
	account   = plan.DefaultAccount
	fnName    = "acme-dev-orders-api"
	fnArn     = "arn:aws:lambda:eu-west-1:111111111111:function:" + fnName
	aliasArn  = fnArn + ":live"
	logGroup  = "/aws/lambda/" + fnName
	groupArn  = "arn:aws:logs:eu-west-1:111111111111:log-group:" + logGroup
	queueArn  = "arn:aws:sqs:eu-west-1:111111111111:acme-dev-orders-failed"
	topicArn  = "arn:aws:sns:eu-west-1:111111111111:acme-dev-orders-failed"
	tableArn  = "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-orders-orders"
	component = "urn:pulumi:dev::test::stratum:function:Function::api"
)

// withDefaults fills what every test needs: the test scope and the prebuilt archive.
func withDefaults(args *function.Args) *function.Args {
	a := *args
	if a.Scope.KeyArn == nil {
		a.Scope = scopetest.New()
	}
	if a.Source == "" && a.Archive == "" {
		a.Archive = archive
	}
	return &a
}

// run creates function "api" offline and then runs then on it.
func run(t *testing.T, args *function.Args, then ...func(*pulumi.Context, *function.Function) error) *plan.Plan {
	t.Helper()
	return plantest.Run(t, program(args, then...))
}

func runErr(args *function.Args, then ...func(*pulumi.Context, *function.Function) error) error {
	return plantest.RunErr(program(args, then...))
}

func program(args *function.Args, then ...func(*pulumi.Context, *function.Function) error) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		f, err := function.New(ctx, "api", withDefaults(args))
		if err != nil {
			return err
		}
		for _, fn := range then {
			if err := fn(ctx, f); err != nil {
				return err
			}
		}
		return nil
	}
}

func get(t *testing.T, p *plan.Plan, typ, name string) plan.Resource {
	t.Helper()
	r, err := p.Get(typ, name)
	require.NoError(t, err)
	return r
}

func parse(t *testing.T, r plan.Resource, key string) iam.Parsed {
	t.Helper()
	doc, ok := r.Inputs[key].(string)
	require.True(t, ok, "%s of %s is %v", key, r.Name, r.Inputs[key])
	parsed, err := iam.Parse(doc)
	require.NoError(t, err)
	return parsed
}

// executionPolicy is the role policy of a function without destination or grants.
func executionPolicy(extra ...iam.ParsedStatement) iam.Parsed {
	return iam.Parsed{Version: iam.Version, Statement: append([]iam.ParsedStatement{
		{Sid: "WriteOwnLogs", Effect: "Allow", Action: []string{"logs:CreateLogStream", "logs:PutLogEvents"},
			Resource: []string{groupArn + ":*"}},
		{Sid: "SendTraces", Effect: "Allow", Action: []string{"xray:PutTelemetryRecords", "xray:PutTraceSegments"},
			Resource: []string{"*"}},
		{Sid: "DecryptEnvironment", Effect: "Allow", Action: []string{"kms:Decrypt"},
			Resource: []string{scopetest.KeyArn}, Condition: map[string]map[string][]string{"StringEquals": {"kms:ViaService": {"lambda.eu-west-1.amazonaws.com"}}}},
	}, extra...)}
}

func TestChildren(t *testing.T) {
	p := run(t, &function.Args{})
	comp := get(t, p, function.TypeToken, "api")
	assert.Equal(t, component, comp.URN)
	assert.Empty(t, comp.Parent)

	var got [][2]string
	for _, r := range p.Children(comp.URN) {
		got = append(got, [2]string{r.Type, r.Name})
	}
	want := [][2]string{
		{"aws:iam/role:Role", "api-role"},
		{"aws:cloudwatch/logGroup:LogGroup", "api-logs"},
		{"aws:iam/rolePolicy:RolePolicy", "api-policy"},
		{"aws:lambda/function:Function", "api"},
		{"aws:lambda/alias:Alias", "api-alias"},
		{"aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "api-async"},
		{"aws:cloudwatch/metricAlarm:MetricAlarm", "api-alarm-errors"},
		{"aws:cloudwatch/metricAlarm:MetricAlarm", "api-alarm-throttles"},
		{"aws:cloudwatch/metricAlarm:MetricAlarm", "api-alarm-duration"},
	}
	sortPairs(got)
	sortPairs(want)
	assert.Equal(t, want, got)
	assert.Len(t, p.Resources, len(want)+1, "every resource is the component or its child")
}

func sortPairs(p [][2]string) {
	slices.SortFunc(p, func(a, b [2]string) int {
		if c := cmpString(a[0], b[0]); c != 0 {
			return c
		}
		return cmpString(a[1], b[1])
	})
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestRole(t *testing.T) {
	p := run(t, &function.Args{})
	role := get(t, p, "aws:iam/role:Role", "api-role")
	assert.Equal(t, fnName, role.Inputs["name"])
	assert.NotContains(t, role.Inputs, "managedPolicyArns")
	assert.NotContains(t, role.Inputs, "inlinePolicies")
	assert.Equal(t, iam.Parsed{Version: iam.Version, Statement: []iam.ParsedStatement{{
		Effect:    "Allow",
		Principal: map[string][]string{"Service": {"lambda.amazonaws.com"}},
		Action:    []string{"sts:AssumeRole"},
		Condition: map[string]map[string][]string{"StringEquals": {"aws:SourceAccount": {account}}},
	}}}, parse(t, role, "assumeRolePolicy"))

	policy := get(t, p, "aws:iam/rolePolicy:RolePolicy", "api-policy")
	assert.Equal(t, fnName, policy.Inputs["role"])
	assert.Equal(t, "execution", policy.Inputs["name"])
	parsed := parse(t, policy, "policy")
	assert.Equal(t, executionPolicy(), parsed)
	assert.NotContains(t, parsed.Actions(), "logs:CreateLogGroup")
}

func TestLogGroup(t *testing.T) {
	p := run(t, &function.Args{})
	lg := get(t, p, "aws:cloudwatch/logGroup:LogGroup", "api-logs")
	assert.Equal(t, logGroup, lg.Inputs["name"])
	assert.Equal(t, scopetest.KeyArn, lg.Inputs["kmsKeyId"])
	assert.EqualValues(t, 30, lg.Inputs["retentionInDays"])
	assert.True(t, lg.DeleteBeforeReplace)
	assert.Equal(t, "acme", lg.Inputs["tags"].(map[string]any)["org"])
}

// In a protected environment a function's logs outlive it: renaming or removing the function
// leaves its log group (retained, to expire with its retention), and a replacement is not
// deleted first, which would drop it from the state and lose nothing but the logs.
func TestLogGroupRetainedWhereProtected(t *testing.T) {
	s := scopetest.New()
	s.Protect = true
	p := run(t, &function.Args{Scope: s})
	lg := get(t, p, "aws:cloudwatch/logGroup:LogGroup", "api-logs")
	assert.True(t, lg.RetainOnDelete)
	assert.False(t, lg.DeleteBeforeReplace)
	assert.False(t, lg.Protect, "a protected group would stop every rename")
}

// TestLogSubscription: with the platform's log destination in the scope, the log group sends
// every event to it; without one (a component's own tests), nothing is subscribed.
func TestLogSubscription(t *testing.T) {
	const destination = "arn:aws:logs:eu-west-1:111111111111:destination:acme-dev-platform-logs"
	sc := scopetest.New()
	sc.LogDestinationArn = pulumi.String(destination)
	p := run(t, &function.Args{Scope: sc})
	f := get(t, p, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", "api-logs-subscription")
	assert.Equal(t, map[string]any{"name": "platform-logs", "logGroup": logGroup, "filterPattern": "",
		"destinationArn": destination}, f.Inputs)
	assert.Equal(t, component, f.Parent)

	assert.Empty(t, run(t, &function.Args{}).Find("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
		"api-logs-subscription"))
}

func TestFunctionInputs(t *testing.T) {
	p := run(t, &function.Args{
		Description:         "Serves the orders API.",
		MemoryMB:            512,
		Timeout:             30 * time.Second,
		ReservedConcurrency: new(5),
		Environment:         map[string]pulumi.StringInput{"TABLE": pulumi.String("orders")},
	})
	fn := get(t, p, "aws:lambda/function:Function", "api")
	in := fn.Inputs
	assert.Equal(t, fnName, in["name"])
	assert.Equal(t, "provided.al2023", in["runtime"])
	assert.Equal(t, []any{"arm64"}, in["architectures"])
	assert.Equal(t, "bootstrap", in["handler"])
	assert.Equal(t, "Zip", in["packageType"])
	assert.Equal(t, "[archive bootstrap.zip]", in["code"])
	assert.Equal(t, "Serves the orders API.", in["description"])
	assert.EqualValues(t, 512, in["memorySize"])
	assert.EqualValues(t, 30, in["timeout"])
	assert.EqualValues(t, 5, in["reservedConcurrentExecutions"])
	assert.Equal(t, true, in["publish"])
	assert.Equal(t, "arn:aws:iam::111111111111:role/"+fnName, in["role"])
	assert.Equal(t, scopetest.KeyArn, in["kmsKeyArn"])
	assert.Equal(t, map[string]any{"mode": "Active"}, in["tracingConfig"])
	assert.Equal(t, map[string]any{"logFormat": "JSON", "logGroup": logGroup}, in["loggingConfig"])
	assert.Equal(t, map[string]any{"variables": map[string]any{
		"TABLE": "orders", "STRATUM_CONTEXT": "orders", "STRATUM_FUNCTION": "api",
	}}, in["environment"])

	comp := get(t, p, function.TypeToken, "api")
	lg := get(t, p, "aws:cloudwatch/logGroup:LogGroup", "api-logs")
	policy := get(t, p, "aws:iam/rolePolicy:RolePolicy", "api-policy")
	assert.Equal(t, comp.URN, fn.Parent)
	assert.Contains(t, fn.Dependencies, lg.URN)
	assert.Contains(t, fn.Dependencies, policy.URN)
}

func TestDefaults(t *testing.T) {
	p := run(t, &function.Args{})
	fn := get(t, p, "aws:lambda/function:Function", "api")
	assert.EqualValues(t, 256, fn.Inputs["memorySize"])
	assert.EqualValues(t, 10, fn.Inputs["timeout"])
	assert.NotContains(t, fn.Inputs, "reservedConcurrentExecutions")
	assert.NotContains(t, fn.Inputs, "description")

	async := get(t, p, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "api-async")
	assert.Equal(t, map[string]any{
		"functionName": fnName, "qualifier": "live",
		"maximumRetryAttempts": 2.0, "maximumEventAgeInSeconds": 21600.0,
	}, async.Inputs)
}

func TestAlias(t *testing.T) {
	var f *function.Function
	p := run(t, &function.Args{}, func(_ *pulumi.Context, fn *function.Function) error {
		f = fn
		return nil
	})
	assert.Equal(t, 10*time.Second, f.Timeout)
	alias := get(t, p, "aws:lambda/alias:Alias", "api-alias")
	fn := get(t, p, "aws:lambda/function:Function", "api")
	assert.Equal(t, "live", alias.Inputs["name"])
	assert.Equal(t, fnName, alias.Inputs["functionName"])
	assert.Equal(t, fn.Outputs["version"], alias.Inputs["functionVersion"])
	assert.Equal(t, "1", alias.Inputs["functionVersion"])
	assert.Contains(t, alias.Dependencies, fn.URN)
	assert.Equal(t, aliasArn, alias.Outputs["arn"])
}

func TestAsyncInvocation(t *testing.T) {
	p := run(t, &function.Args{
		Retries:     new(0),
		MaxEventAge: time.Hour,
		OnFailure:   pulumi.String(queueArn),
	})
	async := get(t, p, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "api-async")
	assert.Equal(t, map[string]any{
		"functionName": fnName, "qualifier": "live",
		"maximumRetryAttempts": 0.0, "maximumEventAgeInSeconds": 3600.0,
		"destinationConfig": map[string]any{"onFailure": map[string]any{"destination": queueArn}},
	}, async.Inputs)
	policy := get(t, p, "aws:iam/rolePolicy:RolePolicy", "api-policy")
	assert.Contains(t, async.Dependencies, policy.URN, "the role can deliver before Lambda checks it")
	alias := get(t, p, "aws:lambda/alias:Alias", "api-alias")
	assert.Contains(t, async.Dependencies, alias.URN)
}

// A function declared Synchronous carries the tag the policy rule function-on-failure reads,
// and only that function.
func TestSynchronousTag(t *testing.T) {
	tags := func(p *plan.Plan) map[string]any {
		return get(t, p, "aws:lambda/function:Function", "api").Inputs["tags"].(map[string]any)
	}
	assert.Equal(t, function.SynchronousTagValue, tags(run(t, &function.Args{Synchronous: true}))[function.SynchronousTag])
	assert.Equal(t, policy.SynchronousFunctionTagValue, function.SynchronousTagValue)
	assert.Equal(t, policy.SynchronousFunctionTag, function.SynchronousTag)
	assert.NotContains(t, tags(run(t, &function.Args{})), function.SynchronousTag)
}

func TestOnFailurePolicy(t *testing.T) {
	for _, tc := range []struct {
		name, dest, action, via string
		input                   pulumi.StringInput
	}{
		{"queue", queueArn, "sqs:SendMessage", "sqs.eu-west-1.amazonaws.com", pulumi.String(queueArn)},
		{"topic", topicArn, "sns:Publish", "sns.eu-west-1.amazonaws.com", pulumi.String(topicArn)},
		{"output", queueArn, "sqs:SendMessage", "sqs.eu-west-1.amazonaws.com", pulumi.String(queueArn).ToStringOutput()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			encrypt := iam.ParsedStatement{Sid: "EncryptFailedEvents", Effect: "Allow",
				Action: []string{"kms:GenerateDataKey"}, Resource: []string{scopetest.KeyArn},
				Condition: map[string]map[string][]string{"StringEquals": {"kms:ViaService": {tc.via}}}}
			p := run(t, &function.Args{OnFailure: tc.input})
			policy := get(t, p, "aws:iam/rolePolicy:RolePolicy", "api-policy")
			assert.Equal(t, executionPolicy(
				iam.ParsedStatement{Sid: "SendFailedEvents", Effect: "Allow", Action: []string{tc.action}, Resource: []string{tc.dest}},
				encrypt,
			), parse(t, policy, "policy"))
		})
	}
}

func TestOnFailureOutputMustBeQueueOrTopic(t *testing.T) {
	err := runErr(&function.Args{OnFailure: pulumi.String("arn:aws:s3:::bucket").ToStringOutput()})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `OnFailure: "arn:aws:s3:::bucket" is not an SQS queue or SNS topic ARN`)
}

func TestGrantsInArgs(t *testing.T) {
	read := iam.Statements{{Sid: "ReadOrders", Actions: []string{"dynamodb:GetItem", "dynamodb:Query"},
		Resources: []pulumi.StringInput{pulumi.String(tableArn)}}}
	p := run(t, &function.Args{Grants: read})
	policy := get(t, p, "aws:iam/rolePolicy:RolePolicy", "api-policy")
	assert.Equal(t, executionPolicy(iam.ParsedStatement{Sid: "ReadOrders", Effect: "Allow",
		Action: []string{"dynamodb:GetItem", "dynamodb:Query"}, Resource: []string{tableArn}}), parse(t, policy, "policy"))
}

func TestAlarms(t *testing.T) {
	p := run(t, &function.Args{Timeout: 20 * time.Second})
	comp := get(t, p, function.TypeToken, "api")
	for _, tc := range []struct {
		name, metric, stat string
		threshold          float64
	}{
		{"errors", "Errors", "statistic", 0},
		{"throttles", "Throttles", "statistic", 0},
		{"duration", "Duration", "extendedStatistic", 16000},
	} {
		a := get(t, p, "aws:cloudwatch/metricAlarm:MetricAlarm", "api-alarm-"+tc.name)
		assert.Equal(t, comp.URN, a.Parent)
		assert.Equal(t, "AWS/Lambda", a.Inputs["namespace"], tc.name)
		assert.Equal(t, tc.metric, a.Inputs["metricName"], tc.name)
		assert.Equal(t, map[string]any{"FunctionName": fnName}, a.Inputs["dimensions"], tc.name)
		assert.Equal(t, tc.threshold, a.Inputs["threshold"], tc.name)
		assert.Equal(t, "GreaterThanThreshold", a.Inputs["comparisonOperator"], tc.name)
		assert.Equal(t, []any{scopetest.AlarmTopicArn}, a.Inputs["alarmActions"], tc.name)
		want := "Sum"
		if tc.name == "duration" {
			want = "p99"
		}
		assert.Equal(t, want, a.Inputs[tc.stat], tc.name)
	}
}

func TestAllowInvoke(t *testing.T) {
	var doc pulumi.StringOutput
	p := run(t, &function.Args{}, func(ctx *pulumi.Context, f *function.Function) error {
		var err error
		doc, err = iam.Document(f.AllowInvoke())
		stackref.Export(ctx, "invoke", doc)
		return err
	})
	parsed, err := iam.Parse(p.Outputs["invoke"].(string))
	require.NoError(t, err)
	assert.Equal(t, iam.Parsed{Version: iam.Version, Statement: []iam.ParsedStatement{{
		Sid: "FunctionApiInvoke", Effect: "Allow", Action: []string{"lambda:InvokeFunction"}, Resource: []string{aliasArn},
	}}}, parsed)
}

func TestGrant(t *testing.T) {
	const queue = "arn:aws:sqs:eu-west-1:111111111111:acme-dev-orders-jobs"
	p := run(t, &function.Args{}, func(ctx *pulumi.Context, f *function.Function) error {
		policy, err := f.Grant(ctx, "consume-jobs", iam.Statements{{Sid: "Consume",
			Actions:   []string{"sqs:DeleteMessage", "sqs:ReceiveMessage"},
			Resources: []pulumi.StringInput{pulumi.String(queue)}}})
		if err == nil && policy == nil {
			return errors.New("Grant returned no policy")
		}
		return err
	})
	rp := get(t, p, "aws:iam/rolePolicy:RolePolicy", "api-consume-jobs")
	assert.Equal(t, component, rp.Parent)
	assert.Equal(t, "consume-jobs", rp.Inputs["name"])
	assert.Equal(t, fnName, rp.Inputs["role"])
	assert.Equal(t, iam.Parsed{Version: iam.Version, Statement: []iam.ParsedStatement{{Sid: "Consume", Effect: "Allow",
		Action: []string{"sqs:DeleteMessage", "sqs:ReceiveMessage"}, Resource: []string{queue}}}}, parse(t, rp, "policy"))
}

func TestGrantRefusesWildcards(t *testing.T) {
	for _, tc := range []struct {
		name, policy string
		stmts        iam.Statements
		want         string
	}{
		{"action", "all", iam.Statements{{Actions: []string{"sqs:*"}, Resources: []pulumi.StringInput{pulumi.String(queueArn)}}},
			`function "api": grant "all": iam: statement 0: action "sqs:*" has a wildcard; grant exact actions`},
		{"resource", "any", iam.Statements{{Actions: []string{"sqs:SendMessage"}, Resources: []pulumi.StringInput{pulumi.String("*")}}},
			`function "api": grant "any": iam: statement 0: resource "*" is not allowed for sqs:SendMessage; scope the statement to resource ARNs`},
		{"name", "bad name", iam.Statements{{Actions: []string{"sqs:SendMessage"}, Resources: []pulumi.StringInput{pulumi.String(queueArn)}}},
			`function "api": grant "bad name": name is not 1 to 128 characters of [A-Za-z0-9_+=,.@-]`},
		{"principal", "trust", iam.Statements{{Sid: "Trust", Actions: []string{"sqs:SendMessage"},
			Principals: []iam.Principal{{Type: iam.PrincipalService, Identifiers: []pulumi.StringInput{pulumi.String("sns.amazonaws.com")}}},
			Resources:  []pulumi.StringInput{pulumi.String(queueArn)}}},
			`function "api": grant "trust": statement 0 ("Trust") has principals; a role policy names none`},
		{"taken", "execution", iam.Statements{{Actions: []string{"sqs:SendMessage"}, Resources: []pulumi.StringInput{pulumi.String(queueArn)}}},
			`function "api": grant "execution": name is taken by the function's own policy`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var grantErr error
			run(t, &function.Args{}, func(ctx *pulumi.Context, f *function.Function) error {
				_, grantErr = f.Grant(ctx, tc.policy, tc.stmts)
				return nil
			})
			require.Error(t, grantErr)
			assert.Equal(t, tc.want, grantErr.Error())
		})
	}
}
