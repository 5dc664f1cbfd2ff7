package key_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/key"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
)

const trail = "arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-prod-platform-audit"

func cloudTrail() iam.Statement {
	return iam.Statement{
		Sid:        "CloudTrailEncryptsLogs",
		Principals: []iam.Principal{{Type: iam.PrincipalService, Identifiers: []pulumi.StringInput{pulumi.String("cloudtrail.amazonaws.com")}}},
		Actions:    []string{"kms:GenerateDataKey"},
		Resources:  []pulumi.StringInput{pulumi.String("*")},
		Conditions: []iam.Condition{{Test: "StringEquals", Variable: "aws:SourceArn", Values: []pulumi.StringInput{pulumi.String(trail)}}},
	}
}

// The caller's statements follow the key's own, as given.
func TestStatementsJoinThePolicy(t *testing.T) {
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		_, err := key.New(ctx, "platform", &key.Args{Scope: unkeyed(), Statements: iam.Statements{cloudTrail()}})
		return err
	})
	k, err := p.Get("aws:kms/key:Key", "platform")
	require.NoError(t, err)
	doc, err := iam.Parse(k.String("policy"))
	require.NoError(t, err)
	// The key's own statements (administration, use) come first; the caller's is the last.
	got := doc.Statement[len(doc.Statement)-1]
	assert.Equal(t, "CloudTrailEncryptsLogs", got.Sid)
	assert.Equal(t, []string{"cloudtrail.amazonaws.com"}, got.Principal["Service"])
	assert.Equal(t, map[string]map[string][]string{"StringEquals": {"aws:SourceArn": {trail}}}, got.Condition)
}

func TestStatementsValidation(t *testing.T) {
	unsourced := cloudTrail()
	unsourced.Sid, unsourced.Conditions = "Unsourced", nil
	nobody := cloudTrail()
	nobody.Sid, nobody.Principals = "Nobody", nil
	unnamed := cloudTrail()
	unnamed.Sid = ""
	args := key.Args{Scope: unkeyed(), Statements: iam.Statements{unsourced, nobody, unnamed}}
	err := args.Validate()
	require.Error(t, err)
	assert.Equal(t, []string{
		`Statements[0] ("Unsourced"): allows an AWS service without an aws:SourceArn or aws:SourceAccount condition; any account's resources could make it use the key`,
		`Statements[1] ("Nobody"): has no principals; every key policy statement says who it applies to`,
		`Statements[2]: Sid is required; the key policy names every statement`,
	}, strings.Split(err.Error(), "\n"))
}
