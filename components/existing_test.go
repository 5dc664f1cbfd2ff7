package components_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/queue"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/components/table"
	"github.com/stratum-platform/stratum/components/topic"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/platform/stackref"
)

// ARNs of resources another stack owns, as its contract would export them.
const (
	otherKey      = "arn:aws:kms:eu-west-1:111111111111:key/0e6c3f4a-1111-2222-3333-444455556666"
	otherFunction = "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-accounts-connection:live"
	otherQueue    = "arn:aws:sqs:eu-west-1:111111111111:acme-dev-billing-inbox"
	otherTable    = "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-accounts-registrations"
	otherStream   = otherTable + "/stream/2026-01-01T00:00:00.000"
	otherTopic    = "arn:aws:sns:eu-west-1:111111111111:acme-dev-accounts-events"
)

// The grants of every Existing resource plan on one function, exactly: the actions on the
// ARNs given (read from another stack, here literals) and the key's statements when the
// key is given.
func TestGrantsOnExistingResources(t *testing.T) {
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		fn, err := function.Existing("accounts-connection", function.ExistingArgs{Arn: pulumi.String(otherFunction)})
		if err != nil {
			return err
		}
		q, err := queue.Existing("billing-inbox", queue.ExistingArgs{Arn: pulumi.String(otherQueue), KeyArn: pulumi.String(otherKey)})
		if err != nil {
			return err
		}
		tb, err := table.Existing("registrations", table.ExistingArgs{Arn: pulumi.String(otherTable),
			KeyArn: pulumi.String(otherKey), Indexes: []string{"byTenant"}, StreamArn: pulumi.String(otherStream)})
		if err != nil {
			return err
		}
		tp, err := topic.Existing("accounts-events", topic.ExistingArgs{Arn: pulumi.String(otherTopic)})
		if err != nil {
			return err
		}
		grants := slices.Concat(fn.AllowInvoke(), q.AllowSend(), tb.Allow(table.GetItem, table.QueryIndex),
			tb.AllowStreamRead(), tp.AllowPublish())
		_, err = function.New(ctx, "worker", &function.Args{Scope: scopetest.New(), Archive: archive, Grants: grants})
		return err
	})
	policy, err := p.Get("aws:iam/rolePolicy:RolePolicy", "worker-policy")
	require.NoError(t, err)
	doc, err := iam.Parse(policy.String("policy"))
	require.NoError(t, err)
	got := map[string][]string{}
	for _, st := range doc.Statement[3:] {
		got[st.Sid] = append(slices.Clone(st.Action), st.Resource...)
	}
	assert.Equal(t, map[string][]string{
		"FunctionAccountsConnectionInvoke": {"lambda:InvokeFunction", otherFunction},
		"QueueBillingInboxSend":            {"sqs:SendMessage", otherQueue},
		"QueueBillingInboxSendKey":         {"kms:Decrypt", "kms:GenerateDataKey", otherKey},
		"TableRegistrationsOps":            {"dynamodb:GetItem", otherTable},
		"TableRegistrationsIndexOps":       {"dynamodb:Query", otherTable + "/index/byTenant"},
		"TableRegistrationsOpsKey":         {"kms:Decrypt", otherKey},
		"TableRegistrationsStreamRead":     {"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", otherStream},
		"TableRegistrationsStreamList":     {"dynamodb:ListStreams", otherTable + "/stream/*"},
		"TableRegistrationsStreamKey":      {"kms:Decrypt", otherKey},
		// No key given: an unencrypted topic, or one whose key policy allows the publisher.
		"TopicAccountsEventsPublish": {"sns:Publish", otherTopic},
	}, got)
	assert.Len(t, p.Find("aws:lambda/function:Function", ""), 1, "nothing is created for an existing resource")
}

// Existing resources expose their identifiers, derived from the ARN.
func TestExistingIdentifiers(t *testing.T) {
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		fn, err := function.Existing("connection", function.ExistingArgs{Arn: pulumi.String(otherFunction)})
		if err != nil {
			return err
		}
		q, err := queue.Existing("inbox", queue.ExistingArgs{Arn: pulumi.String(otherQueue)})
		if err != nil {
			return err
		}
		tb, err := table.Existing("registrations", table.ExistingArgs{Arn: pulumi.String(otherTable)})
		if err != nil {
			return err
		}
		tp, err := topic.Existing("events", topic.ExistingArgs{Arn: pulumi.String(otherTopic)})
		if err != nil {
			return err
		}
		stackref.Export(ctx, "function", pulumi.All(fn.Arn, fn.Name, fn.AliasArn, fn.AliasInvokeArn))
		stackref.Export(ctx, "queue", pulumi.All(q.URL, q.Name))
		stackref.Export(ctx, "table", tb.Name)
		stackref.Export(ctx, "topic", tp.Name)
		return nil
	})
	assert.Equal(t, []any{
		"arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-accounts-connection", "acme-dev-accounts-connection",
		otherFunction, "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/" + otherFunction + "/invocations",
	}, p.Outputs["function"])
	assert.Equal(t, []any{"https://sqs.eu-west-1.amazonaws.com/111111111111/acme-dev-billing-inbox", "acme-dev-billing-inbox"}, p.Outputs["queue"])
	assert.Equal(t, "acme-dev-accounts-registrations", p.Outputs["table"])
	assert.Equal(t, "acme-dev-accounts-events", p.Outputs["topic"])
}

func TestExistingArgsAreValidated(t *testing.T) {
	_, err := function.Existing("", function.ExistingArgs{Arn: pulumi.String(otherQueue)})
	assert.EqualError(t, err, strings.Join([]string{
		`function "": name: is required (the grants' statement ids name the resource)`,
		`Arn: "` + otherQueue + `" is not an ARN like arn:aws:lambda:<region>:<account>:function:<name>`,
	}, "\n"))
	_, err = queue.Existing("inbox", queue.ExistingArgs{KeyArn: pulumi.String("alias/aws/sqs")})
	assert.EqualError(t, err, `queue "inbox": Arn: is required (the resource's ARN, a literal or another stack's output)`+"\n"+
		`KeyArn: "alias/aws/sqs" is not a KMS key ARN like arn:aws:kms:<region>:<account>:key/<id>`)
	_, err = table.Existing("t", table.ExistingArgs{Arn: pulumi.String(otherTable + "*"), Indexes: []string{"x"}})
	assert.EqualError(t, err, `table "t": Arn: "`+otherTable+`*" is not an ARN like arn:aws:dynamodb:<region>:<account>:table/<name>`+"\n"+
		`Indexes[0]: "x" is not an index name (3 to 255 of [A-Za-z0-9_.-])`)
	_, err = topic.Existing("events", topic.ExistingArgs{Arn: pulumi.String(otherQueue)})
	assert.EqualError(t, err, `topic "events": Arn: "`+otherQueue+`" is not an ARN like arn:aws:sns:<region>:<account>:<name>`)
}

// What needs the resource's own stack is refused: consuming another stack's queue,
// granting another stack's function's role, reading a stream that was not given.
func TestExistingResourcesRefuseWhatTheirOwnerDoes(t *testing.T) {
	var consumeErr, grantErr error
	var stream iam.Statements
	require.Error(t, plantest.RunErr(func(ctx *pulumi.Context) error {
		q, err := queue.Existing("inbox", queue.ExistingArgs{Arn: pulumi.String(otherQueue)})
		if err != nil {
			return err
		}
		fn, err := function.Existing("connection", function.ExistingArgs{Arn: pulumi.String(otherFunction)})
		if err != nil {
			return err
		}
		_, grantErr = fn.Grant(ctx, "extra", q.AllowSend())
		tb, err := table.Existing("registrations", table.ExistingArgs{Arn: pulumi.String(otherTable)})
		if err != nil {
			return err
		}
		stream = tb.AllowStreamRead()
		worker, err := function.New(ctx, "worker", &function.Args{Scope: scopetest.New(), Archive: archive})
		if err != nil {
			return err
		}
		_, consumeErr = queue.NewConsumer(ctx, "inbox-worker", q, &queue.ConsumerArgs{Function: worker})
		return consumeErr
	}))
	assert.EqualError(t, consumeErr, `consumer "inbox-worker": queue: "inbox" is another stack's (queue.Existing); a context consumes only its own queues`)
	assert.EqualError(t, grantErr, `function "connection": grant "extra": the function is another stack's (function.Existing); only its own stack changes its role`)
	require.Len(t, stream, 1)
	assert.EqualError(t, stream[0].Err, `table "registrations": AllowStreamRead: the table has no stream; give ExistingArgs.StreamArn`)
}
