package iam

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRender(t *testing.T) {
	tests := []struct {
		name      string
		stmts     []ParsedStatement
		keyPolicy bool
		want      string
	}{
		{
			name: "identity statement, sorted and de-duplicated",
			stmts: []ParsedStatement{{
				Sid: "ReadTable", Effect: "Allow",
				Action:   []string{"dynamodb:Query", "dynamodb:GetItem", "dynamodb:Query"},
				Resource: []string{tableArn + "/index/*", tableArn, tableArn},
			}},
			want: `{"Version":"2012-10-17","Statement":[{"Sid":"ReadTable","Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:Query"],` +
				`"Resource":["` + tableArn + `","` + tableArn + `/index/*"]}]}`,
		},
		{
			name: "resource policy, maps sorted, no HTML escaping",
			stmts: []ParsedStatement{{
				Effect:    "Allow",
				Principal: map[string][]string{"Service": {"sns.amazonaws.com"}, "AWS": {"arn:aws:iam::1:root", "arn:aws:iam::1:root"}},
				Action:    []string{"sqs:SendMessage"},
				Resource:  []string{"arn:aws:sqs:eu-west-1:1:q<&>"},
				Condition: map[string]map[string][]string{
					"StringEquals": {"aws:SourceAccount": {"1"}},
					"ArnEquals":    {"aws:SourceArn": {"arn:aws:sns:eu-west-1:1:b", "arn:aws:sns:eu-west-1:1:a"}},
				},
			}},
			want: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:root"],"Service":["sns.amazonaws.com"]},` +
				`"Action":["sqs:SendMessage"],"Resource":["arn:aws:sqs:eu-west-1:1:q<&>"],` +
				`"Condition":{"ArnEquals":{"aws:SourceArn":["arn:aws:sns:eu-west-1:1:a","arn:aws:sns:eu-west-1:1:b"]},"StringEquals":{"aws:SourceAccount":["1"]}}}]}`,
		},
		{
			name: "trust statement has no Resource; statements keep their order",
			stmts: []ParsedStatement{
				{Effect: "Allow", Principal: map[string][]string{"Service": {"lambda.amazonaws.com"}}, Action: []string{"sts:AssumeRole"}},
				{Effect: "Deny", Principal: map[string][]string{"AWS": {"*"}}, Action: []string{"sts:AssumeRole"}},
			},
			want: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com"]},"Action":["sts:AssumeRole"]},` +
				`{"Effect":"Deny","Principal":{"AWS":["*"]},"Action":["sts:AssumeRole"]}]}`,
		},
		{
			name:  "allow-listed actions may use *",
			stmts: []ParsedStatement{{Effect: "Allow", Action: []string{"xray:PutTraceSegments", "xray:PutTelemetryRecords"}, Resource: []string{"*"}}},
			want:  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["xray:PutTelemetryRecords","xray:PutTraceSegments"],"Resource":["*"]}]}`,
		},
		{
			name:      "key policy may use * for any action",
			keyPolicy: true,
			stmts: []ParsedStatement{{
				Sid: "Account", Effect: "Allow", Principal: map[string][]string{"AWS": {"arn:aws:iam::1:root"}},
				Action: []string{"kms:Decrypt"}, Resource: []string{"*"},
			}},
			want: `{"Version":"2012-10-17","Statement":[{"Sid":"Account","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:root"]},"Action":["kms:Decrypt"],"Resource":["*"]}]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := render(tt.stmts, tt.keyPolicy, nil)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestRenderErrors(t *testing.T) {
	stmts := []ParsedStatement{
		{Sid: "Trace", Effect: "Allow", Action: []string{"xray:PutTraceSegments", "s3:GetObject", "dynamodb:GetItem"}, Resource: []string{"*"}},
		{Effect: "Allow", Action: []string{"sqs:SendMessage"}, Resource: []string{"", "arn:aws:sqs:eu-west-1:1:q"}},
		{Effect: "Allow", Principal: map[string][]string{"Service": {""}, "AWS": {"*"}}, Action: []string{"sns:Publish"}, Resource: []string{"arn:aws:sns:eu-west-1:1:t"}},
		{Effect: "Deny", Principal: map[string][]string{"AWS": {"*"}}, Action: []string{"sqs:SendMessage"}, Resource: []string{"", "*"}},
	}
	_, err := render(stmts, false, nil)
	require.Error(t, err)
	assert.Equal(t, strings.Join([]string{
		`iam: statement 0 ("Trace"): resource "*" is not allowed for dynamodb:GetItem, s3:GetObject; scope the statement to resource ARNs`,
		`iam: statement 1: a resource is empty; an ARN did not resolve`,
		`iam: statement 2: a Service principal is empty`,
		`iam: statement 2: principal "*" allows anyone; add a condition such as aws:SourceAccount`,
		`iam: statement 3: a resource is empty; an ARN did not resolve`,
		`iam: statement 3: resource "*" is not allowed for sqs:SendMessage; scope the statement to resource ARNs`,
	}, "\n"), err.Error())

	_, err = render(stmts[:1], true, nil)
	assert.NoError(t, err, "a key policy may use * for any action")
}

func TestRenderDoesNotModifyInput(t *testing.T) {
	actions := []string{"b:B", "a:A", "a:A"}
	_, err := render([]ParsedStatement{{Effect: "Allow", Action: actions, Resource: []string{"arn:x"}}}, false, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"b:B", "a:A", "a:A"}, actions)
}
