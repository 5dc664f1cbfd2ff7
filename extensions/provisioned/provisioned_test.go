package provisioned_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/anatomy"
	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/extensions/provisioned"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/platform/policy"
)

const archive = "testdata/bootstrap.zip"

func newAPI(t *testing.T, args provisioned.Args) *plan.Plan {
	t.Helper()
	return plantest.Run(t, func(ctx *pulumi.Context) error {
		_, err := provisioned.New(ctx, "api", &args)
		return err
	})
}

func TestGolden(t *testing.T) {
	p := newAPI(t, provisioned.Args{Function: function.Args{Scope: scopetest.New(), Archive: archive}, Concurrency: 5})
	plantest.Golden(t, "testdata/provisioned.plan.json", p)
}

func TestProvisionsTheLiveAlias(t *testing.T) {
	p := newAPI(t, provisioned.Args{Function: function.Args{Scope: scopetest.New(), Archive: archive}})
	config, err := p.Get("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig", "api-concurrency")
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"functionName": "acme-dev-orders-api", "qualifier": function.AliasName,
		"provisionedConcurrentExecutions": 2.0}, config.Inputs, "two environments by default")

	alarm, err := p.Get("aws:cloudwatch/metricAlarm:MetricAlarm", "api-alarm-spillover")
	require.NoError(t, err)
	assert.Equal(t, "ProvisionedConcurrencySpilloverInvocations", alarm.Inputs["metricName"])
	assert.Equal(t, map[string]any{"FunctionName": "acme-dev-orders-api", "Resource": "acme-dev-orders-api:live"}, alarm.Inputs["dimensions"])
	assert.Equal(t, []any{scopetest.AlarmTopicArn}, alarm.Inputs["alarmActions"])

	fn, err := p.Get("aws:lambda/function:Function", "api")
	require.NoError(t, err)
	assert.Contains(t, fn.Parent, "stratum:provisioned:Function$stratum:function:Function::api", "the function is the wrapper's child")
}

// The caller's hook runs first, then the wrapper's, then the function component re-applies
// what it owns: a tag both set is the wrapper's, the name is the component's, and what only
// the caller sets stays.
func TestOverridesChain(t *testing.T) {
	var order []string
	p := newAPI(t, provisioned.Args{Concurrency: 3, Function: function.Args{Scope: scopetest.New(), Archive: archive,
		Overrides: function.Overrides{
			Function: func(a *lambda.FunctionArgs) {
				order = append(order, "caller")
				a.Tags = pulumi.StringMap{"team": pulumi.String("orders"), provisioned.TagKey: pulumi.String("99")}
				a.Name = pulumi.String("renamed")
				a.EphemeralStorage = &lambda.FunctionEphemeralStorageArgs{Size: pulumi.Int(1024)}
			},
			Alias: func(a *lambda.AliasArgs) { a.Description = pulumi.String("the caller's") },
		}}})
	assert.Equal(t, []string{"caller"}, order, "the caller's hook runs once")
	fn, err := p.Get("aws:lambda/function:Function", "api")
	require.NoError(t, err)
	tags := fn.Inputs["tags"].(map[string]any)
	assert.Equal(t, "3", tags[provisioned.TagKey], "the wrapper's hook runs after the caller's")
	assert.Equal(t, "orders", tags["team"])
	assert.Equal(t, "acme-dev-orders-api", fn.Inputs["name"], "the component's owned fields come last")
	assert.Equal(t, map[string]any{"size": 1024.0}, fn.Inputs["ephemeralStorage"])
	alias, err := p.Get("aws:lambda/alias:Alias", "api-alias")
	require.NoError(t, err)
	assert.Equal(t, "The version integrations invoke, with 3 provisioned environments.", alias.Inputs["description"])
	assert.Equal(t, function.AliasName, alias.Inputs["name"])

	p = newAPI(t, provisioned.Args{Function: function.Args{Scope: scopetest.New(), Archive: archive},
		Overrides: provisioned.Overrides{Config: func(c *lambda.ProvisionedConcurrencyConfigArgs) {
			c.SkipDestroy = pulumi.Bool(true)
			c.ProvisionedConcurrentExecutions = pulumi.Int(50)
		}}})
	config, err := p.Get("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig", "api-concurrency")
	require.NoError(t, err)
	assert.Equal(t, true, config.Inputs["skipDestroy"])
	assert.Equal(t, 2.0, config.Inputs["provisionedConcurrentExecutions"], "the wrapper owns the number")
}

func TestValidate(t *testing.T) {
	two := 2
	err := (&provisioned.Args{Function: function.Args{Scope: scope.Scope{}, Archive: archive, ReservedConcurrency: &two, MemoryMB: 1},
		Concurrency: 3}).Validate()
	assert.EqualError(t, err, strings.Join([]string{
		"Function.Scope.Naming: naming: org is empty; it is required",
		"naming: env is empty; it is required",
		"naming: context is empty; it is required",
		"Function.Scope.KeyArn: is required (the KMS key that encrypts data at rest)",
		"Function.Scope.AlarmTopicArn: is required (the SNS topic alarms notify)",
		"Function.MemoryMB: 1 is not between 128 and 10240",
		"Concurrency: 3 is more than Function.ReservedConcurrency 2; Lambda provisions at most the reserved concurrency",
	}, "\n"))
	err = (&provisioned.Args{Function: function.Args{Scope: scopetest.New(), Archive: archive}, Concurrency: -1}).Validate()
	assert.EqualError(t, err, "Concurrency: -1 is negative; at least 1 environment, or 0 for the default 2")
}

// The wrapper's plan passes the platform's rules and its own; every type in it is covered.
func TestPlanPassesTheRules(t *testing.T) {
	s := scopetest.New()
	s.PermissionsBoundaryArn = pulumi.String("arn:aws:iam::111111111111:policy/acme-dev-boundary")
	p := newAPI(t, provisioned.Args{Function: function.Args{Scope: s, Archive: archive}})
	require.NoError(t, policy.Evaluate(p, append(policy.Builtin(), provisioned.Rules()...)))
	for _, f := range p.Findings {
		// A bare function has no on-failure destination and the test scope no owner tags.
		assert.Contains(t, []string{"required-tags", "function-on-failure"}, f.Rule, f.Message)
	}
}

// A provisioned concurrency configuration without its alarm fails the rule; without the
// rule its type is covered by none.
func TestRuleFailsWithoutTheAlarm(t *testing.T) {
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		fn, err := function.New(ctx, "api", &function.Args{Scope: scopetest.New(), Archive: archive})
		if err != nil {
			return err
		}
		_, err = lambda.NewProvisionedConcurrencyConfig(ctx, "api-concurrency", &lambda.ProvisionedConcurrencyConfigArgs{
			FunctionName: fn.Name, Qualifier: fn.Alias.Name, ProvisionedConcurrentExecutions: pulumi.Int(2)})
		return err
	})
	require.NoError(t, policy.Evaluate(p, append(policy.Builtin(), provisioned.Rules()...)))
	var got []string
	for _, f := range p.Findings {
		if f.Rule == "provisioned-concurrency-alarm" || f.Rule == policy.Coverage {
			got = append(got, f.Rule+": "+f.Message)
		}
	}
	assert.Equal(t, []string{"provisioned-concurrency-alarm: no alarm watches ProvisionedConcurrencySpilloverInvocations of " +
		"acme-dev-orders-api:live; add one with dimensions FunctionName and Resource"}, got)

	require.NoError(t, policy.Evaluate(p, policy.Builtin()))
	assert.True(t, slices.ContainsFunc(p.Findings, func(f plan.Finding) bool { return f.Rule == policy.Coverage }))
}

func TestAnatomy(t *testing.T) {
	problems, err := anatomy.Check(".", anatomy.Extension())
	require.NoError(t, err)
	assert.Empty(t, problems)
	problems, _, err = anatomy.CheckDocs(".")
	require.NoError(t, err)
	assert.Empty(t, problems)
}
