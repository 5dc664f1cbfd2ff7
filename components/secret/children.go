package secret

import (
	"fmt"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
)

// EnvSecretArn is the environment variable that names the one secret the rotation function
// may rotate.
const EnvSecretArn = "ROTATION_SECRET_ARN"

// ManualTag and ManualTagValue tag a Manual secret, whose value an operator puts: the
// policy rule secret-baseline (policy.OperatorSecretTag) asks it no rotation.
const (
	ManualTag      = "rotation"
	ManualTagValue = "operator"
)

// rotationTimeout bounds one step of a rotation: a few Secrets Manager calls.
const rotationTimeout = 30 * time.Second

// children creates the secret, the rotation function, its permission, the resource policy
// and the rotation.
func (s *Secret) children(ctx *pulumi.Context, name string, a Args) error {
	parent := pulumi.Parent(s)
	identity, err := aws.GetCallerIdentity(ctx, nil, parent)
	if err != nil {
		return fmt.Errorf("reading the account: %w", err)
	}
	region, err := aws.GetRegion(ctx, nil, parent)
	if err != nil {
		return fmt.Errorf("reading the region: %w", err)
	}
	s.region = region.Name

	tags := a.Scope.TagMap()
	if a.Manual {
		// The policy rule secret-baseline asks no rotation of a secret so tagged.
		tags[ManualTag] = pulumi.String(ManualTagValue)
	}
	secretArgs := override.Apply(&secretsmanager.SecretArgs{
		Description: pulumi.String(a.Description),
		Tags:        tags,
	}, a.Overrides.Secret, func(sa *secretsmanager.SecretArgs) {
		sa.Name = pulumi.String(a.Scope.Name(naming.Secret, name))
		sa.NamePrefix = nil
		sa.KmsKeyId = a.Scope.KeyArn
		sa.RecoveryWindowInDays = pulumi.Int(int(a.RecoveryWindow / day))
		// The SecretPolicy resource owns the policy; a replica would be a copy in another
		// region that this component neither rotates nor reviews.
		sa.Policy = nil
		sa.Replicas = nil
	})
	s.Secret, err = secretsmanager.NewSecret(ctx, name, secretArgs, append([]pulumi.ResourceOption{parent}, a.Scope.Stateful()...)...)
	if err != nil {
		return err
	}
	root := pulumi.String("arn:aws:iam::" + identity.AccountId + ":root")
	if a.Manual {
		return s.policy(ctx, name, a, accessors{
			readers: readerRoles(identity.AccountId, a), writers: append([]pulumi.StringInput{root}, a.Administrators...),
			administrators: a.Administrators, root: root, manual: true,
		})
	}

	fnArgs := override.Apply(&function.Args{
		Description: "Rotates secret " + a.Scope.Name(naming.Secret, name) + ".",
		MemoryMB:    128,
		Timeout:     rotationTimeout,
		OnFailure:   a.OnFailure,
	}, a.Overrides.RotationFunction, func(fa *function.Args) {
		fa.Scope = a.Scope
		fa.Source, fa.Archive = a.RotationSource, a.RotationArchive
		fa.Environment = map[string]pulumi.StringInput{EnvSecretArn: s.Secret.Arn}
		fa.Grants = s.rotationGrants(name)
		fa.WildcardActions = nil
	})
	if s.RotationFunction, err = function.New(ctx, naming.Child(name, "rotation"), fnArgs, parent); err != nil {
		return fmt.Errorf("rotation function: %w", err)
	}

	permArgs := override.Apply(&lambda.PermissionArgs{}, a.Overrides.Permission, func(pa *lambda.PermissionArgs) {
		pa.Action = pulumi.String("lambda:InvokeFunction")
		pa.Function = s.RotationFunction.Name
		pa.Qualifier = pulumi.String(function.AliasName)
		pa.Principal = pulumi.String(serviceSecretsManager)
		pa.SourceArn = s.Secret.Arn
		pa.SourceAccount = pulumi.String(identity.AccountId)
		pa.PrincipalOrgId, pa.EventSourceToken, pa.FunctionUrlAuthType = nil, nil, nil
	})
	s.Permission, err = lambda.NewPermission(ctx, naming.Child(name, "rotation-permission"), permArgs, parent,
		pulumi.DependsOn([]pulumi.Resource{s.RotationFunction.Alias}))
	if err != nil {
		return fmt.Errorf("rotation permission: %w", err)
	}

	if err := s.policy(ctx, name, a, accessors{
		readers:        append([]pulumi.StringInput{s.RotationFunction.Role.Arn}, readerRoles(identity.AccountId, a)...),
		writers:        []pulumi.StringInput{s.RotationFunction.Role.Arn},
		administrators: a.Administrators,
		root:           root,
	}); err != nil {
		return err
	}

	rotationArgs := override.Apply(&secretsmanager.SecretRotationArgs{}, a.Overrides.Rotation, func(ra *secretsmanager.SecretRotationArgs) {
		ra.SecretId = s.Secret.Arn
		ra.RotationLambdaArn = s.RotationFunction.AliasArn
		ra.RotationRules = &secretsmanager.SecretRotationRotationRulesArgs{
			AutomaticallyAfterDays: pulumi.Int(int(a.RotateEvery / day)),
		}
		// The first rotation gives the secret its first value.
		ra.RotateImmediately = pulumi.Bool(true)
	})
	// Secrets Manager invokes the function at once: it must be allowed to, and the policy
	// must be in place before the secret holds a value.
	s.Rotation, err = secretsmanager.NewSecretRotation(ctx, naming.Child(name, "rotation"), rotationArgs, parent,
		pulumi.DependsOn([]pulumi.Resource{s.Permission, s.Policy}))
	if err != nil {
		return fmt.Errorf("rotation: %w", err)
	}
	return nil
}

// policy creates the secret's resource policy, leaving each kind of access to who.
func (s *Secret) policy(ctx *pulumi.Context, name string, a Args, who accessors) error {
	doc, err := iam.Document(policyStatements(s.Secret.Arn, who))
	if err != nil {
		return fmt.Errorf("resource policy: %w", err)
	}
	policyArgs := override.Apply(&secretsmanager.SecretPolicyArgs{}, a.Overrides.Policy, func(pa *secretsmanager.SecretPolicyArgs) {
		pa.SecretArn = s.Secret.Arn
		pa.Policy = doc
		pa.BlockPublicPolicy = pulumi.Bool(true)
	})
	s.Policy, err = secretsmanager.NewSecretPolicy(ctx, naming.Child(name, "policy"), policyArgs,
		append([]pulumi.ResourceOption{pulumi.Parent(s)}, a.Scope.Stateful()...)...)
	if err != nil {
		return fmt.Errorf("resource policy: %w", err)
	}
	return nil
}

// readerRoles are the ARNs of the Readers' roles, named as the function component names a
// function's role.
func readerRoles(account string, a Args) []pulumi.StringInput {
	out := make([]pulumi.StringInput, len(a.Readers))
	for i, r := range a.Readers {
		out[i] = pulumi.String("arn:aws:iam::" + account + ":role/" + function.RoleName(a.Scope, r))
	}
	return out
}
