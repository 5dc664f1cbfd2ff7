package function

import (
	"fmt"
	"strings"
	"time"

	awsiam "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/alarm"
	"github.com/stratum-platform/stratum/components/dashboard"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
)

// AllowInvoke grants invoking the function through its live alias (for an Existing
// function, the ARN it was given).
func (f *Function) AllowInvoke() iam.Statements {
	return iam.Statements{{
		Sid:       iam.GrantSid(TypeToken, f.name, "Invoke"),
		Actions:   []string{"lambda:InvokeFunction"},
		Resources: []pulumi.StringInput{f.AliasArn},
	}}
}

// validPolicyName reports whether name is what IAM accepts as an inline policy name.
func validPolicyName(name string) bool {
	if name == "" || len(name) > 128 {
		return false
	}
	for _, c := range name {
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && !strings.ContainsRune("_+=,.@-", c) {
			return false
		}
	}
	return true
}

// Grant adds an inline policy named name to the function's role, holding exactly stmts.
// Integrations use it to add the actions their wiring needs (for example receiving from a
// queue) and make their resources depend on the returned policy: AWS checks some
// permissions when the integration is created. Wildcard actions and `*` resources are refused.
func (f *Function) Grant(ctx *pulumi.Context, name string, stmts iam.Statements) (*awsiam.RolePolicy, error) {
	if f.Role == nil {
		return nil, fmt.Errorf("function %q: grant %q: the function is another stack's (function.Existing); only its own stack changes its role",
			f.name, name)
	}
	if !validPolicyName(name) {
		return nil, fmt.Errorf("function %q: grant %q: name is not 1 to 128 characters of [A-Za-z0-9_+=,.@-]", f.name, name)
	}
	// The component's own policy is inline policy "execution", logical name <name>-policy;
	// a grant under either name would replace or collide with it.
	if name == executionPolicyName || name == "policy" {
		return nil, fmt.Errorf("function %q: grant %q: name is taken by the function's own policy", f.name, name)
	}
	doc, err := identityPolicy(stmts, f.wildcards)
	if err != nil {
		return nil, fmt.Errorf("function %q: grant %q: %w", f.name, name, err)
	}
	policy, err := awsiam.NewRolePolicy(ctx, naming.Child(f.name, name), &awsiam.RolePolicyArgs{
		Name:   pulumi.String(name),
		Role:   f.Role.Name,
		Policy: doc,
	}, pulumi.Parent(f))
	if err != nil {
		return nil, fmt.Errorf("function %q: grant %q: %w", f.name, name, err)
	}
	return policy, nil
}

// alarms watches errors, throttles and invocations that come close to the timeout.
func (f *Function) alarms(ctx *pulumi.Context, name string, s settings) error {
	dims := pulumi.StringMap{"FunctionName": f.Function.Name}
	for _, spec := range alarmSpecs(name, s.Timeout) {
		spec.Namespace = "AWS/Lambda"
		spec.Dimensions = dims
		a, err := alarm.New(ctx, name, s.Scope, spec, f)
		if err != nil {
			return err
		}
		f.Alarms = append(f.Alarms, a)
	}
	return nil
}

// alarmSpecs are the function's alarms without their metric's namespace and dimensions:
// any error, any throttle, p99 duration above 80% of the timeout.
func alarmSpecs(name string, timeout time.Duration) []alarm.Spec {
	nearTimeout := float64(timeout.Milliseconds()) * 0.8
	return []alarm.Spec{
		{Name: "errors", Description: "Function " + name + " returned errors; see its log group.",
			Metric: "Errors", Statistic: "Sum", Threshold: pulumi.Float64(0)},
		{Name: "throttles", Description: "Function " + name + " was throttled; check reserved and account concurrency.",
			Metric: "Throttles", Statistic: "Sum", Threshold: pulumi.Float64(0)},
		{Name: "duration", Description: fmt.Sprintf("Function %s p99 duration is above 80%% of its %s timeout.", name, timeout),
			Metric: "Duration", Statistic: "p99", Threshold: pulumi.Float64(nearTimeout)},
	}
}

// Widgets returns the function's graph on its service's dashboard: invocations, errors,
// throttles and p99 duration.
func (f *Function) Widgets() []dashboard.Widget {
	return []dashboard.Widget{{Title: "Function " + f.name, Namespace: "AWS/Lambda",
		Dimensions: []dashboard.Dimension{{Name: "FunctionName", Value: f.Name}},
		Metrics: []dashboard.Metric{{Name: "Invocations", Stat: "Sum"}, {Name: "Errors", Stat: "Sum"},
			{Name: "Throttles", Stat: "Sum"}, {Name: "Duration", Stat: "p99"}}}}
}
