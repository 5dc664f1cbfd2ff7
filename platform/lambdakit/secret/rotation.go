package secret

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

// The steps Secrets Manager invokes a rotation function with, in order.
const (
	StepCreate = "createSecret"
	StepSet    = "setSecret"
	StepTest   = "testSecret"
	StepFinish = "finishSecret"
)

// RotationAPI is the part of the Secrets Manager client that Rotator uses: exactly
// RotationActions.
type RotationAPI interface {
	DescribeSecret(ctx context.Context, in *secretsmanager.DescribeSecretInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.DescribeSecretOutput, error)
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
	PutSecretValue(ctx context.Context, in *secretsmanager.PutSecretValueInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.PutSecretValueOutput, error)
	UpdateSecretVersionStage(ctx context.Context, in *secretsmanager.UpdateSecretVersionStageInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.UpdateSecretVersionStageOutput, error)
}

// RotationActions are the IAM actions the rotation function needs on its one secret, which
// the secret component grants it: nothing else.
func RotationActions() []string {
	return []string{"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue",
		"secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"}
}

// Rotator is the rotation function of a shared key: Secrets Manager invokes Handle once per
// step of each rotation. The key lives only in the secret (receivers read it there, accepting
// AWSCURRENT and AWSPREVIOUS), so there is nothing to change elsewhere: createSecret writes a
// new random key as AWSPENDING, setSecret has nothing to set, testSecret checks the pending
// key, and finishSecret makes it AWSCURRENT, which turns the old key into AWSPREVIOUS.
//
// Every step is idempotent, because Secrets Manager retries a step that failed or timed out.
type Rotator struct {
	// Client calls Secrets Manager with the function's role.
	Client RotationAPI
	// SecretArn is the one secret this function rotates; an event for another is refused,
	// so that whoever may invoke the function cannot make it touch other secrets.
	SecretArn string
	// Random is the source of new keys: crypto/rand.Reader outside tests.
	Random io.Reader
}

// Handle runs one step of a rotation.
func (r *Rotator) Handle(ctx context.Context, ev events.SecretsManagerSecretRotationEvent) error {
	if ev.SecretID != r.SecretArn {
		return fmt.Errorf("rotation of %q refused: this function rotates %s only", ev.SecretID, r.SecretArn)
	}
	if ev.ClientRequestToken == "" {
		return fmt.Errorf("secret %s: %s: the event has no ClientRequestToken", r.SecretArn, ev.Step)
	}
	log := lambdakit.Logger(ctx).With("secret", r.SecretArn, "step", ev.Step, "version", ev.ClientRequestToken)
	desc, err := r.Client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(r.SecretArn)})
	if err != nil {
		return fmt.Errorf("secret %s: %s: describe secret: %w", r.SecretArn, ev.Step, err)
	}
	if !aws.ToBool(desc.RotationEnabled) {
		return fmt.Errorf("secret %s: %s: rotation is not enabled on the secret", r.SecretArn, ev.Step)
	}
	stages, ok := desc.VersionIdsToStages[ev.ClientRequestToken]
	switch {
	case !ok:
		return fmt.Errorf("secret %s: %s: the secret has no version %s", r.SecretArn, ev.Step, ev.ClientRequestToken)
	case slices.Contains(stages, StageCurrent):
		// A retried step of a rotation that already finished.
		log.Info("the version is already current")
		return nil
	case !slices.Contains(stages, StagePending):
		return fmt.Errorf("secret %s: %s: version %s is not %s", r.SecretArn, ev.Step, ev.ClientRequestToken, StagePending)
	}
	switch ev.Step {
	case StepCreate:
		err = r.create(ctx, ev.ClientRequestToken)
	case StepSet:
		// Receivers read the key from this secret: there is no other system to give it to.
	case StepTest:
		err = r.test(ctx, ev.ClientRequestToken)
	case StepFinish:
		err = r.finish(ctx, ev.ClientRequestToken, desc.VersionIdsToStages)
	default:
		return fmt.Errorf("secret %s: unknown step %q; want %s, %s, %s or %s", r.SecretArn, ev.Step,
			StepCreate, StepSet, StepTest, StepFinish)
	}
	if err != nil {
		return fmt.Errorf("secret %s: %s: %w", r.SecretArn, ev.Step, err)
	}
	log.Info("rotation step done")
	return nil
}

// create writes a new key as the pending version token, unless a retried step already did.
func (r *Rotator) create(ctx context.Context, token string) error {
	_, err := r.pending(ctx, token)
	var missing *types.ResourceNotFoundException
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &missing):
		return err
	}
	key, err := Generate(r.Random)
	if err != nil {
		return err
	}
	if _, err := r.Client.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
		SecretId:           aws.String(r.SecretArn),
		ClientRequestToken: aws.String(token),
		SecretString:       aws.String(key),
		VersionStages:      []string{StagePending},
	}); err != nil {
		return fmt.Errorf("put secret value: %w", err)
	}
	return nil
}

// test checks that the pending version can be a key.
func (r *Rotator) test(ctx context.Context, token string) error {
	value, err := r.pending(ctx, token)
	if err != nil {
		return err
	}
	if err := Check(value); err != nil {
		return fmt.Errorf("version %s: %w", token, err)
	}
	return nil
}

// finish makes version token AWSCURRENT; Secrets Manager moves AWSPREVIOUS to the version
// that was current, which verifiers keep accepting until the next rotation.
func (r *Rotator) finish(ctx context.Context, token string, versions map[string][]string) error {
	in := &secretsmanager.UpdateSecretVersionStageInput{
		SecretId: aws.String(r.SecretArn), VersionStage: aws.String(StageCurrent), MoveToVersionId: aws.String(token),
	}
	for id, stages := range versions {
		if slices.Contains(stages, StageCurrent) {
			in.RemoveFromVersionId = aws.String(id)
		}
	}
	if _, err := r.Client.UpdateSecretVersionStage(ctx, in); err != nil {
		return fmt.Errorf("update secret version stage: %w", err)
	}
	return nil
}

// pending returns the value of the pending version token.
func (r *Rotator) pending(ctx context.Context, token string) ([]byte, error) {
	out, err := r.Client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{
		SecretId: aws.String(r.SecretArn), VersionId: aws.String(token), VersionStage: aws.String(StagePending),
	})
	if err != nil {
		return nil, fmt.Errorf("get secret value of version %s: %w", token, err)
	}
	if out.SecretString == nil {
		return nil, fmt.Errorf("version %s has no SecretString", token)
	}
	return []byte(*out.SecretString), nil
}
