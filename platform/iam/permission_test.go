package iam

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/permission"
)

func TestFromPermissions(t *testing.T) {
	perms := []permission.Permission{
		{Action: "lambda:UpdateAlias", On: "function"},
		{Action: "lambda:GetAlias", On: "function"},
		{Action: "lambda:GetAlias", On: "function", Suffix: ":*"},
		{Action: "cloudwatch:DescribeAlarms", On: "alarm"},
		{Action: "lambda:GetAlias", On: "function"},
	}
	doc, err := runDocument(t, func(ctx *pulumi.Context) (pulumi.StringOutput, error) {
		arns := map[permission.Resource][]pulumi.StringInput{
			"function": {pulumi.String("arn:aws:lambda:eu-west-1:111111111111:function:f")},
			"alarm":    {pulumi.String("arn:aws:cloudwatch:eu-west-1:111111111111:alarm:a1"), pulumi.String("arn:aws:cloudwatch:eu-west-1:111111111111:alarm:a2")},
		}
		stmts, err := FromPermissions(perms, arns, func(what string) string { return "Release" + what })
		if err != nil {
			return pulumi.StringOutput{}, err
		}
		return Document(stmts)
	})
	require.NoError(t, err)
	assert.JSONEq(t, `{"Version": "2012-10-17", "Statement": [
		{"Sid": "ReleaseFunction", "Effect": "Allow", "Action": ["lambda:GetAlias", "lambda:UpdateAlias"],
		 "Resource": ["arn:aws:lambda:eu-west-1:111111111111:function:f"]},
		{"Sid": "ReleaseFunctionQualified", "Effect": "Allow", "Action": ["lambda:GetAlias"],
		 "Resource": ["arn:aws:lambda:eu-west-1:111111111111:function:f:*"]},
		{"Sid": "ReleaseAlarm", "Effect": "Allow", "Action": ["cloudwatch:DescribeAlarms"],
		 "Resource": ["arn:aws:cloudwatch:eu-west-1:111111111111:alarm:a1", "arn:aws:cloudwatch:eu-west-1:111111111111:alarm:a2"]}
	]}`, doc)

	_, err = FromPermissions(perms, map[permission.Resource][]pulumi.StringInput{"function": {pulumi.String("fn")}}, nil)
	assert.EqualError(t, err, "no ARN for alarm")
}
