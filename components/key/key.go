// Package key provides Key: a customer-managed KMS key with automatic rotation, an alias, and a
// key policy that separates administering the key from using it.
//
// Default settings:
//   - symmetric encryption key, rotation on, 30-day deletion window;
//   - alias `alias/<org>-<env>-<context>-<name>`;
//   - key policy, every statement exact (no `kms:*`, no `kms:Get*`):
//   - administration (iam.KMSAdministrativeActions: describe, enable, disable, rotate, tag,
//     alias, change the policy, schedule and cancel deletion; nothing cryptographic) for the
//     administrators (Args.Administrators, by default the environment's CI deploy role
//     `<org>-<env>-platform-ci-deploy`) and the account's root user;
//   - administrators use the key only through AWS services, for what a deploy writes
//     itself: Decrypt, Encrypt and GenerateDataKey through Lambda (a function's environment)
//     and Secrets Manager (a secret's value), and CreateGrant only for AWS resources
//     (kms:GrantIsForAWSResource) through DynamoDB and Lambda (a table's, a function's grant);
//   - the cryptographic actions (Decrypt, Encrypt, GenerateDataKey*, ReEncrypt*) for the
//     scope's roles, `arn:aws:iam::<account>:role/<org>-<env>-<context>-*`, but never an
//     administrator whose name shares that prefix;
//   - each service of Args.Services only for the resources it names: CloudWatch Logs for
//     its log groups (kms:EncryptionContext:aws:logs:arn), any other service for its
//     source resources of this account (aws:SourceArn, aws:SourceAccount);
//   - the caller's Statements follow, for a service whose use a condition narrows to one
//     resource (CloudTrail to one trail);
//   - the scope's tags;
//   - protect and retainOnDelete when the scope protects stateful resources (data encrypted
//     with a deleted key is lost).
//
// Why this shape. Every statement about principals of the account names the account (its
// root) as principal and the principals by an aws:PrincipalArn condition. With the account
// as principal, a principal still needs an IAM allow, so IAM can narrow; with the
// condition, IAM cannot widen: an administrator of the account with kms:* on "*" in IAM can
// neither decrypt the context's data nor grant it onward, and another context's roles
// cannot use the key at all. A key policy must let some principal administer the key, or
// the key can be repaired only by AWS Support: the administrators and the account's root
// user (a credential kept locked away) can. Administration includes kms:PutKeyPolicy, so
// an administrator could rewrite the policy to use the key; that is a change to the key
// policy, visible in CloudTrail and undone by the next deploy, not a standing permission.
// KMS also refuses a policy that would keep its author from changing it again, so the
// principal that deploys a key must be one of its administrators.
package key

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/tokens"
)

// TypeToken is the Pulumi type of Key; renaming it needs an alias.
const TypeToken = tokens.Key

// Limits and defaults of the deletion window, in days.
const (
	minDeletionWindowDays, maxDeletionWindowDays = 7, 30
	defaultDeletionWindowDays                    = 30
)

// Args configures a Key.
type Args struct {
	// Scope names the key's alias, tags the key and, with Protect, protects it. The key is
	// what a scope's KeyArn names, so KeyArn and AlarmTopicArn are not used and may be
	// missing. Required.
	Scope scope.Scope
	// Description describes the key in the KMS console. Default: "<scope prefix>-<name> key".
	Description string
	// Administrators are the ARNs of the roles (in the key's account) that administer the key
	// and use it only through AWS services, for what a deploy writes; the principal that
	// deploys the key must be one. Default: the environment's CI deploy role,
	// arn:aws:iam::<account>:role/<org>-<env>-platform-ci-deploy (contract.DeployRoleName).
	Administrators []string
	// Services are the AWS services that may use the key on this account's behalf, each for
	// the resources it names: CloudWatch Logs for the scope's log groups, SNS for the topics
	// that deliver to the scope's encrypted queues. Default: none.
	Services []Service
	// Statements are further statements of the key policy, after the services': for a
	// service whose use a condition narrows to one resource (CloudTrail, by aws:SourceArn
	// and its encryption context). Each needs a Sid and principals, and an Allow for an AWS
	// service an aws:SourceArn or aws:SourceAccount condition. Default: none.
	Statements iam.Statements
	// DeletionWindowDays is how long a deleted key can still be recovered, 7 to 30.
	// Default: 30.
	DeletionWindowDays int
	// Overrides change the children's arguments before the component re-applies the fields it
	// owns (rotation, policy). Default: none.
	Overrides Overrides
}

// Overrides are hooks on the children's arguments.
type Overrides struct {
	// Key changes the kms.KeyArgs. Default: none.
	Key func(*kms.KeyArgs)
	// Alias changes the kms.AliasArgs. Default: none.
	Alias func(*kms.AliasArgs)
}

// Key is a customer-managed KMS key with its alias.
type Key struct {
	pulumi.ResourceState

	// Key is the KMS key.
	Key *kms.Key
	// Alias is the key's alias.
	Alias *kms.Alias
	// Arn is the key's ARN.
	Arn pulumi.StringOutput

	name string
}

// Validate reports every problem with args at once.
func (a *Args) Validate() error {
	var errs []error
	if err := a.Scope.ValidateUnkeyed(); err != nil {
		errs = append(errs, err)
	}
	if a.DeletionWindowDays != 0 && (a.DeletionWindowDays < minDeletionWindowDays || a.DeletionWindowDays > maxDeletionWindowDays) {
		errs = append(errs, fmt.Errorf("DeletionWindowDays: %d is not between %d and %d",
			a.DeletionWindowDays, minDeletionWindowDays, maxDeletionWindowDays))
	}
	errs = append(errs, validateAdministrators(a.Administrators)...)
	for i, s := range a.Services {
		if s.Principal == "" {
			errs = append(errs, fmt.Errorf("Services[%d].Principal: empty service principal", i))
		}
		if len(s.SourceArns) == 0 {
			errs = append(errs, fmt.Errorf("Services[%d].SourceArns: none given; without them any resource of any account could make %q use the key",
				i, s.Principal))
		}
		for j, arn := range s.SourceArns {
			if arn == nil {
				errs = append(errs, fmt.Errorf("Services[%d].SourceArns[%d]: is nil", i, j))
			}
		}
	}
	errs = append(errs, validateStatements(a.Statements)...)
	return errors.Join(errs...)
}

// withDefaults returns the Args of key name with every default filled in.
func (a *Args) withDefaults(name string) Args {
	d := *a
	if d.DeletionWindowDays == 0 {
		d.DeletionWindowDays = defaultDeletionWindowDays
	}
	if d.Description == "" {
		d.Description = d.Scope.Naming.Prefix() + "-" + name + " key"
	}
	return d
}

// New creates a Key.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Key, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(); err != nil {
		return nil, fmt.Errorf("key %q: %w", name, err)
	}
	a := args.withDefaults(name)

	k := &Key{name: name}
	if err := ctx.RegisterComponentResource(TypeToken, name, k, opts...); err != nil {
		return nil, fmt.Errorf("key %q: %w", name, err)
	}
	identity, err := aws.GetCallerIdentity(ctx, nil, pulumi.Parent(k))
	if err != nil {
		return nil, fmt.Errorf("key %q: reading the account: %w", name, err)
	}
	region, err := aws.GetRegion(ctx, nil, pulumi.Parent(k))
	if err != nil {
		return nil, fmt.Errorf("key %q: reading the region: %w", name, err)
	}
	admins := a.Administrators
	if len(admins) == 0 {
		admins = defaultAdministrators(identity.AccountId, a.Scope.Naming.Org, a.Scope.Naming.Env)
	}
	if err := checkAdministrators(admins, identity.AccountId); err != nil {
		return nil, fmt.Errorf("key %q: %w", name, err)
	}
	policy, err := iam.KeyPolicy(append(keyStatements(policyArgs{
		account: identity.AccountId, region: region.Name, admins: admins, services: a.Services,
		users:   fmt.Sprintf("arn:aws:iam::%s:role/%s-*", identity.AccountId, a.Scope.Naming.Prefix()),
		ciRoles: fmt.Sprintf("arn:aws:iam::%s:role/%s-*", identity.AccountId, contract.CIRolePrefix(a.Scope.Naming.Org, a.Scope.Naming.Env)),
	}), a.Statements...))
	if err != nil {
		return nil, fmt.Errorf("key %q: key policy: %w", name, err)
	}

	keyArgs := override.Apply(&kms.KeyArgs{Tags: a.Scope.TagMap()}, a.Overrides.Key, func(ka *kms.KeyArgs) {
		ka.Description = pulumi.String(a.Description)
		ka.EnableKeyRotation = pulumi.Bool(true)
		ka.KeyUsage = pulumi.String("ENCRYPT_DECRYPT")
		ka.CustomerMasterKeySpec = pulumi.String("SYMMETRIC_DEFAULT")
		ka.DeletionWindowInDays = pulumi.Int(a.DeletionWindowDays)
		ka.Policy = policy
	})
	k.Key, err = kms.NewKey(ctx, name, keyArgs, append([]pulumi.ResourceOption{pulumi.Parent(k)}, a.Scope.Stateful()...)...)
	if err != nil {
		return nil, fmt.Errorf("key %q: %w", name, err)
	}

	aliasArgs := override.Apply(&kms.AliasArgs{}, a.Overrides.Alias, func(aa *kms.AliasArgs) {
		aa.Name = pulumi.String(a.Scope.Name(naming.KMSAlias, name))
		aa.NamePrefix = nil
		aa.TargetKeyId = k.Key.KeyId
	})
	k.Alias, err = kms.NewAlias(ctx, naming.Child(name, "alias"), aliasArgs,
		pulumi.Parent(k), pulumi.DeleteBeforeReplace(true))
	if err != nil {
		return nil, fmt.Errorf("key %q: alias: %w", name, err)
	}

	k.Arn = k.Key.Arn
	if err := ctx.RegisterResourceOutputs(k, pulumi.Map{"arn": k.Arn}); err != nil {
		return nil, fmt.Errorf("key %q: %w", name, err)
	}
	return k, nil
}

// AllowEncrypt grants encrypting and decrypting data with the key: through the AWS
// services named in via (kms:ViaService, "secretsmanager" for a secret's value), or directly
// when via is empty, for a handler that encrypts data itself.
func (k *Key) AllowEncrypt(via ...string) iam.Statements {
	return k.grant("Encrypt", []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"}, via)
}

// AllowDecrypt grants decrypting data encrypted with the key: through the AWS services
// named in via (kms:ViaService), or directly when via is empty.
func (k *Key) AllowDecrypt(via ...string) iam.Statements {
	return k.grant("Decrypt", []string{"kms:Decrypt"}, via)
}

// grant is a grant of actions on the key, through the services of via, if any.
func (k *Key) grant(what string, actions, via []string) iam.Statements {
	st := iam.Statement{Sid: iam.GrantSid(TypeToken, k.name, what), Actions: actions, Resources: []pulumi.StringInput{k.Arn}}
	if len(via) > 0 {
		endpoints := make([]pulumi.StringInput, len(via))
		for i, svc := range via {
			endpoints[i] = iam.ViaService(svc, k.Arn).Values[0]
		}
		st.Conditions = []iam.Condition{{Test: "StringEquals", Variable: "kms:ViaService", Values: endpoints}}
	}
	return iam.Statements{st}
}
