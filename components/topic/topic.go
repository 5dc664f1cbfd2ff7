// Package topic provides Topic: an SNS topic encrypted with the context's KMS key, with a
// TLS-only topic policy that lets only named principals publish; and its subscriptions:
// QueueSubscription (to a queue.Queue) and FunctionSubscription (to a function.Function).
//
// Default settings:
//   - a standard topic (FIFO when Args.FIFO, named with the ".fifo" suffix);
//   - name `<org>-<env>-<context>-<name>`, the scope's tags;
//   - encrypted with the scope's KMS key;
//   - one topic policy, owned by the Topic: it denies every listed SNS action to anyone not
//     using TLS (aws:SecureTransport false); it denies sns:Publish to every principal but the
//     producing context's roles (`arn:aws:iam::<account>:role/<org>-<env>-<context>-*`) and
//     the principals in Args.Publishers, whatever their IAM policies allow (aws:PrincipalArn),
//     so that another context's role, an administrator or a user of the account cannot
//     forge the context's events; and it allows sns:Publish to Args.Publishers and to the
//     AWS services in Args.ServicePublishers on behalf of one account (aws:SourceAccount);
//   - subscriptions deliver raw messages, optionally filtered on the message attribute
//     `type`; a function subscription has its own encrypted dead-letter queue, alarmed when
//     not empty.
//
// Keys: SNS uses the scope's key on the platform's behalf to deliver to encrypted queues
// (queue subscriptions and every function subscription's dead-letter queue), and AWS
// services that publish to the topic need it too. The key policy must therefore let
// sns.amazonaws.com use the key: that is the key owner's job (components/key, Args.Services
// listing iam.ServiceSNS). Publishers in this account get the key through AllowPublish.
//
// Queue subscriptions: a queue has exactly one policy, owned by queue.Queue, so the
// statement letting this topic deliver must be in it when the queue is created. Create the
// queue with Publishers: []queue.Publisher{t.QueuePublisher()}; NewQueueSubscription refuses
// a queue that does not list the topic.
package topic

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/components/queue"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/tokens"
)

// TypeToken is the Pulumi type of Topic; renaming it needs an alias.
const TypeToken = tokens.Topic

// maxPublishers is the most principals one topic policy statement may name.
const maxPublishers = 200

// Args configures a Topic. The zero value is valid except for Scope.
type Args struct {
	// Scope names the topic and supplies the KMS key and tags. Required.
	Scope scope.Scope
	// FIFO makes the topic a FIFO topic (ordering within a message group, deduplication);
	// it can then deliver only to SQS queues. Default: false.
	FIFO bool
	// Publishers are IAM principal ARNs (roles or users) that the topic policy allows to call
	// sns:Publish besides the scope's roles, which publish with their own IAM allow
	// (AllowPublish) and need no entry here. Every other principal is denied sns:Publish,
	// whatever its IAM policy says. A principal of another account needs both an entry here
	// and an IAM allow in its account, and its use of the scope's key must be allowed by the
	// key policy. At most 200. Default: none.
	Publishers []pulumi.StringInput
	// ServicePublishers are the AWS services the topic policy allows to call sns:Publish,
	// each only on behalf of one account's resources (CloudWatch alarms of this account, for
	// the platform's alarm topic). Default: none.
	ServicePublishers []ServicePublisher
	// Overrides change the children's arguments before the component re-applies the fields it
	// owns. Default: none.
	Overrides Overrides
}

// ServicePublisher is an AWS service that may publish to the topic on behalf of the
// resources of one account.
type ServicePublisher struct {
	// Service is the service principal, for example "cloudwatch.amazonaws.com". Required.
	Service iam.Service
	// SourceAccount is the account whose resources the service publishes for
	// (aws:SourceAccount), so that another account's resources cannot make it publish here
	// (the confused deputy problem). Required.
	SourceAccount pulumi.StringInput
	// SourceArns narrow the publishers further to these resources (aws:SourceArn, ArnLike).
	// Default: any resource of SourceAccount.
	SourceArns []pulumi.StringInput
}

// Overrides are hooks on the children's arguments. They run before the component re-applies
// the fields it owns, which a hook therefore cannot change: the name, FIFO, encryption and
// the policy (owned by the topic policy resource). Tags are set before the hook, which may
// add to them.
type Overrides struct {
	// Topic changes the sns.TopicArgs. Default: none.
	Topic func(*sns.TopicArgs)
}

// Topic is an encrypted SNS topic with its topic policy.
type Topic struct {
	pulumi.ResourceState

	// Topic is the SNS topic.
	Topic *sns.Topic
	// Policy is the topic policy.
	Policy *sns.TopicPolicy

	// Arn and Name identify the topic.
	Arn, Name pulumi.StringOutput

	// FIFO reports whether the topic is a FIFO topic.
	FIFO bool

	name   string
	scope  scope.Scope
	keyArn pulumi.StringInput
}

// Validate reports every problem with args at once.
func (a *Args) Validate() error {
	var errs []error
	// A topic creates no alarm: the platform's alarm topic is a topic.
	if err := a.Scope.ValidateUnalarmed(); err != nil {
		errs = append(errs, err)
	}
	if len(a.Publishers) > maxPublishers {
		errs = append(errs, fmt.Errorf("Publishers: %d principals is more than %d, SNS's limit for one statement", len(a.Publishers), maxPublishers))
	}
	for i, p := range a.Publishers {
		if p == nil {
			errs = append(errs, fmt.Errorf("Publishers[%d]: is nil", i))
			continue
		}
		// Outputs are checked when the policy renders; literals can be checked now.
		if lit, ok := p.(pulumi.String); ok && !isIAMArn(string(lit)) {
			errs = append(errs, fmt.Errorf("Publishers[%d]: %q is not an IAM principal ARN (arn:aws:iam::<account>:role/<name>)", i, string(lit)))
		}
	}
	seen := map[iam.Service]int{}
	for i, p := range a.ServicePublishers {
		field := fmt.Sprintf("ServicePublishers[%d]", i)
		switch first, dup := seen[p.Service]; {
		case !strings.HasSuffix(string(p.Service), ".amazonaws.com"):
			errs = append(errs, fmt.Errorf("%s.Service: %q is not a service principal such as cloudwatch.amazonaws.com", field, p.Service))
		case dup:
			errs = append(errs, fmt.Errorf("%s.Service: %q is also ServicePublishers[%d]; list each service once", field, p.Service, first))
		default:
			seen[p.Service] = i
		}
		if p.SourceAccount == nil {
			errs = append(errs, fmt.Errorf("%s.SourceAccount: is required: without it any account's resources could make %s publish", field, p.Service))
		}
		for j, arn := range p.SourceArns {
			if arn == nil {
				errs = append(errs, fmt.Errorf("%s.SourceArns[%d]: is nil", field, j))
			}
		}
	}
	return errors.Join(errs...)
}

// withDefaults returns the Args with every default filled in. Every field's zero value is
// its default; the step exists so that a default added later has its one place.
func (a *Args) withDefaults() Args {
	return *a
}

// isIAMArn reports whether s looks like the ARN of an IAM principal.
func isIAMArn(s string) bool {
	parts := strings.SplitN(s, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[1] != "" && parts[2] == "iam" &&
		parts[3] == "" && parts[4] != "" && parts[5] != "" && !strings.Contains(s, "*")
}

// New creates a Topic.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Topic, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(); err != nil {
		return nil, fmt.Errorf("topic %q: %w", name, err)
	}
	a := args.withDefaults()
	t := &Topic{FIFO: a.FIFO, name: name, scope: a.Scope, keyArn: a.Scope.KeyArn}
	if err := ctx.RegisterComponentResource(TypeToken, name, t, opts...); err != nil {
		return nil, fmt.Errorf("topic %q: %w", name, err)
	}
	kind := naming.SNSTopic
	if a.FIFO {
		kind = naming.SNSFIFOTopic
	}
	topicArgs := override.Apply(&sns.TopicArgs{Tags: a.Scope.TagMap()}, a.Overrides.Topic, func(ta *sns.TopicArgs) {
		ta.Name = pulumi.String(a.Scope.Name(kind, name))
		ta.NamePrefix = nil
		ta.FifoTopic = pulumi.Bool(a.FIFO)
		ta.KmsMasterKeyId = a.Scope.KeyArn
		ta.Policy = nil
	})
	var err error
	t.Topic, err = sns.NewTopic(ctx, name, topicArgs, pulumi.Parent(t))
	if err != nil {
		return nil, fmt.Errorf("topic %q: %w", name, err)
	}

	identity, err := aws.GetCallerIdentity(ctx, nil, pulumi.Parent(t))
	if err != nil {
		return nil, fmt.Errorf("topic %q: reading the account: %w", name, err)
	}
	producers := fmt.Sprintf("arn:aws:iam::%s:role/%s-*", identity.AccountId, a.Scope.Naming.Prefix())
	doc, err := iam.Document(topicStatements(t.Topic.Arn, producers, a.Publishers, a.ServicePublishers))
	if err != nil {
		return nil, fmt.Errorf("topic %q: topic policy: %w", name, err)
	}
	t.Policy, err = sns.NewTopicPolicy(ctx, naming.Child(name, "policy"), &sns.TopicPolicyArgs{
		Arn: t.Topic.Arn, Policy: doc,
	}, pulumi.Parent(t))
	if err != nil {
		return nil, fmt.Errorf("topic %q: topic policy: %w", name, err)
	}

	t.Arn, t.Name = t.Topic.Arn, t.Topic.Name
	if err := ctx.RegisterResourceOutputs(t, pulumi.Map{"arn": t.Arn, "name": t.Name}); err != nil {
		return nil, fmt.Errorf("topic %q: %w", name, err)
	}
	return t, nil
}

// insecureActions are every action a topic policy can name (SNS refuses others), listed
// exactly because the platform never writes `sns:*`.
func insecureActions() []string {
	return []string{
		"sns:AddPermission", "sns:DeleteTopic", "sns:GetDataProtectionPolicy", "sns:GetTopicAttributes",
		"sns:ListSubscriptionsByTopic", "sns:ListTagsForResource", "sns:Publish",
		"sns:PutDataProtectionPolicy", "sns:RemovePermission", "sns:SetTopicAttributes", "sns:Subscribe",
	}
}

// topicStatements is the topic policy: TLS only, sns:Publish denied to every principal but
// the producers (the ArnLike pattern of the scope's roles) and the named publishers, and
// allowed to the named publishers and services. SNS wants a Sid on every statement.
func topicStatements(topicArn pulumi.StringInput, producers string, publishers []pulumi.StringInput, services []ServicePublisher) iam.Statements {
	everyone := []iam.Principal{{Type: iam.PrincipalAWS, Identifiers: []pulumi.StringInput{pulumi.String("*")}}}
	stmts := iam.Statements{{
		Sid:        "DenyInsecureTransport",
		Effect:     iam.Deny,
		Principals: everyone,
		Actions:    insecureActions(),
		Resources:  []pulumi.StringInput{topicArn},
		Conditions: []iam.Condition{{Test: "Bool", Variable: "aws:SecureTransport",
			Values: []pulumi.StringInput{pulumi.String("false")}}},
	}, {
		// A service principal has no aws:PrincipalArn, which ArnNotLike would deny: services
		// are left to the allow statements, which name them with their source account.
		Sid:        "DenyPublishOutsideProducers",
		Effect:     iam.Deny,
		Principals: everyone,
		Actions:    []string{"sns:Publish"},
		Resources:  []pulumi.StringInput{topicArn},
		Conditions: []iam.Condition{
			{Test: "ArnNotLike", Variable: "aws:PrincipalArn", Values: append([]pulumi.StringInput{pulumi.String(producers)}, publishers...)},
			{Test: "Bool", Variable: "aws:PrincipalIsAWSService", Values: []pulumi.StringInput{pulumi.String("false")}},
		},
	}}
	if len(publishers) > 0 {
		stmts = append(stmts, iam.Statement{
			Sid:        "AllowNamedPublishers",
			Principals: []iam.Principal{{Type: iam.PrincipalAWS, Identifiers: publishers}},
			Actions:    []string{"sns:Publish"},
			Resources:  []pulumi.StringInput{topicArn},
		})
	}
	for _, p := range services {
		conditions := []iam.Condition{{Test: "StringEquals", Variable: "aws:SourceAccount",
			Values: []pulumi.StringInput{p.SourceAccount}}}
		if len(p.SourceArns) > 0 {
			conditions = append(conditions, iam.Condition{Test: "ArnLike", Variable: "aws:SourceArn", Values: p.SourceArns})
		}
		stmts = append(stmts, iam.Statement{
			Sid:        iam.GrantSid("Service", strings.TrimSuffix(string(p.Service), ".amazonaws.com"), "Publish"),
			Principals: []iam.Principal{{Type: iam.PrincipalService, Identifiers: []pulumi.StringInput{pulumi.String(p.Service)}}},
			Actions:    []string{"sns:Publish"},
			Resources:  []pulumi.StringInput{topicArn},
			Conditions: conditions,
		})
	}
	return stmts
}

// AllowPublish grants publishing to the topic, and the use of the scope's key that
// publishing to an encrypted topic needs, through SNS only (for an Existing topic, the key it
// was given, if any).
func (t *Topic) AllowPublish() iam.Statements {
	stmts := iam.Statements{
		{Sid: iam.GrantSid(TypeToken, t.name, "Publish"), Actions: []string{"sns:Publish"},
			Resources: []pulumi.StringInput{t.Arn}},
	}
	if t.keyArn != nil {
		stmts = append(stmts, iam.Statement{Sid: iam.GrantSid(TypeToken, t.name, "PublishKey"),
			Actions: []string{"kms:Decrypt", "kms:GenerateDataKey"}, Resources: []pulumi.StringInput{t.keyArn},
			Conditions: []iam.Condition{iam.ViaService("sns", t.keyArn)}})
	}
	return stmts
}

// QueuePublisher returns the entry a queue lists in queue.Args.Publishers so that this topic
// may deliver to it.
func (t *Topic) QueuePublisher() queue.Publisher {
	return queue.Publisher{TopicArn: t.Arn}
}
