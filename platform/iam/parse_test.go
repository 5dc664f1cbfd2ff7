package iam

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseRoundTrip(t *testing.T) {
	stmts := []ParsedStatement{
		{
			Sid: "Send", Effect: "Allow",
			Principal: map[string][]string{"Service": {"sns.amazonaws.com"}},
			Action:    []string{"sqs:SendMessage"},
			Resource:  []string{"arn:aws:sqs:eu-west-1:1:q"},
			Condition: map[string]map[string][]string{"ArnEquals": {"aws:SourceArn": {"arn:aws:sns:eu-west-1:1:t"}}},
		},
		{Effect: "Deny", Action: []string{"sqs:*"}, Resource: []string{"arn:aws:sqs:eu-west-1:1:q"},
			Principal: map[string][]string{"AWS": {"*"}},
			Condition: map[string]map[string][]string{"Bool": {"aws:SecureTransport": {"false"}}}},
	}
	doc, err := render(stmts, false, nil)
	require.NoError(t, err)

	got, err := Parse(doc)
	require.NoError(t, err)
	assert.Equal(t, Parsed{Version: Version, Statement: stmts}, got)
	assert.Equal(t, []string{"sqs:*", "sqs:SendMessage"}, got.Actions())
}

// TestParseForms reads the forms AWS accepts besides the one render writes.
func TestParseForms(t *testing.T) {
	doc := `{
	  "Version": "2012-10-17",
	  "Id": "queue-policy",
	  "Statement": {
	    "Effect": "Allow",
	    "Principal": "*",
	    "Action": "sqs:SendMessage",
	    "Resource": ["arn:b", "arn:a", "arn:b"],
	    "Condition": {
	      "Bool": {"aws:SecureTransport": true},
	      "StringEquals": {"aws:SourceAccount": 111111111111, "aws:PrincipalTag/team": ["b", "a"]}
	    }
	  }
	}`
	got, err := Parse(doc)
	require.NoError(t, err)
	assert.Equal(t, Parsed{Version: "2012-10-17", Statement: []ParsedStatement{{
		Effect:    "Allow",
		Principal: map[string][]string{"AWS": {"*"}},
		Action:    []string{"sqs:SendMessage"},
		Resource:  []string{"arn:a", "arn:b"},
		Condition: map[string]map[string][]string{
			"Bool":         {"aws:SecureTransport": {"true"}},
			"StringEquals": {"aws:SourceAccount": {"111111111111"}, "aws:PrincipalTag/team": {"a", "b"}},
		},
	}}}, got)

	got, err = Parse(`{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com","AWS":["arn:x"]},"Action":["sts:AssumeRole"]},` +
		`{"Effect":"Allow","Action":["logs:PutLogEvents","logs:CreateLogStream"],"Resource":"arn:l"}]}`)
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{"Service": {"lambda.amazonaws.com"}, "AWS": {"arn:x"}}, got.Statement[0].Principal)
	assert.Nil(t, got.Statement[0].Resource)
	assert.Equal(t, "", got.Version)
	assert.Equal(t, []string{"logs:CreateLogStream", "logs:PutLogEvents", "sts:AssumeRole"}, got.Actions())
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"not json", `{`, `iam: parse: unexpected EOF`},
		{"trailing data", `{"Statement":[]} {}`, `iam: parse: unexpected data after the document`},
		{"no statement", `{"Version":"2012-10-17"}`, `iam: parse: document has no Statement`},
		{"unknown top-level field", `{"Statement":[],"Extra":1}`, `iam: parse: json: unknown field "Extra"`},
		{"not-elements are refused", `{"Statement":[{"Effect":"Allow","NotAction":"s3:GetObject","Resource":"*"}]}`,
			`iam: parse: statement 0: json: unknown field "NotAction"`},
		{"bad effect", `{"Statement":{"Effect":"Permit"}}`, `iam: parse: statement 0: effect "Permit" is invalid; use Allow or Deny`},
		{"every problem of every statement", `{"Statement":[
			{"Effect":"Allow","Action":1,"Resource":[1],"Principal":"me","Condition":{"Bool":{"aws:SecureTransport":{}}}},
			{"Effect":"Allow","Principal":{"AWS":{}},"Condition":{"StringEquals":{"aws:SourceAccount":[]},"Null":{}}},
			{"Effect":"Allow","Condition":{"Null":{}}},
			{"Effect":"Allow","Condition":{"Bool":{"aws:SecureTransport":null}}}]}`,
			strings.Join([]string{
				`iam: parse: statement 0: Action: must be a string or a list of strings`,
				`iam: parse: statement 0: Resource: must be a string or a list of strings`,
				`iam: parse: statement 0: Principal: "me" must be "*" or an object`,
				`iam: parse: statement 0: Condition: Bool aws:SecureTransport: values must be strings, numbers or booleans, alone or in a list`,
				`iam: parse: statement 1: Principal: AWS: must be a string or a list of strings`,
				`iam: parse: statement 1: Condition: Null has no variables`,
				`iam: parse: statement 2: Condition: Null has no variables`,
				`iam: parse: statement 3: Condition: Bool aws:SecureTransport: values must not be null`,
			}, "\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.doc)
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}
