package lambdakit

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeProcess records what run does with the process and the Lambda runtime.
type fakeProcess struct {
	stdout   bytes.Buffer
	env      map[string]string
	awsErr   error // what loading the AWS configuration fails with, if anything
	loads    int   // how many times the AWS configuration was loaded
	started  []any // the handlers the runtime was started with
	startCtx context.Context
}

func (f *fakeProcess) process() process {
	return process{
		stdout: &f.stdout,
		getenv: env(f.env),
		loadAWS: func(context.Context) (aws.Config, error) {
			f.loads++
			if f.awsErr != nil {
				return aws.Config{}, f.awsErr
			}
			return aws.Config{Region: "eu-west-1"}, nil
		},
		start: func(ctx context.Context, handler any) {
			f.startCtx = ctx
			f.started = append(f.started, handler)
		},
	}
}

func TestMainStartsTheRuntime(t *testing.T) {
	f := &fakeProcess{env: map[string]string{"TABLE_NAME": " accounts ", "TOPIC_ARN": "arn:t", EnvFunction: "register"}}
	// handler stands for what a wiring returns; run only passes it on.
	handler := &struct{ name string }{"h"}
	var got Setup
	code := run(f.process(), []string{"TABLE_NAME", "TOPIC_ARN"}, func(s Setup) (any, error) {
		got = s
		return handler, nil
	})

	require.Equal(t, 0, code)
	assert.Equal(t, map[string]string{"TABLE_NAME": "accounts", "TOPIC_ARN": "arn:t"}, got.Env)
	assert.Equal(t, "eu-west-1", got.AWS.Region)
	require.Equal(t, []any{handler}, f.started)
	assert.Empty(t, f.stdout.String(), "a clean start logs nothing")

	// Every invocation's context derives from the one the runtime starts with, so handlers
	// log with the function's logger.
	Logger(f.startCtx).Info("handled")
	assert.Equal(t, []map[string]any{{"level": "INFO", "msg": "handled", "function": "register"}}, records(t, &f.stdout))
}

func TestMainRefusesToStart(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		awsErr    error
		wireErr   error
		noHandler bool
		wantErr   string
		wantLoads int
	}{
		{
			name:    "every missing variable is named, before any AWS call",
			env:     map[string]string{"TOPIC_ARN": "arn:t", "INDEX_NAME": "  "},
			wantErr: "missing environment variable: TABLE_NAME, INDEX_NAME",
		},
		{
			name:      "aws config",
			env:       map[string]string{"TABLE_NAME": "t", "TOPIC_ARN": "arn:t", "INDEX_NAME": "i"},
			awsErr:    errors.New("no region"),
			wantErr:   "load aws config: no region",
			wantLoads: 1,
		},
		{
			name:      "wiring",
			env:       map[string]string{"TABLE_NAME": "t", "TOPIC_ARN": "arn:t", "INDEX_NAME": "i"},
			wireErr:   errors.New("TOPIC_ARN: not an sns topic arn"),
			wantErr:   "TOPIC_ARN: not an sns topic arn",
			wantLoads: 1,
		},
		{
			name:      "no handler",
			env:       map[string]string{"TABLE_NAME": "t", "TOPIC_ARN": "arn:t", "INDEX_NAME": "i"},
			noHandler: true,
			wantErr:   "wire returned no handler",
			wantLoads: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env[EnvContext], tt.env[EnvFunction] = "accounts", "register"
			f := &fakeProcess{env: tt.env, awsErr: tt.awsErr}
			wired := false
			code := run(f.process(), []string{"TABLE_NAME", "TOPIC_ARN", "INDEX_NAME"}, func(Setup) (any, error) {
				wired = true
				if tt.noHandler {
					return nil, nil
				}
				return func(context.Context) error { return nil }, tt.wireErr
			})

			assert.Equal(t, 1, code)
			assert.Empty(t, f.started, "the runtime must not start")
			assert.Equal(t, tt.wantLoads, f.loads, "loads of the aws config")
			assert.Equal(t, tt.wantLoads > 0 && tt.awsErr == nil, wired, "wire called")
			// One record says why, with the function it is about.
			assert.Equal(t, []map[string]any{{
				"level": "ERROR", "msg": "cannot start", LogKeyError: tt.wantErr,
				LogKeyContext: "accounts", LogKeyFunction: "register",
			}}, records(t, &f.stdout))
		})
	}
}
