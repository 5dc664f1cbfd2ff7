// Package provisioned provides Function: a function.Function whose `live` alias keeps
// execution environments initialised (provisioned concurrency), for latency-sensitive
// handlers that cannot afford a cold start, alarmed when invocations spill over to
// environments that start cold. It wraps components/function without forking it: the
// function is built by function.New, and the wrapper's defaults reach its children through
// the same Overrides hooks a caller has, chained after the caller's (docs/extending.md).
//
// Default settings:
//   - everything function.New does, with the function's Args as given;
//   - 2 provisioned environments on the `live` alias (Args.Concurrency), so that a second
//     request does not start cold while the first runs; Lambda re-provisions them for each
//     new version the alias points at;
//   - the Lambda function tagged `provisioned-concurrency: <n>`, because provisioned
//     environments are billed by the hour whether used or not, and the alias's description
//     says how many it keeps;
//   - an alarm to the scope's alarm topic on ProvisionedConcurrencySpilloverInvocations of
//     the alias (Sum > 0 over 5 minutes): the environments were all busy and callers waited
//     for a cold start; raise Concurrency.
package provisioned

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/alarm"
	"github.com/stratum-platform/stratum/components/dashboard"
	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
)

// TypeToken is the Pulumi type of Function; renaming it needs an alias.
const TypeToken = "stratum:provisioned:Function"

// TagKey is the tag that records a function's provisioned environments, for cost reports.
const TagKey = "provisioned-concurrency"

// defaultConcurrency is how many environments the alias keeps without Args.Concurrency.
const defaultConcurrency = 2

// Args configures a Function.
type Args struct {
	// Function configures the wrapped function, as for function.New: its Scope, code,
	// grants, and its Overrides, which run before the wrapper's own hooks on the same
	// children. Required.
	Function function.Args
	// Concurrency is how many execution environments the `live` alias keeps initialised,
	// at least 1 and at most Function.ReservedConcurrency when that is set. Default: 2.
	Concurrency int
	// Overrides change the wrapper's own children's arguments before it re-applies the
	// fields it owns. Default: none.
	Overrides Overrides
}

// Overrides are hooks on the wrapper's own children. They run before the wrapper re-applies
// what it owns: the function, the qualifier and the number of environments.
type Overrides struct {
	// Config changes the lambda.ProvisionedConcurrencyConfigArgs. Default: none.
	Config func(*lambda.ProvisionedConcurrencyConfigArgs)
}

// Function is a function.Function with provisioned concurrency on its `live` alias.
type Function struct {
	pulumi.ResourceState

	// Function is the wrapped function, with its role, log group, alias and alarms.
	Function *function.Function
	// Config keeps the alias's environments initialised.
	Config *lambda.ProvisionedConcurrencyConfig
	// SpilloverAlarm fires when invocations found no initialised environment.
	SpilloverAlarm *cloudwatch.MetricAlarm

	// Arn, Name and AliasArn identify the function and its live alias.
	Arn, Name, AliasArn pulumi.StringOutput

	name string
}

// Validate reports every problem with args at once: the function's own, prefixed
// "Function.", and the wrapper's.
func (a *Args) Validate() error {
	var errs []error
	for _, err := range flatten(a.Function.Validate()) {
		errs = append(errs, fmt.Errorf("Function.%w", err))
	}
	switch r := a.Function.ReservedConcurrency; {
	case a.Concurrency < 0:
		errs = append(errs, fmt.Errorf("Concurrency: %d is negative; at least 1 environment, or 0 for the default %d", a.Concurrency, defaultConcurrency))
	case r != nil && a.concurrency() > *r:
		errs = append(errs, fmt.Errorf("Concurrency: %d is more than Function.ReservedConcurrency %d; Lambda provisions at most the reserved concurrency",
			a.concurrency(), *r))
	}
	return errors.Join(errs...)
}

func (a *Args) concurrency() int {
	if a.Concurrency == 0 {
		return defaultConcurrency
	}
	return a.Concurrency
}

// withDefaults returns the Args with every default filled in: the concurrency, and the
// wrapper's hooks chained after the caller's on the function's children.
func (a *Args) withDefaults() Args {
	d := *a
	d.Concurrency = a.concurrency()
	n := strconv.Itoa(d.Concurrency)
	d.Function.Overrides.Function = override.Chain(a.Function.Overrides.Function, func(fa *lambda.FunctionArgs) {
		fa.Tags = withTag(fa.Tags, TagKey, n)
	})
	d.Function.Overrides.Alias = override.Chain(a.Function.Overrides.Alias, func(aa *lambda.AliasArgs) {
		aa.Description = pulumi.String("The version integrations invoke, with " + n + " provisioned environments.")
	})
	return d
}

// flatten returns the errors an errors.Join holds, at any depth, one per line.
func flatten(err error) []error {
	// A join is split as it is: searching wrapped errors (errors.As) would drop their prefixes.
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		if err == nil {
			return nil
		}
		return []error{err}
	}
	var out []error
	for _, e := range joined.Unwrap() {
		out = append(out, flatten(e)...)
	}
	return out
}

// withTag returns tags with key set to value. The function component sets its tags as a
// pulumi.StringMap before the hooks run; a caller's hook may have made them an output.
func withTag(tags pulumi.StringMapInput, key, value string) pulumi.StringMapInput {
	switch m := tags.(type) {
	case nil:
		return pulumi.StringMap{key: pulumi.String(value)}
	case pulumi.StringMap:
		out := pulumi.StringMap{key: pulumi.String(value)}
		for k, v := range m {
			if k != key {
				out[k] = v
			}
		}
		return out
	}
	return tags.ToStringMapOutput().ApplyT(func(m map[string]string) map[string]string {
		out := map[string]string{key: value}
		for k, v := range m {
			if k != key {
				out[k] = v
			}
		}
		return out
	}).(pulumi.StringMapOutput)
}

// New creates a Function.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Function, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(); err != nil {
		return nil, fmt.Errorf("provisioned function %q: %w", name, err)
	}
	a := args.withDefaults()
	f := &Function{name: name}
	if err := ctx.RegisterComponentResource(TypeToken, name, f, opts...); err != nil {
		return nil, fmt.Errorf("provisioned function %q: %w", name, err)
	}
	if err := f.children(ctx, name, a); err != nil {
		return nil, fmt.Errorf("provisioned function %q: %w", name, err)
	}
	f.Arn, f.Name, f.AliasArn = f.Function.Arn, f.Function.Name, f.Function.AliasArn
	if err := ctx.RegisterResourceOutputs(f, pulumi.Map{"arn": f.Arn, "name": f.Name, "aliasArn": f.AliasArn}); err != nil {
		return nil, fmt.Errorf("provisioned function %q: %w", name, err)
	}
	return f, nil
}

// children creates the function, the alias's provisioned concurrency and its alarm.
func (f *Function) children(ctx *pulumi.Context, name string, a Args) error {
	var err error
	if f.Function, err = function.New(ctx, name, &a.Function, pulumi.Parent(f)); err != nil {
		return err
	}
	config := override.Apply(&lambda.ProvisionedConcurrencyConfigArgs{}, a.Overrides.Config, func(c *lambda.ProvisionedConcurrencyConfigArgs) {
		c.FunctionName = f.Function.Name
		c.Qualifier = f.Function.Alias.Name
		c.ProvisionedConcurrentExecutions = pulumi.Int(a.Concurrency)
	})
	if f.Config, err = lambda.NewProvisionedConcurrencyConfig(ctx, naming.Child(name, "concurrency"), config, pulumi.Parent(f)); err != nil {
		return fmt.Errorf("provisioned concurrency: %w", err)
	}
	f.SpilloverAlarm, err = alarm.New(ctx, name, a.Function.Scope, alarm.Spec{
		Name: "spillover",
		Description: fmt.Sprintf("Function %s ran invocations on environments that started cold: its %d provisioned "+
			"environments were all busy. Raise Concurrency, or check the invocation rate.", name, a.Concurrency),
		Namespace:     "AWS/Lambda",
		Metric:        "ProvisionedConcurrencySpilloverInvocations",
		Dimensions:    f.aliasDimensions(),
		Statistic:     "Sum",
		PeriodSeconds: 300,
		Threshold:     pulumi.Float64(0),
	}, f)
	return err
}

// aliasDimensions select the metrics of the live alias: Lambda publishes them per function
// and per "<function>:<alias>" resource.
func (f *Function) aliasDimensions() pulumi.StringMap {
	return pulumi.StringMap{
		"FunctionName": f.Function.Name,
		"Resource":     pulumi.Sprintf("%s:%s", f.Function.Name, function.AliasName),
	}
}

// AllowInvoke grants invoking the function through its live alias, as function's does.
func (f *Function) AllowInvoke() iam.Statements {
	return f.Function.AllowInvoke()
}

// Widgets returns the function's graphs on its service's dashboard (service.Add): the
// function's own, and the alias's provisioned environments in use and spillover.
func (f *Function) Widgets() []dashboard.Widget {
	return append(f.Function.Widgets(), dashboard.Widget{
		Title: "Provisioned " + f.name, Namespace: "AWS/Lambda",
		Dimensions: []dashboard.Dimension{
			{Name: "FunctionName", Value: f.Function.Name},
			{Name: "Resource", Value: pulumi.Sprintf("%s:%s", f.Function.Name, function.AliasName)},
		},
		Metrics: []dashboard.Metric{{Name: "ProvisionedConcurrencyUtilization", Stat: "Maximum"},
			{Name: "ProvisionedConcurrencySpilloverInvocations", Stat: "Sum"}},
	})
}
