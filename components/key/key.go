// Package key provides Key: a customer-managed KMS key with automatic rotation, an alias, and a
// key policy that names exactly who may use it.
//
// Default settings:
//   - symmetric encryption key, rotation on, 30-day deletion window;
//   - alias `alias/<org>-<env>-<context>-<name>`;
//   - key policy: the account root gets an exact list of administration and use actions (no
//     `kms:*`), so IAM policies in the account can delegate them; each service listed in
//     Services gets only the actions that service needs, conditioned on this account; the
//     caller's Statements follow, for a service whose use can be narrowed further (CloudTrail
//     to one trail);
//   - the scope's tags;
//   - protect and retainOnDelete when the scope protects stateful resources (data encrypted
//     with a deleted key is lost).
package key

import (
	"errors"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/components/scope"
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
	// Services are the AWS service principals that may use the key on this account's behalf,
	// for example sns.amazonaws.com for an encrypted queue that a topic delivers to.
	// Default: none.
	Services []iam.Service
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

// rootActions are what the account root may do with the key: administration and use, listed
// exactly so that no statement carries `kms:*`.
func rootActions() []string {
	return []string{
		"kms:CancelKeyDeletion", "kms:CreateAlias", "kms:CreateGrant", "kms:Decrypt", "kms:DeleteAlias",
		"kms:DescribeKey", "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey",
		"kms:EnableKeyRotation", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext",
		"kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListGrants",
		"kms:ListKeyPolicies", "kms:ListKeyRotations", "kms:ListResourceTags", "kms:PutKeyPolicy",
		"kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:RetireGrant", "kms:RevokeGrant",
		"kms:RotateKeyOnDemand", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource",
		"kms:UpdateAlias", "kms:UpdateKeyDescription",
	}
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
	for i, s := range a.Services {
		if s == "" {
			errs = append(errs, fmt.Errorf("Services[%d]: empty service principal", i))
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
	policy, err := iam.KeyPolicy(append(keyStatements(identity.AccountId, region.Name, a.Services), a.Statements...))
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

// keyStatements is the key policy: the root statement plus one per service.
func keyStatements(account, region string, services []iam.Service) iam.Statements {
	root := pulumi.Sprintf("arn:aws:iam::%s:root", account)
	stmts := iam.Statements{{
		Sid:        "AccountAdministersAndDelegates",
		Principals: []iam.Principal{{Type: "AWS", Identifiers: []pulumi.StringInput{root}}},
		Actions:    rootActions(),
		Resources:  []pulumi.StringInput{pulumi.String("*")},
	}}
	sorted := slices.Clone(services)
	slices.Sort(sorted)
	for _, svc := range slices.Compact(sorted) {
		stmts = append(stmts, serviceStatement(svc, account, region))
	}
	return stmts
}

// serviceStatement grants a service principal what it needs to encrypt with the key on this
// account's behalf. CloudWatch Logs encrypts log data and binds its use to this account's
// log groups through the encryption context; other services only generate and read data keys.
func serviceStatement(svc iam.Service, account, region string) iam.Statement {
	s := iam.Statement{
		Sid:        "Service" + sidSafe(string(svc)),
		Principals: []iam.Principal{{Type: "Service", Identifiers: []pulumi.StringInput{pulumi.String(string(svc))}}},
		Actions:    []string{"kms:Decrypt", "kms:GenerateDataKey"},
		Resources:  []pulumi.StringInput{pulumi.String("*")},
		Conditions: []iam.Condition{{Test: "StringEquals", Variable: "aws:SourceAccount",
			Values: []pulumi.StringInput{pulumi.String(account)}}},
	}
	if svc == iam.LogsService(region) {
		s.Actions = []string{"kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey",
			"kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"}
		s.Conditions = []iam.Condition{{Test: "ArnLike", Variable: "kms:EncryptionContext:aws:logs:arn",
			Values: []pulumi.StringInput{pulumi.Sprintf("arn:aws:logs:%s:%s:log-group:*", region, account)}}}
	}
	return s
}

// sidSafe keeps the letters and digits of s: statement ids allow nothing else.
func sidSafe(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			out = append(out, r)
		}
	}
	return string(out)
}

// AllowEncrypt grants encrypting and decrypting data with the key.
func (k *Key) AllowEncrypt() iam.Statements {
	return iam.Statements{{
		Sid:       iam.GrantSid(TypeToken, k.name, "Encrypt"),
		Actions:   []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"},
		Resources: []pulumi.StringInput{k.Arn},
	}}
}

// AllowDecrypt grants decrypting data encrypted with the key.
func (k *Key) AllowDecrypt() iam.Statements {
	return iam.Statements{{
		Sid:       iam.GrantSid(TypeToken, k.name, "Decrypt"),
		Actions:   []string{"kms:Decrypt"},
		Resources: []pulumi.StringInput{k.Arn},
	}}
}
