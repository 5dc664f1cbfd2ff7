// Package secret provides Secret: a Secrets Manager secret holding a shared key (an HMAC
// signing key, say) that a rotation function replaces on a schedule, readable only by the
// functions named as its readers. Handlers read it with platform/lambdakit/secret.
//
// Default settings:
//   - name `<org>-<env>-<context>-<name>`, the scope's tags, encrypted with the scope's KMS
//     key, 30 days to recover after a delete;
//   - its value is never set by a deploy, so it never passes through Pulumi state: the
//     rotation function writes every value, the first one when the rotation is created;
//   - rotation every 30 days by the rotation function `<name>-rotation` (a function component
//     built from components/secret/handlers/rotate, platform/lambdakit/secret.Rotator): a
//     new key of 32 random bytes becomes AWSPENDING, then AWSCURRENT, and the key it replaces
//     stays valid as AWSPREVIOUS until the next rotation, so a receiver that accepts both
//     never refuses a sender whose cache still holds the old key; only Secrets Manager, for
//     this secret (aws:SourceArn), may invoke the function, which may only read and stage
//     versions of this secret and use the key through Secrets Manager;
//   - one resource policy (Block Public Policy on) that denies, whatever IAM allows,
//     GetSecretValue to every principal but the Readers' roles and the rotation function's,
//     PutSecretValue and UpdateSecretVersionStage to every principal but the rotation
//     function's, and the secret's administration (its policy, rotation, deletion, tags,
//     replication) to every principal but the Administrators and the account root (break
//     glass), by aws:PrincipalArn;
//   - AllowRead grants exactly secretsmanager:GetSecretValue on the secret and kms:Decrypt
//     on the scope's key only through Secrets Manager (kms:ViaService) for this secret (its
//     encryption context);
//   - the secret and its policy protected and retained where the scope protects stateful
//     resources;
//   - every role it creates carries the scope's permissions boundary.
//
// A Manual secret holds a value an operator puts (a private key whose public half is
// registered elsewhere): no rotation, and only the Administrators and the root may write it.
package secret

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/dashboard"
	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/platform/tokens"
)

// TypeToken is the Pulumi type of Secret; renaming it needs an alias.
const TypeToken = tokens.Secret

// Limits and defaults.
const (
	day                   = 24 * time.Hour
	defaultRotateEvery    = 30 * day
	maxRotateEvery        = 365 * day
	defaultRecoveryWindow = 30 * day
	minRecoveryWindow     = 7 * day
	maxRecoveryWindow     = 30 * day
)

// Args configures a Secret.
type Args struct {
	// Scope names the secret and supplies its key, tags, alarm topic (the rotation
	// function's alarms) and permissions boundary. Required.
	Scope scope.Scope
	// Description describes the secret in the console. Default: "<name> of <context>, rotated
	// by <name>-rotation.".
	Description string
	// Readers are the logical names of the functions of this context that read the secret
	// (give each AllowRead in its Grants). The resource policy denies reading to every other
	// principal, so a function granted AllowRead but not listed here is refused. Default:
	// none (only the rotation function reads it).
	Readers []string
	// Administrators are the IAM role ARNs that may change the secret's policy, rotation,
	// tags and deletion: the role that deploys the stack at least (the service gives the
	// platform's deploy role), or the next deploy is refused its own changes. The account
	// root may too, as break glass. Required.
	Administrators []pulumi.StringInput
	// RotateEvery is how often the key is replaced, whole days from 1 to 365. Default: 30
	// days.
	RotateEvery time.Duration
	// RecoveryWindow is how long a deleted secret can be restored, whole days from 7 to 30.
	// Default: 30 days.
	RecoveryWindow time.Duration
	// RotationSource is the Go main package of the rotation function; set it or
	// RotationArchive to replace the platform's. Default: components/secret/handlers/rotate,
	// found with `go list` from the project directory.
	RotationSource string
	// RotationArchive is a prebuilt zip of the rotation function, used instead of building
	// RotationSource. Default: none.
	RotationArchive string
	// OnFailure is where the rotation function's failed asynchronous invocations go
	// (function.Args.OnFailure); Secrets Manager invokes it synchronously, so this catches
	// only stray invocations. Default: none.
	OnFailure pulumi.StringInput
	// Manual leaves every value to an operator (aws secretsmanager put-secret-value), for a
	// key whose other half lives elsewhere and is replaced by a runbook (the developer
	// portal's CloudFront signing key): no rotation function, permission or rotation, and the
	// resource policy leaves writing to the Administrators and the account root. It needs
	// Readers; RotateEvery, RotationSource, RotationArchive and OnFailure stay unset. The policy
	// rule secret-baseline reports the missing rotation, which the project suppresses with
	// its reason. Default: false (rotated).
	Manual bool
	// Overrides change the children's arguments before the component re-applies the fields it
	// owns. Default: none.
	Overrides Overrides
}

// Overrides are hooks on the children's arguments. Whatever a hook sets, the component then
// re-applies what it owns: the names, the key, the policy, the rotation's function and
// schedule, the permission's principal and source, and the rotation function's code, scope,
// environment and grants.
type Overrides struct {
	// Secret changes the secretsmanager.SecretArgs. Default: none.
	Secret func(*secretsmanager.SecretArgs)
	// Policy changes the secretsmanager.SecretPolicyArgs. Default: none.
	Policy func(*secretsmanager.SecretPolicyArgs)
	// Rotation changes the secretsmanager.SecretRotationArgs. Default: none.
	Rotation func(*secretsmanager.SecretRotationArgs)
	// Permission changes the lambda.PermissionArgs that let Secrets Manager invoke the
	// rotation function. Default: none.
	Permission func(*lambda.PermissionArgs)
	// RotationFunction changes the rotation function's function.Args (its memory, timeout,
	// description or its own Overrides). Default: none.
	RotationFunction func(*function.Args)
}

// Secret is a Secrets Manager secret with its resource policy and its rotation.
type Secret struct {
	pulumi.ResourceState

	// Secret is the Secrets Manager secret.
	Secret *secretsmanager.Secret
	// Policy is the secret's resource policy.
	Policy *secretsmanager.SecretPolicy
	// Rotation is the secret's rotation schedule.
	Rotation *secretsmanager.SecretRotation
	// RotationFunction writes every new value of the secret.
	RotationFunction *function.Function
	// Permission lets Secrets Manager invoke the rotation function for this secret.
	Permission *lambda.Permission

	// Arn and Name identify the secret.
	Arn, Name pulumi.StringOutput

	name   string
	region string
	keyArn pulumi.StringInput
}

// Validate reports every problem with args at once.
func (a *Args) Validate() error {
	errs := []error{a.Scope.Validate()}
	seen := map[string]int{}
	for i, r := range a.Readers {
		first, dup := seen[r]
		switch {
		case !logicalName(r):
			errs = append(errs, fmt.Errorf("Readers[%d]: %q is not a function's logical name (lowercase letters, digits and hyphens)", i, r))
		case dup:
			errs = append(errs, fmt.Errorf("Readers[%d]: %q is also Readers[%d]; list each reader once", i, r, first))
		default:
			seen[r] = i
		}
	}
	if len(a.Administrators) == 0 {
		errs = append(errs, errors.New("Administrators: is required: the role that deploys the stack at least, "+
			"or the secret's policy refuses the next deploy its changes"))
	}
	for i, arn := range a.Administrators {
		if arn == nil {
			errs = append(errs, fmt.Errorf("Administrators[%d]: is nil", i))
			continue
		}
		if lit, ok := arn.(pulumi.String); ok && !isRoleArn(string(lit)) {
			errs = append(errs, fmt.Errorf("Administrators[%d]: %q is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)", i, string(lit)))
		}
	}
	if a.RotateEvery != 0 && !wholeDaysBetween(a.RotateEvery, day, maxRotateEvery) {
		errs = append(errs, fmt.Errorf("RotateEvery: %s is not whole days from 1 to 365", a.RotateEvery))
	}
	if a.RecoveryWindow != 0 && !wholeDaysBetween(a.RecoveryWindow, minRecoveryWindow, maxRecoveryWindow) {
		errs = append(errs, fmt.Errorf("RecoveryWindow: %s is not whole days from 7 to 30", a.RecoveryWindow))
	}
	if a.RotationSource != "" && a.RotationArchive != "" {
		errs = append(errs, fmt.Errorf("RotationSource: %q and RotationArchive %q are both set; set one", a.RotationSource, a.RotationArchive))
	}
	if a.Manual {
		if len(a.Readers) == 0 {
			errs = append(errs, errors.New("Readers: is required with Manual: nobody else reads an operator's value"))
		}
		for _, f := range []struct {
			name string
			set  bool
		}{{"RotateEvery", a.RotateEvery != 0}, {"RotationSource", a.RotationSource != ""},
			{"RotationArchive", a.RotationArchive != ""}, {"OnFailure", a.OnFailure != nil}} {
			if f.set {
				errs = append(errs, fmt.Errorf("%s: is set, but Manual leaves the value to an operator: nothing rotates it", f.name))
			}
		}
	}
	return errors.Join(errs...)
}

// withDefaults returns the Args of secret name with every default filled in, except the
// rotation function's source, which New finds (it runs the go command).
func (a *Args) withDefaults(name string) Args {
	d := *a
	if d.RotateEvery == 0 {
		d.RotateEvery = defaultRotateEvery
	}
	if d.RecoveryWindow == 0 {
		d.RecoveryWindow = defaultRecoveryWindow
	}
	if d.Description == "" {
		d.Description = name + " of " + d.Scope.Naming.Context + ", rotated by " + name + "-rotation."
		if d.Manual {
			d.Description = name + " of " + d.Scope.Naming.Context + ", set by an operator."
		}
	}
	d.Readers = slices.Clone(d.Readers)
	slices.Sort(d.Readers)
	return d
}

// New creates a Secret: the secret, its rotation function, the permission that lets Secrets
// Manager invoke it, the resource policy and then the rotation, which Secrets Manager starts
// at once and so gives the secret its first value.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Secret, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(); err != nil {
		return nil, fmt.Errorf("secret %q: %w", name, err)
	}
	a := args.withDefaults(name)
	if !a.Manual && a.RotationSource == "" && a.RotationArchive == "" {
		src, err := rotationSource(ctx)
		if err != nil {
			return nil, fmt.Errorf("secret %q: RotationSource: %w", name, err)
		}
		a.RotationSource = src
	}
	s := &Secret{name: name, keyArn: a.Scope.KeyArn}
	if err := ctx.RegisterComponentResource(TypeToken, name, s, opts...); err != nil {
		return nil, fmt.Errorf("secret %q: %w", name, err)
	}
	if err := s.children(ctx, name, a); err != nil {
		return nil, fmt.Errorf("secret %q: %w", name, err)
	}
	s.Arn, s.Name = s.Secret.Arn, s.Secret.Name
	if err := ctx.RegisterResourceOutputs(s, pulumi.Map{"arn": s.Arn, "name": s.Name}); err != nil {
		return nil, fmt.Errorf("secret %q: %w", name, err)
	}
	return s, nil
}

func wholeDaysBetween(d, lo, hi time.Duration) bool {
	return d%day == 0 && d >= lo && d <= hi
}

// logicalName reports whether s can be a function's logical name.
func logicalName(s string) bool {
	if s == "" || strings.HasPrefix(s, "-") || strings.HasSuffix(s, "-") {
		return false
	}
	for _, r := range s {
		lower, digit := r >= 'a' && r <= 'z', r >= '0' && r <= '9'
		if !lower && !digit && r != '-' {
			return false
		}
	}
	return true
}

// isRoleArn reports whether s looks like the ARN of an IAM role.
func isRoleArn(s string) bool {
	parts := strings.SplitN(s, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[1] != "" && parts[2] == "iam" && parts[3] == "" &&
		parts[4] != "" && strings.HasPrefix(parts[5], "role/") && len(parts[5]) > len("role/") && !strings.ContainsAny(s, "*?")
}

// Widgets returns the rotation function's graph: a rotation that fails shows as its errors.
// A Manual secret has none.
func (s *Secret) Widgets() []dashboard.Widget {
	if s.RotationFunction == nil {
		return nil
	}
	widgets := s.RotationFunction.Widgets()
	for i := range widgets {
		widgets[i].Title = "Secret " + s.name + " rotation"
	}
	return widgets
}
