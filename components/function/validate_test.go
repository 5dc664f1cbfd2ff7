package function_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
)

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		args function.Args
		want []string
	}{
		{"valid archive", function.Args{Archive: archive}, nil},
		{"valid source", function.Args{Source: "testdata/hello"}, nil},
		{"no code", function.Args{}, []string{
			"Source: is required unless Archive is set",
		}},
		{"both", function.Args{Source: "testdata/hello", Archive: archive}, []string{
			`Source: "testdata/hello" and Archive "testdata/bootstrap.zip" are both set; set one`,
		}},
		{"missing source", function.Args{Source: "testdata/nothing"}, []string{
			`Source: "testdata/nothing" does not exist`,
		}},
		{"source is a file", function.Args{Source: archive}, []string{
			`Source: "testdata/bootstrap.zip" is not a directory`,
		}},
		{"missing archive", function.Args{Archive: "testdata/nothing.zip"}, []string{
			`Archive: "testdata/nothing.zip" does not exist`,
		}},
		{"archive is not a zip", function.Args{Archive: "testdata/hello/main.go"}, []string{
			`Archive: "testdata/hello/main.go" is not a zip file: zip: not a valid zip file`,
		}},
		{"archive without bootstrap", function.Args{Archive: "testdata/nobootstrap.zip"}, []string{
			`Archive: "testdata/nobootstrap.zip" has no bootstrap entry`,
		}},
		{"ranges", function.Args{
			Archive:             archive,
			Description:         strings.Repeat("d", 257),
			MemoryMB:            64,
			Timeout:             1500 * time.Millisecond,
			MaxEventAge:         30 * time.Second,
			ReservedConcurrency: new(-1),
			Retries:             new(3),
		}, []string{
			"Description: 257 characters is more than 256",
			"MemoryMB: 64 is not between 128 and 10240",
			"Timeout: 1.5s is not whole seconds between 1s and 15m0s",
			"MaxEventAge: 30s is not whole seconds between 1m0s and 6h0m0s",
			"ReservedConcurrency: -1 is negative",
			"Retries: 3 is not between 0 and 2",
		}},
		{"upper bounds", function.Args{Archive: archive, MemoryMB: 10241, Timeout: 16 * time.Minute,
			MaxEventAge: 7 * time.Hour}, []string{
			"MemoryMB: 10241 is not between 128 and 10240",
			"Timeout: 16m0s is not whole seconds between 1s and 15m0s",
			"MaxEventAge: 7h0m0s is not whole seconds between 1m0s and 6h0m0s",
		}},
		{"environment", function.Args{Archive: archive, Environment: map[string]pulumi.StringInput{
			"1ST":                      pulumi.String("x"),
			"AWS_REGION":               pulumi.String("x"),
			"STRATUM_CONTEXT":          pulumi.String("x"),
			"EMPTY":                    nil,
			"has-dash":                 pulumi.String("x"),
			"X":                        pulumi.String("x"),
			"AWS_XRAY_CONTEXT_MISSING": pulumi.String("LOG_ERROR"),
		}}, []string{
			`Environment: "1ST" is not a valid name; allowed [a-zA-Z][a-zA-Z0-9_]+`,
			`Environment: "AWS_REGION" is reserved by Lambda`,
			`Environment: "EMPTY" has a nil value`,
			`Environment: "STRATUM_CONTEXT" uses the reserved prefix STRATUM_`,
			`Environment: "X" is not a valid name; allowed [a-zA-Z][a-zA-Z0-9_]+`,
			`Environment: "has-dash" is not a valid name; allowed [a-zA-Z][a-zA-Z0-9_]+`,
		}},
		{"on failure", function.Args{Archive: archive, OnFailure: pulumi.String("arn:aws:lambda:eu-west-1:111111111111:function:x")}, []string{
			`OnFailure: "arn:aws:lambda:eu-west-1:111111111111:function:x" is not an SQS queue or SNS topic ARN`,
		}},
		{"synchronous with on failure", function.Args{Archive: archive, Synchronous: true,
			OnFailure: pulumi.String("arn:aws:sqs:eu-west-1:111111111111:failed")}, []string{
			`OnFailure: is set but Synchronous says nothing invokes the function asynchronously; set one or the other`,
		}},
		{"grants", function.Args{Archive: archive, Grants: iam.Statements{
			{Actions: []string{"dynamodb:*"}, Resources: []pulumi.StringInput{pulumi.String(tableArn)}},
			{Actions: []string{"dynamodb:GetItem"}, Resources: []pulumi.StringInput{pulumi.String("*")}},
		}}, []string{
			`Grants: iam: statement 0: action "dynamodb:*" has a wildcard; grant exact actions`,
		}},
		{"grants resource", function.Args{Archive: archive, Grants: iam.Statements{
			{Actions: []string{"dynamodb:GetItem"}, Resources: []pulumi.StringInput{pulumi.String("*")}},
		}}, []string{
			`Grants: iam: statement 0: resource "*" is not allowed for dynamodb:GetItem; scope the statement to resource ARNs`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			args.Scope = scopetest.New()
			err := args.Validate()
			if tc.want == nil {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, strings.Join(tc.want, "\n"), err.Error())
		})
	}
}

func TestNewReportsEveryProblem(t *testing.T) {
	s := scopetest.New()
	s.KeyArn = nil
	err := plantest.RunErr(func(ctx *pulumi.Context) error {
		_, err := function.New(ctx, "api", &function.Args{Scope: s, MemoryMB: 1, Retries: new(9)})
		return err
	})
	require.Error(t, err)
	for _, want := range []string{
		`function "api": Scope.KeyArn: is required (the KMS key that encrypts data at rest)`,
		"\nSource: is required unless Archive is set",
		"\nMemoryMB: 1 is not between 128 and 10240",
		"\nRetries: 9 is not between 0 and 2",
	} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestNilArgs(t *testing.T) {
	err := plantest.RunErr(func(ctx *pulumi.Context) error {
		_, err := function.New(ctx, "api", nil)
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `function "api": Scope.Naming:`)
}
