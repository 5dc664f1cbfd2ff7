package components_test

import (
	"slices"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/key"
	"github.com/stratum-platform/stratum/components/queue"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/components/table"
	"github.com/stratum-platform/stratum/components/topic"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
)

// archive is a prebuilt handler, so that these tests plan without compiling one.
const archive = "function/testdata/bootstrap.zip"

// grantors creates two resources of every kind that grants, and returns every grant they
// offer, in a fixed order.
func grantors(ctx *pulumi.Context) (iam.Statements, error) {
	sc := scopetest.New()
	var grants []iam.Statements
	for _, name := range []string{"orders", "order-lines"} {
		t, err := table.New(ctx, name, &table.Args{Scope: sc, HashKey: table.Key{Name: "id", Type: table.String},
			Stream: table.StreamNewImage})
		if err != nil {
			return nil, err
		}
		grants = append(grants, t.AllowRead(), t.AllowWrite(), t.AllowReadWrite(), t.AllowStreamRead(),
			t.Allow(table.GetItem, table.PutItem))
	}
	for _, name := range []string{"jobs", "retries"} {
		q, err := queue.New(ctx, name, &queue.Args{Scope: sc})
		if err != nil {
			return nil, err
		}
		grants = append(grants, q.AllowSend(), q.AllowConsume())
	}
	for _, name := range []string{"events", "audit"} {
		t, err := topic.New(ctx, name, &topic.Args{Scope: sc})
		if err != nil {
			return nil, err
		}
		grants = append(grants, t.AllowPublish())
	}
	for _, name := range []string{"get", "list"} {
		f, err := function.New(ctx, name, &function.Args{Scope: sc, Archive: archive})
		if err != nil {
			return nil, err
		}
		grants = append(grants, f.AllowInvoke())
	}
	for _, name := range []string{"exports", "archive"} {
		k, err := key.New(ctx, name, &key.Args{Scope: sc})
		if err != nil {
			return nil, err
		}
		grants = append(grants, k.AllowEncrypt(), k.AllowDecrypt())
	}
	return slices.Concat(grants...), nil
}

// One role holds the grants of two resources of every kind: every grant names its
// statements after the granting resource (iam.GrantSid), so none collide.
func TestTwoGrantsOfEveryKindOnOneFunction(t *testing.T) {
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		grants, err := grantors(ctx)
		if err != nil {
			return err
		}
		_, err = function.New(ctx, "worker", &function.Args{Scope: scopetest.New(), Archive: archive, Grants: grants})
		return err
	})
	policy, err := p.Get("aws:iam/rolePolicy:RolePolicy", "worker-policy")
	require.NoError(t, err)
	doc, err := iam.Parse(policy.String("policy"))
	require.NoError(t, err)
	var sids []string
	for _, st := range doc.Statement {
		sids = append(sids, st.Sid)
	}
	grants := []string{
		"TableOrdersRead", "TableOrdersReadKey", "TableOrdersWrite", "TableOrdersWriteKey",
		"TableOrdersReadWrite", "TableOrdersReadWriteKey", "TableOrdersStreamRead", "TableOrdersStreamList",
		"TableOrdersStreamKey", "TableOrdersOps", "TableOrdersOpsKey",
		"TableOrderLinesRead", "TableOrderLinesReadKey", "TableOrderLinesWrite", "TableOrderLinesWriteKey",
		"TableOrderLinesReadWrite", "TableOrderLinesReadWriteKey", "TableOrderLinesStreamRead", "TableOrderLinesStreamList",
		"TableOrderLinesStreamKey", "TableOrderLinesOps", "TableOrderLinesOpsKey",
		"QueueJobsSend", "QueueJobsSendKey", "QueueJobsConsume", "QueueJobsConsumeKey",
		"QueueRetriesSend", "QueueRetriesSendKey", "QueueRetriesConsume", "QueueRetriesConsumeKey",
		"TopicEventsPublish", "TopicEventsPublishKey", "TopicAuditPublish", "TopicAuditPublishKey",
		"FunctionGetInvoke", "FunctionListInvoke",
		"KeyExportsEncrypt", "KeyExportsDecrypt", "KeyArchiveEncrypt", "KeyArchiveDecrypt",
	}
	assert.Equal(t, append([]string{"WriteOwnLogs", "SendTraces", "DecryptEnvironment"}, grants...), sids)

	perms, err := function.Permissions(p, "worker")
	require.NoError(t, err)
	const lambda = "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-orders-"
	assert.Equal(t, []string{lambda + "get:live", lambda + "list:live"}, perms["lambda:InvokeFunction"])
	const sqs = "arn:aws:sqs:eu-west-1:111111111111:acme-dev-orders-"
	assert.Equal(t, []string{sqs + "jobs", sqs + "retries"}, perms["sqs:SendMessage"])
	assert.Len(t, perms["sns:Publish"], 2)
	assert.Len(t, perms["kms:Encrypt"], 3, "two keys, and the scope's key that table writes use")
}

// A grant that cannot be made is reported where the grantee's Args are validated, with
// every other problem of those Args.
func TestInvalidGrantsAreReportedWithTheGranteesArgs(t *testing.T) {
	var got error
	require.Error(t, plantest.RunErr(func(ctx *pulumi.Context) error {
		orders, err := table.New(ctx, "orders", &table.Args{Scope: scopetest.New(), HashKey: table.Key{Name: "id", Type: table.String}})
		if err != nil {
			return err
		}
		grants := slices.Concat(orders.Allow(table.Op("DropTable"), table.GetItem), orders.AllowStreamRead())
		_, got = function.New(ctx, "worker", &function.Args{Scope: scopetest.New(), Archive: archive, MemoryMB: 1, Grants: grants})
		return got
	}))
	assert.EqualError(t, got, `function "worker": MemoryMB: 1 is not between 128 and 10240
Grants: iam: statement 0 ("TableOrdersOps"): table "orders": Allow: ops[0]: "DropTable" is not an operation; allowed GetItem, BatchGetItem, Query, Scan, QueryIndex, ScanIndex, ConditionCheckItem, DescribeTable, PutItem, UpdateItem, DeleteItem, BatchWriteItem
iam: statement 1 ("TableOrdersStreamRead"): table "orders": AllowStreamRead: the table has no stream; set Args.Stream to one of NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY`)
}
