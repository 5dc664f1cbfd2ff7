package iam

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGrantSid(t *testing.T) {
	for _, tc := range []struct{ token, name, what, want string }{
		{"stratum:table:Table", "accounts", "ReadKey", "TableAccountsReadKey"},
		{"stratum:function:Function", "connection", "Invoke", "FunctionConnectionInvoke"},
		{"stratum:queue:Queue", "inbox-dlq", "Send", "QueueInboxDlqSend"},
		{"stratum:key:Key", "key", "Encrypt", "KeyKeyEncrypt"},
		{"stratum:httpapi:API", "public_api.v2", "", "APIPublicApiV2"},
		{"acme:bucket:Bucket", "exports", "write", "BucketExportsWrite"},
		{"stratum:topic:Topic", "événements", "Publish", "TopicVNementsPublish"},
	} {
		got := GrantSid(tc.token, tc.name, tc.what)
		assert.Equal(t, tc.want, got, "%s %s %s", tc.token, tc.name, tc.what)
		assert.True(t, alphanumeric(got), "%q is a valid sid", got)
	}
}

// Grants of two resources of one type differ only in the logical name, so both fit in one
// policy.
func TestGrantSidsOfTwoResourcesFitOnePolicy(t *testing.T) {
	stmts := Statements{
		{Sid: GrantSid("stratum:function:Function", "get", "Invoke"), Actions: []string{"lambda:InvokeFunction"}, Resources: strs("arn:aws:lambda:eu-west-1:111111111111:function:get:live")},
		{Sid: GrantSid("stratum:function:Function", "list", "Invoke"), Actions: []string{"lambda:InvokeFunction"}, Resources: strs("arn:aws:lambda:eu-west-1:111111111111:function:list:live")},
	}
	assert.NoError(t, stmts.Validate())
}

func TestValidateReportsGrantErrors(t *testing.T) {
	stmts := Statements{
		{Sid: "TableOrdersOps", Err: errors.New(`table "orders": Allow: "DropTable" is not an operation`)},
		{Sid: "Broken", Actions: []string{"dynamodb:*"}, Resources: strs(tableArn)},
	}
	assert.EqualError(t, stmts.Validate(), `iam: statement 0 ("TableOrdersOps"): table "orders": Allow: "DropTable" is not an operation`+"\n"+
		`iam: statement 1 ("Broken"): action "dynamodb:*" has a wildcard; grant exact actions`)
}
