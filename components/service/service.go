// Package service provides Service: the serverless component of one bounded context in one
// environment. A context's program creates one Service and declares its members through it:
// functions, tables, queues, topics, HTTP APIs, schedules, secrets and the wiring between
// them; a component the service has no method for (an extension's) joins it through Add.
//
// Default settings:
//   - a KMS key of the context (components/key: rotation on; administered by
//     Args.KeyAdministrators, by default the environment's CI deploy role; used by the
//     context's roles only; CloudWatch Logs of this region for the context's log groups,
//     `/aws/lambda/<org>-<env>-<context>-*` and `/aws/apigateway/<org>-<env>-<context>-*`;
//     SNS for the environment's topics, `<org>-<env>-*`, which deliver to the context's
//     encrypted queues), protected in environments that protect stateful resources;
//   - every member named `<org>-<env>-<context>-<name>`, tagged, encrypted with the context's
//     key, its alarms sent to the platform alarm topic;
//   - the platform stack's outputs (alarm topic, JWT issuer and audiences, permissions
//     boundary, deploy role, API domain, log destination) read through a typed stack
//     reference; every HTTP API trusts the platform's JWT issuer, and is mapped onto the
//     platform's custom domain at <context>/v<major version> when the platform has one; every
//     role a member creates carries the platform's permissions boundary; every log group of
//     every member subscribes to the platform's log destination; the deploy role administers
//     the context's secrets;
//   - function code built from `<project>/handlers/<function name>`;
//   - asynchronous invocations that fail after their retries go to the context's `failures`
//     queue (created with the first function) unless a function names its own destination;
//   - a CloudWatch dashboard of the members' key metrics (each member's Widgets), created by
//     Finish.
package service

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/codedeploy"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/httpapi"
	"github.com/stratum-platform/stratum/components/key"
	"github.com/stratum-platform/stratum/components/queue"
	"github.com/stratum-platform/stratum/components/schedule"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/components/table"
	"github.com/stratum-platform/stratum/components/topic"
	"github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/logs"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/project"
	"github.com/stratum-platform/stratum/platform/release"
	"github.com/stratum-platform/stratum/platform/stackref"
	"github.com/stratum-platform/stratum/platform/tags"
	"github.com/stratum-platform/stratum/platform/tokens"
)

// TypeToken is the Pulumi type of Service; renaming it needs an alias.
const TypeToken = tokens.Service

// Args configures a Service.
type Args struct {
	// Naming is the org, environment and context of every member's name; Naming.Context is
	// the context's name. Required.
	Naming naming.Scope
	// Tags are added to every member, after the default tags. Default: none.
	Tags map[string]string
	// PlatformStack is the fully qualified name of the platform stack whose outputs the
	// service reads. Required.
	PlatformStack string
	// LogRetentionDays is the retention of every log group; a CloudWatch value. Default: 30.
	LogRetentionDays int
	// Protect protects and retains stateful members (key, tables) and turns on deletion
	// protection. Default: false.
	Protect bool
	// KeyAdministrators are the ARNs of the roles that administer the context's KMS key
	// (components/key, Args.Administrators); the principal that deploys the context must be
	// one. Default: the environment's CI deploy role.
	KeyAdministrators []string
	// HandlersDir holds one Go main package per function, named after the function.
	// Default: `handlers` in the project directory (project.Dir).
	HandlersDir string
	// Release is how the context's functions shift traffic to a new version through
	// CodeDeploy, unless a function's Args.Release chooses. Default: all at once.
	Release release.Traffic
	// TableGenerations maps a table with a declared migration to the generation its
	// functions read and write (Table.Name and Table.Arn). Default: the generation the
	// migration starts from.
	TableGenerations map[string]int
}

// Service is one bounded context's component; its members are its children.
type Service struct {
	pulumi.ResourceState

	// Key encrypts the context's data at rest.
	Key *key.Key
	// Scope is what every member receives.
	Scope scope.Scope
	// JWTIssuer and JWTAudiences are the platform's identity settings.
	JWTIssuer    pulumi.StringOutput
	JWTAudiences pulumi.StringArrayOutput
	// DeployRoleArn is the environment's CI deploy role, which administers the context's
	// secrets.
	DeployRoleArn pulumi.StringOutput

	// Failures receives the asynchronous invocations of member functions that failed after
	// their retries; nil until the first function.
	Failures *queue.Queue
	// Application is the context's CodeDeploy application, which every function's deployment
	// group belongs to; nil until the first function.
	Application *codedeploy.Application

	ctx      *pulumi.Context
	platform *stackref.Reference
	name     string
	handlers string
	members  []Member
	finished bool

	traffic     release.Traffic
	releaser    pulumi.StringOutput
	generations map[string]int
}

// Validate reports every problem with args at once.
func (a *Args) Validate() error {
	var errs []error
	if err := a.Naming.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("Naming: %w", err))
	}
	if err := tags.Validate(a.Tags); err != nil {
		errs = append(errs, fmt.Errorf("Tags: %w", err))
	}
	if a.PlatformStack == "" {
		errs = append(errs, errors.New("PlatformStack: is required (the stack whose alarm topic and JWT settings the service uses)"))
	}
	if a.LogRetentionDays != 0 && !logs.ValidRetention(a.LogRetentionDays) {
		errs = append(errs, fmt.Errorf("LogRetentionDays: %d is not one of CloudWatch's retention values (%s)",
			a.LogRetentionDays, logs.RetentionValues()))
	}
	if err := a.Release.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("Release: %w", err))
	}
	return errors.Join(errs...)
}

// New creates the Service of a bounded context: its key and its reference to the platform.
// Declare members with its methods, then call Finish.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Service, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(); err != nil {
		return nil, fmt.Errorf("service %q: %w", name, err)
	}
	// Every function of the context builds on one Builder, so their builds share one bound on
	// parallelism, unless the driver already gave one for every project it runs.
	s := &Service{ctx: function.EnsureBuilder(ctx), name: name, handlers: args.HandlersDir,
		traffic: args.Release, generations: args.TableGenerations}
	if s.handlers == "" {
		dir, err := project.Dir(ctx)
		if err != nil {
			return nil, fmt.Errorf("service %q: HandlersDir: %w", name, err)
		}
		s.handlers = filepath.Join(dir, "handlers")
	}
	if err := ctx.RegisterComponentResource(TypeToken, name, s, opts...); err != nil {
		return nil, fmt.Errorf("service %q: %w", name, err)
	}
	region, err := aws.GetRegion(ctx, nil, pulumi.Parent(s))
	if err != nil {
		return nil, fmt.Errorf("service %q: reading the region: %w", name, err)
	}
	identity, err := aws.GetCallerIdentity(ctx, nil, pulumi.Parent(s))
	if err != nil {
		return nil, fmt.Errorf("service %q: reading the account: %w", name, err)
	}
	// The members' scope, completed below with the key and the platform's alarm topic.
	sc := scope.Scope{Naming: args.Naming, Tags: args.Tags, LogRetentionDays: args.LogRetentionDays, Protect: args.Protect}
	s.Key, err = key.New(ctx, "key", &key.Args{
		Scope:          sc,
		Description:    args.Naming.Prefix() + " data",
		Administrators: args.KeyAdministrators,
		Services:       keyServices(args.Naming, region.Name, identity.AccountId),
	}, pulumi.Parent(s))
	if err != nil {
		return nil, fmt.Errorf("service %q: %w", name, err)
	}
	platform, err := stackref.New(ctx, args.PlatformStack, pulumi.Parent(s))
	if err != nil {
		return nil, fmt.Errorf("service %q: %w", name, err)
	}
	s.platform = platform
	s.JWTIssuer = platform.String(contract.JWTIssuer)
	s.JWTAudiences = platform.StringList(contract.JWTAudiences)
	s.DeployRoleArn = platform.String(contract.DeployRoleArn)
	s.releaser = platform.String(contract.ReleaseFunctionArn)
	sc.KeyArn, sc.AlarmTopicArn = s.Key.Arn, platform.String(contract.AlarmTopicArn)
	// The CI deploy role creates only roles that carry the platform's boundary.
	sc.PermissionsBoundaryArn = platform.String(contract.PermissionsBoundaryArn)
	sc.LogDestinationArn = platform.String(contract.LogDestinationArn)
	s.Scope = sc
	return s, nil
}

// keyServices are the AWS services that use the context's key: CloudWatch Logs for the log
// groups of the context's functions and HTTP APIs, and SNS to deliver to the context's
// encrypted queues (queue subscriptions and function subscriptions' dead-letter queues).
// SNS's topics are this environment's, not the exact topics the queues subscribe to: the key
// exists before any subscription, and a context subscribes to other contexts' topics. Each
// queue's policy names its exact topics (aws:SourceArn), and SNS must pass it before it
// uses the key.
func keyServices(n naming.Scope, region, account string) []key.Service {
	logGroup := func(prefix string) pulumi.StringInput {
		return pulumi.Sprintf("arn:aws:logs:%s:%s:log-group:%s%s-*", region, account, prefix, n.Prefix())
	}
	return []key.Service{
		{Principal: iam.LogsService(region), SourceArns: []pulumi.StringInput{logGroup("/aws/lambda/"), logGroup("/aws/apigateway/")}},
		{Principal: iam.ServiceSNS, SourceArns: []pulumi.StringInput{
			pulumi.Sprintf("arn:aws:sns:%s:%s:%s-%s-*", region, account, n.Org, n.Env)}},
	}
}

// Handler returns the directory of the handler package name, for a function whose name is
// not its handler's (two major versions of an API served by one handler).
func (s *Service) Handler(name string) string {
	return filepath.Join(s.handlers, name)
}

// Function creates a function of the context. Scope is filled in; Source defaults to the
// handler package named like the function, OnFailure to the context's failures queue, and
// Release to the context's release settings (releaseOf).
func (s *Service) Function(name string, args function.Args) (*function.Function, error) {
	return s.function(name, args)
}

// function is Function with resource options.
func (s *Service) function(name string, args function.Args, opts ...pulumi.ResourceOption) (*function.Function, error) {
	args.Scope = s.Scope
	if args.Source == "" && args.Archive == "" {
		args.Source = s.Handler(name)
	}
	if args.OnFailure == nil {
		q, err := s.failures()
		if err != nil {
			return nil, err
		}
		args.OnFailure = q.Arn
	}
	rel, err := s.releaseOf(args.Release)
	if err != nil {
		return nil, s.wrap(fmt.Errorf("function %q: %w", name, err))
	}
	args.Release = rel
	f, err := function.New(s.ctx, name, &args, append([]pulumi.ResourceOption{pulumi.Parent(s)}, opts...)...)
	if err != nil {
		return nil, s.wrap(err)
	}
	s.members = append(s.members, f)
	return f, nil
}

// failures returns the context's failures queue, created on first use.
func (s *Service) failures() (*queue.Queue, error) {
	if s.Failures == nil {
		// Nothing consumes it: keep failed events as long as SQS can, for someone to look at.
		q, err := s.Queue("failures", queue.Args{Retention: 14 * 24 * time.Hour})
		if err != nil {
			return nil, err
		}
		s.Failures = q
	}
	return s.Failures, nil
}

// Table creates a DynamoDB table of the context. A declared Migration is completed from the
// context's tables.lock.json and Args.TableGenerations, and a replication gets its
// replicator and backfill functions (migration.go).
func (s *Service) Table(name string, args table.Args) (*table.Table, error) {
	args.Scope = s.Scope
	if err := s.declareMigration(name, &args); err != nil {
		return nil, s.wrap(err)
	}
	t, err := table.New(s.ctx, name, &args, pulumi.Parent(s))
	if err != nil {
		return nil, s.wrap(err)
	}
	s.members = append(s.members, t)
	if err := s.migrationFunctions(name, t); err != nil {
		return nil, err
	}
	return t, nil
}

// Queue creates an SQS queue (with its dead-letter queue) of the context.
func (s *Service) Queue(name string, args queue.Args) (*queue.Queue, error) {
	args.Scope = s.Scope
	q, err := queue.New(s.ctx, name, &args, pulumi.Parent(s))
	if err != nil {
		return nil, s.wrap(err)
	}
	s.members = append(s.members, q)
	return q, nil
}

// Consumer makes args.Function consume q.
func (s *Service) Consumer(name string, q *queue.Queue, args queue.ConsumerArgs) (*queue.Consumer, error) {
	c, err := queue.NewConsumer(s.ctx, name, q, &args, pulumi.Parent(s))
	return c, s.wrap(err)
}

// Topic creates an SNS topic of the context.
func (s *Service) Topic(name string, args topic.Args) (*topic.Topic, error) {
	args.Scope = s.Scope
	t, err := topic.New(s.ctx, name, &args, pulumi.Parent(s))
	return t, s.wrap(err)
}

// Subscribe delivers t's messages (of args.EventTypes) to args.Queue. t may be a topic of
// another context (topic.Existing).
func (s *Service) Subscribe(name string, t *topic.Topic, args topic.QueueSubscriptionArgs) (*topic.QueueSubscription, error) {
	sub, err := topic.NewQueueSubscription(s.ctx, name, t, &args, pulumi.Parent(s))
	return sub, s.wrap(err)
}

// API creates an HTTP API of the context from its spec. Unless args.Authorizer is set, its
// routes trust the platform's JWT issuer and audiences; unless args.Domain is set, it is
// mapped onto the platform's custom domain when the platform has one.
func (s *Service) API(name string, args httpapi.Args) (*httpapi.API, error) {
	args.Scope = s.Scope
	if args.Authorizer == nil {
		args.Authorizer = &httpapi.JWT{Issuer: s.JWTIssuer, Audiences: s.JWTAudiences}
	}
	if args.Domain == nil {
		domain, err := s.platform.Resolve(contract.APIDomainName)
		if err != nil {
			return nil, s.wrap(fmt.Errorf("api %q: %w", name, err))
		}
		if domain != "" {
			args.Domain = &httpapi.Domain{Name: domain}
		}
	}
	a, err := httpapi.New(s.ctx, name, &args, pulumi.Parent(s))
	if err != nil {
		return nil, s.wrap(err)
	}
	s.members = append(s.members, a)
	return a, nil
}

// Schedule invokes args.Function on a schedule.
func (s *Service) Schedule(name string, args schedule.Args) (*schedule.Schedule, error) {
	args.Scope = s.Scope
	sch, err := schedule.New(s.ctx, name, &args, pulumi.Parent(s))
	return sch, s.wrap(err)
}

// Finish creates the dashboard of the members declared so far and completes the component.
// Call it once, after the last member.
func (s *Service) Finish() error {
	if s.finished {
		return fmt.Errorf("service %q: Finish called twice", s.name)
	}
	s.finished = true
	dashboard, err := s.dashboard()
	if err != nil {
		return s.wrap(err)
	}
	outputs := pulumi.Map{"keyArn": s.Key.Arn}
	if dashboard != nil {
		outputs["dashboardArn"] = dashboard.DashboardArn
	}
	return s.wrap(s.ctx.RegisterResourceOutputs(s, outputs))
}

func (s *Service) wrap(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("service %q: %w", s.name, err)
}
