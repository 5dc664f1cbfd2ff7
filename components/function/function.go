// Package function provides Function: a Go Lambda function built from source, with its own
// role, log group, published versions behind a `live` alias, and alarms.
//
// Default settings:
//   - runtime provided.al2023 on arm64, handler `bootstrap`, built from a Go main package
//     (linux/arm64, CGO off, -trimpath, no build id, tag lambda.norpc) into a reproducible
//     zip: the same source gives the same sourceCodeHash, so an unchanged handler never
//     redeploys;
//   - 256 MB, 10s timeout, unreserved concurrency;
//   - environment encrypted with the scope's key; STRATUM_CONTEXT and STRATUM_FUNCTION set;
//   - its own role, trusted by lambda.amazonaws.com for this account only, with one inline
//     policy: create streams and put events in its own log group, X-Ray traces, kms:Decrypt
//     on the scope's key, delivery to the on-failure destination, and Grants; no managed
//     policies; the scope's permissions boundary, which no hook removes;
//   - log group `/aws/lambda/<function>` with the scope's retention and key, JSON log format,
//     retained on delete where the scope protects stateful resources (scope.LogGroup), and
//     subscribed to the scope's log destination (the platform's log aggregation);
//   - X-Ray tracing active;
//   - every code change publishes a version; the `live` alias points at the latest one and
//     is what integrations invoke;
//   - asynchronous invocations of `live`: 2 retries, events kept 6h, failures to OnFailure;
//   - alarms: any error, any throttle, p99 duration above 80% of the timeout.
package function

import (
	"fmt"
	"slices"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	awsiam "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/tokens"
)

// TypeToken is the Pulumi type of Function; renaming it needs an alias.
const TypeToken = tokens.Function

// AliasName is the alias integrations invoke; it always points at the latest version.
const AliasName = "live"

// Args configures a Function.
type Args struct {
	// Scope names the function and supplies its key, tags and alarm topic. Required.
	Scope scope.Scope
	// Source is the Go main package directory to build, absolute or relative to the working
	// directory; set Source or Archive, not both. Default: none (Archive is then required).
	Source string
	// Archive is a prebuilt zip holding `bootstrap`, used instead of building Source.
	// Default: none.
	Archive string
	// Description describes the function in the console, up to 256 characters. Default: none.
	Description string
	// MemoryMB is the memory size, 128 to 10240. Default: 256.
	MemoryMB int
	// Timeout is the longest an invocation may run, whole seconds from 1s to 15m.
	// Default: 10s.
	Timeout time.Duration
	// Environment holds extra environment variables; names match [a-zA-Z][a-zA-Z0-9_]+ and
	// are neither reserved by Lambda nor start with STRATUM_. Default: none.
	Environment map[string]pulumi.StringInput
	// ReservedConcurrency reserves (and caps) concurrent executions; 0 stops the function.
	// Default: unreserved.
	ReservedConcurrency *int
	// Retries is how many times a failed asynchronous invocation is retried, 0 to 2.
	// Default: 2.
	Retries *int
	// MaxEventAge is how long an asynchronous event may wait to be processed, whole seconds
	// from 60s to 6h. Default: 6h.
	MaxEventAge time.Duration
	// OnFailure is the ARN of an SQS queue or SNS topic that receives asynchronous events
	// that failed every attempt. Default: none (failed events are dropped).
	OnFailure pulumi.StringInput
	// Synchronous states that nothing invokes the function asynchronously (a deploy's
	// invocation, a function URL, an API), so it needs no OnFailure: the function carries the
	// tag SynchronousTag=SynchronousTagValue, which the policy rule function-on-failure
	// (policy.SynchronousFunctionTag) reads, while async-dead-letter still refuses any
	// asynchronous invoker the plan shows. Default: false.
	Synchronous bool
	// Grants are the function's permissions, typically from other components' Allow*
	// methods. Default: none.
	Grants iam.Statements
	// WildcardActions extend the allow-list of actions that Grants (and integrations'
	// grants) may give on Resource "*" (iam.BuiltinWildcardActions), each with why AWS
	// offers no resource-level permission for it. Give the policy rules the same entries
	// (policy.Builtin). Default: none.
	WildcardActions []iam.WildcardAction
	// Release hands each new version to AWS CodeDeploy, which shifts the live alias to it
	// gradually and rolls back on an alarm (release.go). Default: none; Pulumi moves the
	// alias to each new version at once.
	Release *Release
	// Overrides change the children's arguments before the component re-applies the fields it
	// owns. Default: none.
	Overrides Overrides
}

// Overrides are hooks on the children's arguments. Whatever a hook sets, the component then
// re-applies what it owns: names, runtime, code, role and policies, encryption, logging,
// tracing, publishing and the alias target.
type Overrides struct {
	// Function changes the lambda.FunctionArgs. Default: none.
	Function func(*lambda.FunctionArgs)
	// Role changes the iam.RoleArgs. Default: none.
	Role func(*awsiam.RoleArgs)
	// LogGroup changes the cloudwatch.LogGroupArgs. Default: none.
	LogGroup func(*cloudwatch.LogGroupArgs)
	// Alias changes the lambda.AliasArgs. Default: none.
	Alias func(*lambda.AliasArgs)
}

// Function is a Lambda function with its role, log group and live alias.
type Function struct {
	pulumi.ResourceState

	// Function is the Lambda function.
	Function *lambda.Function
	// Role is the function's execution role.
	Role *awsiam.Role
	// LogGroup receives the function's logs.
	LogGroup *cloudwatch.LogGroup
	// LogSubscription sends the function's logs to the platform's log destination; nil
	// when the scope has none.
	LogSubscription *cloudwatch.LogSubscriptionFilter
	// Alias is the `live` alias, which integrations invoke.
	Alias *lambda.Alias

	// Arn and Name identify the function (unqualified).
	Arn, Name pulumi.StringOutput
	// AliasArn and AliasInvokeArn identify the live alias; integrations use them.
	AliasArn, AliasInvokeArn pulumi.StringOutput
	// RoleName is the execution role's name.
	RoleName pulumi.StringOutput

	// Timeout is the resolved timeout, for checks such as a queue's visibility timeout.
	Timeout time.Duration

	// Releasing holds what hands each new version to CodeDeploy; nil without Args.Release.
	Releasing *Releasing
	// Alarms are the function's errors, throttles and duration alarms.
	Alarms []*cloudwatch.MetricAlarm

	name      string
	wildcards []iam.WildcardAction
}

// executionPolicyName is the inline policy holding the function's own permissions and Grants.
const executionPolicyName = "execution"

// settings are Args with the defaults applied.
type settings struct {
	Args
	logical string
	retries int
}

// withDefaults returns the Args of function name with every default filled in.
func (a *Args) withDefaults(name string) settings {
	s := settings{Args: *a, logical: name, retries: maxRetries}
	if s.MemoryMB == 0 {
		s.MemoryMB = 256
	}
	if s.Timeout == 0 {
		s.Timeout = 10 * time.Second
	}
	if s.MaxEventAge == 0 {
		s.MaxEventAge = maxEventAge
	}
	if a.Retries != nil {
		s.retries = *a.Retries
	}
	return s
}

// New creates a Function. Source is built in the background (see Builder), so the builds of
// a program's functions run in parallel; a compile error fails the program with the
// compiler's output.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Function, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(); err != nil {
		return nil, fmt.Errorf("function %q: %w", name, err)
	}
	s := args.withDefaults(name)
	code, err := deploymentOf(ctx, name, s.Args)
	if err != nil {
		return nil, fmt.Errorf("function %q: %w", name, err)
	}

	f := &Function{Timeout: s.Timeout, name: name, wildcards: slices.Clone(s.WildcardActions)}
	if err := ctx.RegisterComponentResource(TypeToken, name, f, opts...); err != nil {
		return nil, fmt.Errorf("function %q: %w", name, err)
	}
	if err := f.children(ctx, name, s, code); err != nil {
		return nil, fmt.Errorf("function %q: %w", name, err)
	}
	f.Arn, f.Name = f.Function.Arn, f.Function.Name
	f.AliasArn, f.AliasInvokeArn = f.Alias.Arn, f.Alias.InvokeArn
	f.RoleName = f.Role.Name
	if err := ctx.RegisterResourceOutputs(f, pulumi.Map{
		"arn": f.Arn, "name": f.Name, "aliasArn": f.AliasArn, "roleName": f.RoleName,
	}); err != nil {
		return nil, fmt.Errorf("function %q: %w", name, err)
	}
	return f, nil
}

// children creates the role, its policy, the log group, the function, the alias, the
// asynchronous invocation settings and the alarms.
func (f *Function) children(ctx *pulumi.Context, name string, s settings, code deployment) error {
	parent := pulumi.Parent(f)
	fnName := s.Scope.Name(naming.LambdaFunction, name)

	identity, err := aws.GetCallerIdentity(ctx, nil, parent)
	if err != nil {
		return fmt.Errorf("reading the account: %w", err)
	}
	if f.Role, err = newRole(ctx, name, s, identity.AccountId, parent); err != nil {
		return fmt.Errorf("role: %w", err)
	}
	if f.LogGroup, err = newLogGroup(ctx, name, s, naming.LambdaLogGroup(fnName), parent); err != nil {
		return fmt.Errorf("log group: %w", err)
	}
	if f.LogSubscription, err = s.Scope.SubscribeLogs(ctx, naming.Child(name, "logs-subscription"), f.LogGroup.Name, parent); err != nil {
		return fmt.Errorf("log subscription: %w", err)
	}
	doc, err := rolePolicy(executionStatements(f.LogGroup.Arn, s.Scope.KeyArn), s.OnFailure, s.Scope.KeyArn, s.Grants, s.WildcardActions)
	if err != nil {
		return fmt.Errorf("role policy: %w", err)
	}
	policy, err := awsiam.NewRolePolicy(ctx, naming.Child(name, "policy"), &awsiam.RolePolicyArgs{
		Name:   pulumi.String(executionPolicyName),
		Role:   f.Role.Name,
		Policy: doc,
	}, parent)
	if err != nil {
		return fmt.Errorf("role policy: %w", err)
	}
	f.Function, err = lambda.NewFunction(ctx, name, functionArgs(s, fnName, code, f.Role.Arn, f.LogGroup.Name), parent,
		pulumi.DependsOn([]pulumi.Resource{f.LogGroup, policy}))
	if err != nil {
		return err
	}
	aliasArgs := override.Apply(&lambda.AliasArgs{Description: pulumi.String("The version integrations invoke.")},
		s.Overrides.Alias, func(aa *lambda.AliasArgs) {
			aa.Name = pulumi.String(AliasName)
			aa.FunctionName = f.Function.Name
			aa.FunctionVersion = f.Function.Version
		})
	if f.Alias, err = lambda.NewAlias(ctx, naming.Child(name, "alias"), aliasArgs, append([]pulumi.ResourceOption{parent}, aliasOptions(s)...)...); err != nil {
		return fmt.Errorf("alias: %w", err)
	}
	invoke := &lambda.FunctionEventInvokeConfigArgs{
		FunctionName:             f.Function.Name,
		Qualifier:                f.Alias.Name,
		MaximumRetryAttempts:     pulumi.Int(s.retries),
		MaximumEventAgeInSeconds: pulumi.Int(int(s.MaxEventAge / time.Second)),
	}
	if s.OnFailure != nil {
		invoke.DestinationConfig = &lambda.FunctionEventInvokeConfigDestinationConfigArgs{
			OnFailure: &lambda.FunctionEventInvokeConfigDestinationConfigOnFailureArgs{Destination: s.OnFailure},
		}
	}
	// The role must be able to deliver to the destination before Lambda accepts it.
	if _, err := lambda.NewFunctionEventInvokeConfig(ctx, naming.Child(name, "async"), invoke, parent,
		pulumi.DependsOn([]pulumi.Resource{policy})); err != nil {
		return fmt.Errorf("asynchronous invocation: %w", err)
	}
	if err := f.alarms(ctx, name, s); err != nil {
		return err
	}
	return f.release(ctx, name, s)
}

func newRole(ctx *pulumi.Context, name string, s settings, account string, parent pulumi.ResourceOption) (*awsiam.Role, error) {
	trust, err := iam.AssumeRole(iam.ServiceLambda, pulumi.String(account))
	if err != nil {
		return nil, err
	}
	args := override.Apply(&awsiam.RoleArgs{
		Description: pulumi.String("Execution role of function " + name + "."),
		Tags:        s.Scope.TagMap(),
	}, s.Overrides.Role, func(ra *awsiam.RoleArgs) {
		ra.Name = pulumi.String(s.Scope.Name(naming.IAMRole, name))
		ra.NamePrefix = nil
		ra.AssumeRolePolicy = trust
		// Permissions come only from the component's inline policies.
		ra.ManagedPolicyArns = nil
		ra.InlinePolicies = nil
		s.Scope.Bound(ra)
	})
	return awsiam.NewRole(ctx, naming.Child(name, "role"), args, parent)
}

func newLogGroup(ctx *pulumi.Context, name string, s settings, groupName string, parent pulumi.ResourceOption) (*cloudwatch.LogGroup, error) {
	args := override.Apply(&cloudwatch.LogGroupArgs{Tags: s.Scope.TagMap()}, s.Overrides.LogGroup, func(la *cloudwatch.LogGroupArgs) {
		la.Name = pulumi.String(groupName)
		la.NamePrefix = nil
		la.RetentionInDays = pulumi.Int(s.Scope.Retention())
		la.KmsKeyId = s.Scope.KeyArn
	})
	// Lambda writes to the group by name: see Scope.LogGroup for replacement and retention.
	return cloudwatch.NewLogGroup(ctx, naming.Child(name, "logs"), args, append(s.Scope.LogGroup(), parent)...)
}

// SynchronousTag and SynchronousTagValue tag a function declared Synchronous.
const (
	SynchronousTag      = "invocation"
	SynchronousTagValue = "synchronous"
)

func functionArgs(s settings, fnName string, code deployment, roleArn, logGroup pulumi.StringInput) *lambda.FunctionArgs {
	tags := s.Scope.TagMap()
	if s.Synchronous {
		tags[SynchronousTag] = pulumi.String(SynchronousTagValue)
	}
	args := &lambda.FunctionArgs{
		MemorySize: pulumi.Int(s.MemoryMB),
		Tags:       tags,
	}
	if s.Description != "" {
		args.Description = pulumi.String(s.Description)
	}
	if s.ReservedConcurrency != nil {
		args.ReservedConcurrentExecutions = pulumi.Int(*s.ReservedConcurrency)
	}
	return override.Apply(args, s.Overrides.Function, func(args *lambda.FunctionArgs) {
		vars := pulumi.StringMap{}
		for k, v := range s.Environment {
			vars[k] = v
		}
		vars["STRATUM_CONTEXT"] = pulumi.String(s.Scope.Naming.Context)
		vars["STRATUM_FUNCTION"] = pulumi.String(s.logical)
		logging := &lambda.FunctionLoggingConfigArgs{}
		// Log levels are the caller's choice; the format and destination are not.
		if prev, ok := args.LoggingConfig.(*lambda.FunctionLoggingConfigArgs); ok && prev != nil {
			logging.ApplicationLogLevel, logging.SystemLogLevel = prev.ApplicationLogLevel, prev.SystemLogLevel
		}
		logging.LogFormat = pulumi.String("JSON")
		logging.LogGroup = logGroup

		args.Name = pulumi.String(fnName)
		args.Runtime = pulumi.String(string(lambda.RuntimeCustomAL2023))
		args.Architectures = pulumi.StringArray{pulumi.String("arm64")}
		args.Handler = pulumi.String("bootstrap")
		args.PackageType = pulumi.String("Zip")
		args.Code = code.code
		args.SourceCodeHash = code.hash
		args.ImageUri, args.S3Bucket, args.S3Key, args.S3ObjectVersion = nil, nil, nil, nil
		args.Timeout = pulumi.Int(int(s.Timeout / time.Second))
		args.Role = roleArn
		args.Environment = &lambda.FunctionEnvironmentArgs{Variables: vars}
		args.KmsKeyArn = s.Scope.KeyArn
		args.LoggingConfig = logging
		args.TracingConfig = &lambda.FunctionTracingConfigArgs{Mode: pulumi.String("Active")}
		args.Publish = pulumi.Bool(true)
	})
}
