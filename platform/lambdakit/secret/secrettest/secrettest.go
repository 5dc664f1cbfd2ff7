// Package secrettest is an in-memory Secrets Manager for the tests of handlers that read
// secrets (secret.Cache) and of the rotation function (secret.Rotator): one secret, its
// versions and their staging labels, with the rules Secrets Manager applies to them.
package secrettest

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// Stages of Secrets Manager, repeated here so that the fake does not depend on the code it
// tests.
const (
	current  = "AWSCURRENT"
	previous = "AWSPREVIOUS"
	pending  = "AWSPENDING"
)

// Store is one secret. Its zero value is not usable; call New.
type Store struct {
	// Arn is the secret's ARN; calls naming another secret fail.
	Arn string

	mu sync.Mutex
	// values and stages are per version id.
	values map[string]string
	stages map[string][]string
	// Err, when set, is returned by every call.
	err error
	// calls counts the calls by operation name.
	calls map[string]int
	// RotationEnabled is what DescribeSecret reports.
	rotationEnabled bool
}

// New returns a secret with rotation enabled and no version.
func New(arn string) *Store {
	return &Store{Arn: arn, values: map[string]string{}, stages: map[string][]string{}, calls: map[string]int{},
		rotationEnabled: true}
}

// Put adds version id holding value with the given stages, moving each stage from the
// version that had it, as PutSecretValue does (and AWSPREVIOUS to the version that was
// current, when id becomes current).
func (s *Store) Put(id, value string, stages ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.values[id] = value
	s.stages[id] = nil
	for _, stage := range stages {
		s.move(stage, id)
	}
}

// StartRotation does what RotateSecret does before it invokes the rotation function: it
// records version token, without a value yet, as AWSPENDING.
func (s *Store) StartRotation(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.move(pending, token)
}

// Fail makes every later call return err (nil to stop).
func (s *Store) Fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err = err
}

// DisableRotation makes DescribeSecret report rotation off.
func (s *Store) DisableRotation() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rotationEnabled = false
}

// Calls returns how many times operation (GetSecretValue, PutSecretValue, ...) was called.
func (s *Store) Calls(operation string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[operation]
}

// Stage returns the id and value of the version holding stage, or empty strings.
func (s *Store) Stage(stage string) (id, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id = s.holder(stage)
	return id, s.values[id]
}

// holder returns the version holding stage, or "".
func (s *Store) holder(stage string) string {
	for id, stages := range s.stages {
		if slices.Contains(stages, stage) {
			return id
		}
	}
	return ""
}

// move gives stage to version id, taking it from its holder; AWSCURRENT leaves AWSPREVIOUS
// on the version that had it.
func (s *Store) move(stage, id string) {
	old := s.holder(stage)
	if old == id {
		return
	}
	if old != "" {
		s.stages[old] = slices.DeleteFunc(s.stages[old], func(st string) bool { return st == stage })
	}
	if stage == current && old != "" {
		s.move(previous, old)
	}
	s.stages[id] = append(s.stages[id], stage)
}

func (s *Store) enter(op string, secretID *string) error {
	s.calls[op]++
	if s.err != nil {
		return s.err
	}
	if aws.ToString(secretID) != s.Arn {
		return &types.ResourceNotFoundException{Message: aws.String(fmt.Sprintf("no secret %s", aws.ToString(secretID)))}
	}
	return nil
}

// GetSecretValue returns the version named by VersionId and/or VersionStage (AWSCURRENT
// when neither is given).
func (s *Store) GetSecretValue(_ context.Context, in *secretsmanager.GetSecretValueInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.enter("GetSecretValue", in.SecretId); err != nil {
		return nil, err
	}
	id, stage := aws.ToString(in.VersionId), aws.ToString(in.VersionStage)
	if id == "" {
		if stage == "" {
			stage = current
		}
		id = s.holder(stage)
	}
	value, ok := s.values[id]
	if !ok || (stage != "" && !slices.Contains(s.stages[id], stage)) {
		return nil, &types.ResourceNotFoundException{Message: aws.String("Secrets Manager can't find the specified secret value")}
	}
	return &secretsmanager.GetSecretValueOutput{ARN: aws.String(s.Arn), VersionId: aws.String(id),
		SecretString: aws.String(value), VersionStages: slices.Clone(s.stages[id])}, nil
}

// DescribeSecret reports the versions' stages and whether rotation is on.
func (s *Store) DescribeSecret(_ context.Context, in *secretsmanager.DescribeSecretInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.DescribeSecretOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.enter("DescribeSecret", in.SecretId); err != nil {
		return nil, err
	}
	versions := map[string][]string{}
	for id, stages := range s.stages {
		if len(stages) > 0 {
			versions[id] = slices.Clone(stages)
		}
	}
	return &secretsmanager.DescribeSecretOutput{ARN: aws.String(s.Arn), RotationEnabled: aws.Bool(s.rotationEnabled),
		VersionIdsToStages: versions}, nil
}

// PutSecretValue adds a version; a version id that exists with another value is refused, as
// Secrets Manager refuses it.
func (s *Store) PutSecretValue(_ context.Context, in *secretsmanager.PutSecretValueInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.PutSecretValueOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.enter("PutSecretValue", in.SecretId); err != nil {
		return nil, err
	}
	id := aws.ToString(in.ClientRequestToken)
	if old, ok := s.values[id]; ok && old != aws.ToString(in.SecretString) {
		return nil, &types.ResourceExistsException{Message: aws.String("a version with this id exists")}
	}
	stages := in.VersionStages
	if len(stages) == 0 {
		stages = []string{current}
	}
	s.values[id] = aws.ToString(in.SecretString)
	for _, stage := range stages {
		s.move(stage, id)
	}
	return &secretsmanager.PutSecretValueOutput{ARN: aws.String(s.Arn), VersionId: aws.String(id)}, nil
}

// UpdateSecretVersionStage moves a stage; RemoveFromVersionId must name its holder.
func (s *Store) UpdateSecretVersionStage(_ context.Context, in *secretsmanager.UpdateSecretVersionStageInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.UpdateSecretVersionStageOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.enter("UpdateSecretVersionStage", in.SecretId); err != nil {
		return nil, err
	}
	stage, to := aws.ToString(in.VersionStage), aws.ToString(in.MoveToVersionId)
	if _, ok := s.values[to]; !ok {
		return nil, &types.ResourceNotFoundException{Message: aws.String("no version " + to)}
	}
	if holder := s.holder(stage); holder != "" && holder != to && aws.ToString(in.RemoveFromVersionId) != holder {
		return nil, &types.InvalidParameterException{Message: aws.String(fmt.Sprintf(
			"%s is attached to version %s; name it in RemoveFromVersionId", stage, holder))}
	}
	s.move(stage, to)
	return &secretsmanager.UpdateSecretVersionStageOutput{ARN: aws.String(s.Arn)}, nil
}
