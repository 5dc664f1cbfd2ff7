// Package bootstrap is the state backend of one AWS account: the S3 bucket that holds every
// environment's Pulumi state and the KMS key of Pulumi's awskms:// secrets provider. It is
// deployed once per account, by an administrator, with local state (the backend cannot hold
// its own state before it exists), and is no part of any environment's deploy: stacks.All
// leaves it out, so `stratum up` never touches it. Its outputs are the platform stacks'
// stratum:stateBucket and stratum:stateKeyArn.
//
//   - The key: rotated yearly, 30 days' deletion window, protected and retained. Its policy
//     separates administration from use and gives IAM no say: the administrators
//     (bootstrap:keyAdministrators) may manage the key but not encrypt or decrypt with it;
//     the environments' CI roles (bootstrap:environments) and bootstrap:keyUsers may use it
//     and nothing else. No account-root statement, so no IAM policy can widen either.
//   - The bucket `<org>-pulumi-state-<account>`: versioned, SSE-KMS under the key without an
//     S3 Bucket Key (the encryption context then names each object, which the CI roles'
//     kms:EncryptionContext:aws:s3:arn conditions check), ACLs off, every public access block
//     flag on, a TLS-only bucket policy, old versions and abandoned uploads cleaned up, never
//     force-destroyed, protected and retained.
//
// Neither carries an `env` tag: the CI roles act on resources by their environment's tags,
// and the backend belongs to every environment.
package bootstrap

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/extensions/bucket"
	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/stackref"
	"github.com/stratum-platform/stratum/platform/tags"
)

// Stack is the project's one stack in each account (Pulumi.account.yaml): the backend is
// the account's, not an environment's.
const Stack = "account"

// Settings of the project's own namespace (`bootstrap:<name>`), each a list.
const (
	// SettingKeyAdministrators are the role ARNs that administer the state key. Required:
	// KMS refuses a key policy that would not let the role creating the key change it.
	SettingKeyAdministrators = "keyAdministrators"
	// SettingEnvironments are the environments whose CI roles use the key. Required.
	SettingEnvironments = "environments"
	// SettingKeyUsers are further role ARNs that use the key (administrators who deploy a
	// platform stack). Default: none.
	SettingKeyUsers = "keyUsers"
)

// Outputs of the stack.
const (
	OutputBucketName = "bucketName"
	OutputKeyArn     = "keyArn"
	OutputKeyAlias   = "keyAlias"
)

// AdministerActions are the key administrators' actions: every administrative action on a
// key, and no cryptographic one (no Decrypt, Encrypt, GenerateDataKey, ReEncrypt, CreateGrant).
func AdministerActions() []string {
	return []string{
		"kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey", "kms:DisableKey",
		"kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy",
		"kms:GetKeyRotationStatus", "kms:ListGrants", "kms:ListKeyPolicies", "kms:ListKeyRotations",
		"kms:ListResourceTags", "kms:PutKeyPolicy", "kms:RevokeGrant", "kms:RotateKeyOnDemand",
		"kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource", "kms:UpdateAlias",
		"kms:UpdateKeyDescription",
	}
}

// UseActions are the key users' actions: S3 encrypting and decrypting state objects for the
// caller (GenerateDataKey, Decrypt), and the secrets provider wrapping and unwrapping each
// stack's data key (Encrypt, Decrypt).
func UseActions() []string {
	return []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"}
}

// roleArnPattern is an IAM role's ARN, without wildcards.
var roleArnPattern = regexp.MustCompile(`^arn:aws(-[a-z]+)*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$`)

// settings are the project's own settings, validated.
type settings struct {
	administrators, users, environments []string
}

// readSettings reads and validates the project's settings, reporting every problem at once.
func readSettings(cfg *config.Config) (settings, error) {
	var s settings
	var errs []error
	list := func(name string, required bool) []string {
		key := cfg.Project + ":" + name
		raw, ok := cfg.Setting(name)
		if !ok {
			if required {
				errs = append(errs, fmt.Errorf("%s: is required (a list)", key))
			}
			return nil
		}
		var values []string
		if err := json.Unmarshal([]byte(raw), &values); err != nil {
			errs = append(errs, fmt.Errorf("%s: %q is not a list of strings", key, raw))
			return nil
		}
		if required && len(values) == 0 {
			errs = append(errs, fmt.Errorf("%s: is empty; at least one is required", key))
		}
		return values
	}
	roles := func(name string, required bool) []string {
		values := list(name, required)
		for _, v := range values {
			if !roleArnPattern.MatchString(v) {
				errs = append(errs, fmt.Errorf("%s:%s: %q is not an IAM role ARN (arn:aws:iam::<account>:role/<name>, no wildcards)",
					cfg.Project, name, v))
			}
		}
		return values
	}
	s.administrators = roles(SettingKeyAdministrators, true)
	s.users = roles(SettingKeyUsers, false)
	s.environments = list(SettingEnvironments, true)
	for _, env := range s.environments {
		if err := (naming.Scope{Org: cfg.Org, Env: env, Context: "platform"}).Validate(); err != nil {
			errs = append(errs, fmt.Errorf("%s:%s: %q cannot name an environment: %w", cfg.Project, SettingEnvironments, env, err))
		}
	}
	return s, errors.Join(errs...)
}

// Program is the bootstrap project's Pulumi program.
func Program(ctx *pulumi.Context) error {
	cfg, err := config.Load(ctx)
	if err != nil {
		return err
	}
	s, err := readSettings(cfg)
	if err != nil {
		return err
	}
	identity, err := aws.GetCallerIdentity(ctx, nil)
	if err != nil {
		return fmt.Errorf("reading the account: %w", err)
	}
	account := identity.AccountId
	// The backend is the account's, not an environment's: its tags name no environment.
	backendTags := cfg.Tags()
	delete(backendTags, tags.KeyEnv)
	keep := []pulumi.ResourceOption{pulumi.Protect(true), pulumi.RetainOnDelete(true)}

	policy, err := iam.KeyPolicy(keyStatements(cfg.Org, account, s))
	if err != nil {
		return fmt.Errorf("state key policy: %w", err)
	}
	key, err := kms.NewKey(ctx, "state", &kms.KeyArgs{
		Description:          pulumi.String("Pulumi state of every " + cfg.Org + " environment: the state bucket and the awskms:// secrets provider."),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(30),
		Policy:               policy,
		Tags:                 pulumi.ToStringMap(backendTags),
	}, keep...)
	if err != nil {
		return fmt.Errorf("state key: %w", err)
	}
	alias, err := kms.NewAlias(ctx, "state", &kms.AliasArgs{
		Name: pulumi.String("alias/" + cfg.Org + "-pulumi-state"), TargetKeyId: key.KeyId,
	}, keep...) // secrets providers may name the key by it
	if err != nil {
		return fmt.Errorf("state key alias: %w", err)
	}
	b, err := stateBucket(ctx, cfg.Org+"-pulumi-state-"+account, key.Arn, backendTags, keep)
	if err != nil {
		return err
	}
	// Read by hand, once, into the platform stacks' config: no stack references this one.
	stackref.Export(ctx, OutputBucketName, b.Bucket)
	stackref.Export(ctx, OutputKeyArn, key.Arn)
	stackref.Export(ctx, OutputKeyAlias, alias.Name)
	return nil
}

// keyStatements are the state key's policy: administration for the administrators, use for
// the environments' CI roles and the users, nothing for the account's root (so nothing for
// IAM policies).
func keyStatements(org, account string, s settings) iam.Statements {
	var users []pulumi.StringInput
	for _, env := range s.environments {
		names := naming.Scope{Org: org, Env: env, Context: "platform"}
		for _, role := range []string{"ci-deploy", "ci-preview"} {
			users = append(users, pulumi.String("arn:aws:iam::"+account+":role/"+names.Physical(naming.IAMRole, role)))
		}
	}
	for _, u := range s.users {
		users = append(users, pulumi.String(u))
	}
	return iam.Statements{
		{
			Sid:        "AdministerTheKey",
			Principals: []iam.Principal{{Type: iam.PrincipalAWS, Identifiers: pulumi.ToStringArray(s.administrators)}},
			Actions:    AdministerActions(),
			Resources:  []pulumi.StringInput{pulumi.String("*")},
		},
		{
			// Named by aws:PrincipalArn rather than as principals: a CI role does not exist
			// before its platform stack, and KMS refuses a principal that does not exist.
			Sid:        "UseTheKey",
			Principals: []iam.Principal{{Type: iam.PrincipalAWS, Identifiers: []pulumi.StringInput{pulumi.String("*")}}},
			Actions:    UseActions(),
			Resources:  []pulumi.StringInput{pulumi.String("*")},
			Conditions: []iam.Condition{
				{Test: "StringEquals", Variable: "aws:PrincipalAccount", Values: []pulumi.StringInput{pulumi.String(account)}},
				{Test: "ArnEquals", Variable: "aws:PrincipalArn", Values: users},
			},
		},
	}
}

// stateBucket creates the state bucket and its configurations.
func stateBucket(ctx *pulumi.Context, name string, keyArn pulumi.StringInput, backendTags map[string]string,
	keep []pulumi.ResourceOption,
) (*s3.BucketV2, error) {
	b, err := s3.NewBucketV2(ctx, "state", &s3.BucketV2Args{
		Bucket: pulumi.String(name), ForceDestroy: pulumi.Bool(false), Tags: pulumi.ToStringMap(backendTags),
	}, keep...)
	if err != nil {
		return nil, fmt.Errorf("state bucket: %w", err)
	}
	opts := slices.Concat(keep, []pulumi.ResourceOption{pulumi.Parent(b)})
	if _, err := s3.NewBucketVersioningV2(ctx, "state-versioning", &s3.BucketVersioningV2Args{
		Bucket:                  b.ID(),
		VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, opts...); err != nil {
		return nil, fmt.Errorf("state bucket versioning: %w", err)
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, "state-encryption", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: b.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm: pulumi.String("aws:kms"), KmsMasterKeyId: keyArn,
			},
			// A bucket key would make the bucket's ARN the encryption context of every object.
			BucketKeyEnabled: pulumi.Bool(false),
		}},
	}, opts...); err != nil {
		return nil, fmt.Errorf("state bucket encryption: %w", err)
	}
	if _, err := s3.NewBucketPublicAccessBlock(ctx, "state-public-access", &s3.BucketPublicAccessBlockArgs{
		Bucket: b.ID(), BlockPublicAcls: pulumi.Bool(true), BlockPublicPolicy: pulumi.Bool(true),
		IgnorePublicAcls: pulumi.Bool(true), RestrictPublicBuckets: pulumi.Bool(true),
	}, opts...); err != nil {
		return nil, fmt.Errorf("state bucket public access block: %w", err)
	}
	if _, err := s3.NewBucketOwnershipControls(ctx, "state-ownership", &s3.BucketOwnershipControlsArgs{
		Bucket: b.ID(),
		Rule:   &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, opts...); err != nil {
		return nil, fmt.Errorf("state bucket ownership: %w", err)
	}
	policy, err := iam.Document(iam.Statements{tlsOnly(b.Arn)})
	if err != nil {
		return nil, fmt.Errorf("state bucket policy: %w", err)
	}
	if _, err := s3.NewBucketPolicy(ctx, "state-policy", &s3.BucketPolicyArgs{Bucket: b.ID(), Policy: policy}, opts...); err != nil {
		return nil, fmt.Errorf("state bucket policy: %w", err)
	}
	// Every state write makes a version; a mistake can be undone for 90 days, and the 10
	// newest old versions of each object are kept whatever their age.
	if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, "state-lifecycle", &s3.BucketLifecycleConfigurationV2Args{
		Bucket: b.ID(),
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{&s3.BucketLifecycleConfigurationV2RuleArgs{
			Id: pulumi.String("old-versions-and-uploads"), Status: pulumi.String("Enabled"),
			Filter: &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
			NoncurrentVersionExpiration: &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
				NoncurrentDays: pulumi.Int(90), NewerNoncurrentVersions: pulumi.Int(10),
			},
			AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
				DaysAfterInitiation: pulumi.Int(7),
			},
		}},
	}, opts...); err != nil {
		return nil, fmt.Errorf("state bucket lifecycle: %w", err)
	}
	return b, nil
}

// tlsOnly denies every S3 data action on the bucket and its objects without TLS.
func tlsOnly(arn pulumi.StringOutput) iam.Statement {
	return iam.Statement{
		Sid: "DenyInsecureTransport", Effect: iam.Deny,
		Principals: []iam.Principal{{Type: iam.PrincipalAWS, Identifiers: []pulumi.StringInput{pulumi.String("*")}}},
		Actions:    bucket.TLSActions(),
		Resources:  []pulumi.StringInput{arn, pulumi.Sprintf("%s/*", arn)},
		Conditions: []iam.Condition{{Test: "Bool", Variable: "aws:SecureTransport", Values: []pulumi.StringInput{pulumi.String("false")}}},
	}
}
