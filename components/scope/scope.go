// Package scope is what every component receives from the bounded context that creates it:
// naming, tags, the context's KMS key, the platform alarm topic, log retention, the platform
// log destination, whether stateful resources are protected and the permissions boundary of
// the roles components create. Components never read config; the service component (or a
// test) fills a Scope from it.
package scope

import (
	"errors"
	"fmt"
	"strings"

	awsiam "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/logs"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/tags"
)

// Scope is the shared part of every component's Args.
type Scope struct {
	// Naming is the org, environment and context that prefix every physical name. Required.
	Naming naming.Scope
	// Tags are added to every taggable child. Default: none.
	Tags map[string]string
	// KeyArn is the KMS key that encrypts data at rest (tables, queues, topics, logs,
	// function environments). Required.
	KeyArn pulumi.StringInput
	// AlarmTopicArn is the SNS topic every alarm notifies. Required.
	AlarmTopicArn pulumi.StringInput
	// LogRetentionDays is the retention of every log group; it must be one of CloudWatch's
	// values. Default: 30.
	LogRetentionDays int
	// LogDestinationArn is the platform's CloudWatch Logs destination, which every log group
	// a component creates subscribes to (SubscribeLogs). The service fills it from the
	// platform stack; it is never config. Default: none, and log groups get no subscription
	// filter (a component's own tests).
	LogDestinationArn pulumi.StringInput
	// Protect marks stateful resources protected and retained on delete, and turns on
	// deletion protection where AWS has it. Default: false.
	Protect bool
	// PermissionsBoundaryArn is the managed policy every role a component creates carries
	// as its permissions boundary: the platform's boundary, without which the CI deploy role
	// may not create a role. Default: none (roles have no boundary).
	PermissionsBoundaryArn pulumi.StringInput
}

// Validate reports every problem with the scope at once; field names are prefixed "Scope.".
func (s Scope) Validate() error {
	return s.validate(true, true)
}

// ValidateUnkeyed is Validate for a scope whose KeyArn and AlarmTopicArn may be missing: the
// scope of a KMS key (components/key), which exists before the key that KeyArn will name
// and, in the platform stack, before the alarm topic it encrypts.
func (s Scope) ValidateUnkeyed() error {
	return s.validate(false, false)
}

// ValidateUnalarmed is Validate for a component that creates no alarm, whose scope may
// lack AlarmTopicArn: a topic, for the platform's alarm topic is one, and no alarm topic
// exists before it.
func (s Scope) ValidateUnalarmed() error {
	return s.validate(true, false)
}

// validate reports every problem with the scope; keyed requires KeyArn, alarmed
// AlarmTopicArn.
func (s Scope) validate(keyed, alarmed bool) error {
	var errs []error
	if err := s.Naming.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("Scope.Naming: %w", err))
	}
	if err := tags.Validate(s.Tags); err != nil {
		errs = append(errs, fmt.Errorf("Scope.Tags: %w", err))
	}
	if keyed && s.KeyArn == nil {
		errs = append(errs, errors.New("Scope.KeyArn: is required (the KMS key that encrypts data at rest)"))
	}
	if alarmed && s.AlarmTopicArn == nil {
		errs = append(errs, errors.New("Scope.AlarmTopicArn: is required (the SNS topic alarms notify)"))
	}
	if s.LogRetentionDays != 0 && !logs.ValidRetention(s.LogRetentionDays) {
		errs = append(errs, fmt.Errorf("Scope.LogRetentionDays: %d is not one of CloudWatch's retention values (%s)",
			s.LogRetentionDays, logs.RetentionValues()))
	}
	// Outputs are checked by IAM when the role is created; a literal can be checked now.
	if lit, ok := s.PermissionsBoundaryArn.(pulumi.String); ok && !isPolicyArn(string(lit)) {
		errs = append(errs, fmt.Errorf("Scope.PermissionsBoundaryArn: %q is not a customer managed policy ARN "+
			"(arn:aws:iam::<account>:policy/<name>)", string(lit)))
	}
	return errors.Join(errs...)
}

// isPolicyArn reports whether s looks like the ARN of a customer managed policy.
func isPolicyArn(s string) bool {
	parts := strings.SplitN(s, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[1] != "" && parts[2] == "iam" && parts[3] == "" &&
		parts[4] != "" && parts[4] != "aws" && strings.HasPrefix(parts[5], "policy/") && len(parts[5]) > len("policy/") &&
		!strings.ContainsAny(s, "*?")
}

// Bound sets the permissions boundary of a role a component creates to the scope's, when the
// scope has one. Components call it where they re-apply the fields they own, so that no
// Overrides hook can remove or replace the boundary.
func (s Scope) Bound(role *awsiam.RoleArgs) {
	if s.PermissionsBoundaryArn != nil {
		role.PermissionsBoundary = s.PermissionsBoundaryArn.ToStringOutput().ToStringPtrOutput()
	}
}

// Retention returns the log retention in days, with the default applied.
func (s Scope) Retention() int {
	if s.LogRetentionDays == 0 {
		return 30
	}
	return s.LogRetentionDays
}

// Name returns the physical name of a child of the given kind.
func (s Scope) Name(kind naming.Kind, name string) string {
	return s.Naming.Physical(kind, name)
}

// TagMap returns the tags as a Pulumi input.
func (s Scope) TagMap() pulumi.StringMap {
	return pulumi.ToStringMap(s.Tags)
}

// LogGroup returns the resource options of a log group with a fixed name. Where the scope
// protects stateful resources, the group is retained on delete: renaming or removing a
// function or an API leaves its logs in place, to expire with their retention. It is not
// deleted before replacement there: a replacement under the same name cannot succeed while
// the retained group exists, and creating first fails with the group still in the state,
// where deleting (releasing) first would drop it from the state and then fail. Elsewhere the
// group is deleted before it is replaced, since the writer finds it by name and a
// replacement cannot coexist with it. It is never protected: a protected group would stop
// every rename.
func (s Scope) LogGroup() []pulumi.ResourceOption {
	if s.Protect {
		return []pulumi.ResourceOption{pulumi.RetainOnDelete(true)}
	}
	return []pulumi.ResourceOption{pulumi.DeleteBeforeReplace(true)}
}

// Stateful returns the resource options of a stateful child: protected and retained on
// delete when the scope protects stateful resources.
func (s Scope) Stateful() []pulumi.ResourceOption {
	if !s.Protect {
		return nil
	}
	return []pulumi.ResourceOption{pulumi.Protect(true), pulumi.RetainOnDelete(true)}
}
