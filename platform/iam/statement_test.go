package iam

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// strs turns literals into inputs, the way grants pass ARNs.
func strs(values ...string) []pulumi.StringInput {
	in := make([]pulumi.StringInput, len(values))
	for i, v := range values {
		in[i] = pulumi.String(v)
	}
	return in
}

const tableArn = "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-accounts-users"

func TestValidate(t *testing.T) {
	read := Statement{Sid: "ReadTable", Actions: []string{"dynamodb:GetItem"}, Resources: strs(tableArn)}
	trust := Statement{
		Principals: []Principal{{Type: PrincipalService, Identifiers: strs("lambda.amazonaws.com")}},
		Actions:    []string{"sts:AssumeRole"},
	}
	tests := []struct {
		name  string
		stmts Statements
		want  []string
	}{
		{name: "identity statement", stmts: Statements{read}},
		{name: "trust statement without resources", stmts: Statements{trust}},
		{name: "deny uses exact actions too", stmts: Statements{{
			Sid: "TLSOnly", Effect: Deny, Actions: []string{"sqs:*", "sqs:SendMessage"},
			Principals: []Principal{{Type: PrincipalAWS, Identifiers: strs("*")}},
			Resources:  strs("arn:aws:sqs:eu-west-1:111111111111:q"),
			Conditions: []Condition{{Test: "Bool", Variable: "aws:SecureTransport", Values: strs("false")}},
		}}, want: []string{`iam: statement 0 ("TLSOnly"): action "sqs:*" has a wildcard; grant exact actions`}},
		{name: "no statements", stmts: nil, want: []string{`iam: no statements`}},
		{name: "wildcard actions", stmts: Statements{{
			Sid: "ReadTable", Actions: []string{"*", "dynamodb:*", "s3:Get*", "s3:Get?bject"}, Resources: strs(tableArn),
		}}, want: []string{
			`iam: statement 0 ("ReadTable"): action "*" has a wildcard; grant exact actions`,
			`iam: statement 0 ("ReadTable"): action "dynamodb:*" has a wildcard; grant exact actions`,
			`iam: statement 0 ("ReadTable"): action "s3:Get*" has a wildcard; grant exact actions`,
			`iam: statement 0 ("ReadTable"): action "s3:Get?bject" has a wildcard; grant exact actions`,
		}},
		{name: "malformed actions", stmts: Statements{{
			Actions: []string{"dynamodb", "DynamoDB:GetItem", "dynamodb:Get-Item", ":GetItem", "dynamodb:", ""}, Resources: strs(tableArn),
		}}, want: []string{
			`iam: statement 0: action "dynamodb" must look like service:Action ([a-z0-9-]+:[A-Za-z0-9]+)`,
			`iam: statement 0: action "DynamoDB:GetItem" must look like service:Action ([a-z0-9-]+:[A-Za-z0-9]+)`,
			`iam: statement 0: action "dynamodb:Get-Item" must look like service:Action ([a-z0-9-]+:[A-Za-z0-9]+)`,
			`iam: statement 0: action ":GetItem" must look like service:Action ([a-z0-9-]+:[A-Za-z0-9]+)`,
			`iam: statement 0: action "dynamodb:" must look like service:Action ([a-z0-9-]+:[A-Za-z0-9]+)`,
			`iam: statement 0: action "" must look like service:Action ([a-z0-9-]+:[A-Za-z0-9]+)`,
		}},
		{name: "effect, sid, empty", stmts: Statements{{Sid: "read-table", Effect: "Permit"}}, want: []string{
			`iam: statement 0 ("read-table"): sid must match [A-Za-z0-9]*`,
			`iam: statement 0 ("read-table"): effect "Permit" is invalid; use Allow or Deny`,
			`iam: statement 0 ("read-table"): has no actions`,
			`iam: statement 0 ("read-table"): has no resources; only sts:AssumeRole statements with principals may omit them`,
		}},
		{name: "only trust statements may omit resources", stmts: Statements{
			{Principals: trust.Principals, Actions: []string{"sts:AssumeRole", "sns:Publish"}},
			{Actions: []string{"sts:AssumeRole"}},
		}, want: []string{
			`iam: statement 0: has no resources; only sts:AssumeRole statements with principals may omit them`,
			`iam: statement 1: has no resources; only sts:AssumeRole statements with principals may omit them`,
		}},
		{name: "principals", stmts: Statements{{
			Principals: []Principal{
				{Type: "User", Identifiers: strs("x")},
				{Type: PrincipalAWS},
				{Type: PrincipalService, Identifiers: []pulumi.StringInput{pulumi.String("sns.amazonaws.com"), nil}},
			},
			Actions:   []string{"sqs:SendMessage"},
			Resources: []pulumi.StringInput{nil},
		}}, want: []string{
			`iam: statement 0: principal 0 type "User" is invalid; use Service, AWS or Federated`,
			`iam: statement 0: principal 1 (AWS) has no identifiers`,
			`iam: statement 0: principal 2 (Service) identifier 1 is nil`,
			`iam: statement 0: resource 0 is nil`,
		}},
		{name: "conditions", stmts: Statements{{
			Sid: "Send", Actions: []string{"sqs:SendMessage"}, Resources: strs("arn:aws:sqs:eu-west-1:111111111111:q"),
			Conditions: []Condition{
				{Test: "ArnEquals", Variable: "aws:SourceArn"},
				{Variable: "aws:SourceAccount", Values: strs("111111111111")},
				{Test: "StringEquals", Variable: "aws:SourceAccount", Values: []pulumi.StringInput{nil}},
				{Test: "ArnEquals", Variable: "aws:SourceArn", Values: strs("arn:aws:sns:eu-west-1:111111111111:t")},
			},
		}}, want: []string{
			`iam: statement 0 ("Send"): condition 0 (ArnEquals aws:SourceArn): has no values`,
			`iam: statement 0 ("Send"): condition 1 ( aws:SourceAccount): needs both a test (such as StringEquals) and a variable (such as aws:SourceArn)`,
			`iam: statement 0 ("Send"): condition 2 (StringEquals aws:SourceAccount): value 0 is nil`,
			`iam: statement 0 ("Send"): condition 3 (ArnEquals aws:SourceArn): repeats condition 0; put all values in one condition`,
		}},
		{name: "caller text is never a format", stmts: Statements{{Sid: "a%d", Actions: []string{"s3:GetObject"}, Resources: strs("arn:x"),
			Conditions: []Condition{{Test: "StringLike", Variable: "s3:prefix%s"}}}}, want: []string{
			`iam: statement 0 ("a%d"): sid must match [A-Za-z0-9]*`,
			`iam: statement 0 ("a%d"): condition 0 (StringLike s3:prefix%s): has no values`,
		}},
		{name: "duplicate sids, every statement reported", stmts: Statements{read, read, {Sid: "X"}}, want: []string{
			`iam: statement 1 ("ReadTable"): sid is also used by statement 0; sids must be unique`,
			`iam: statement 2 ("X"): has no actions`,
			`iam: statement 2 ("X"): has no resources; only sts:AssumeRole statements with principals may omit them`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.stmts.Validate()
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, strings.Join(tt.want, "\n"), err.Error())
		})
	}
}
