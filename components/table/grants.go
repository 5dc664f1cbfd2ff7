package table

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/iam"
)

// The DynamoDB actions of each grant (functions, so that no caller can change them).
func readActions() []string {
	return []string{"dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable",
		"dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"}
}

func indexActions() []string { return []string{"dynamodb:Query", "dynamodb:Scan"} }

func writeActions() []string {
	return []string{"dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
		"dynamodb:PutItem", "dynamodb:UpdateItem"}
}

func streamActions() []string {
	return []string{"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"}
}

// The KMS actions on the scope's key. With a customer managed key, DynamoDB uses the key on
// the caller's behalf, and the context's key policy lets the context's roles use it (and
// nobody else of the account), so a caller needs the actions in its own policy. Reading needs
// kms:Decrypt (of the table key). Writing also gets kms:Encrypt and kms:GenerateDataKey,
// which AWS's key policy for DynamoDB callers includes, so that a table key DynamoDB renews
// during a write cannot fail it; the caller never needs kms:DescribeKey or kms:CreateGrant,
// which only creating or re-keying the table (the deployer) uses. The actions hold only
// through DynamoDB (kms:ViaService; stream records too): a grant to read a table does not
// let the role decrypt the context's other data with the same key.
func readKeyActions() []string { return []string{"kms:Decrypt"} }

func writeKeyActions() []string { return []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"} }

// Grants name the table's generation in use, and both generations during a migration
// (Migration), so that switching the generation in use changes no policy.

// AllowRead grants reading items: GetItem, BatchGetItem, Query, Scan, ConditionCheckItem
// and DescribeTable on the table, Query and Scan on each of its indexes, and kms:Decrypt on
// the scope's key.
func (t *Table) AllowRead() iam.Statements {
	return t.grant("Read", readActions(), readKeyActions())
}

// AllowWrite grants writing items: PutItem, UpdateItem, DeleteItem, BatchWriteItem and
// ConditionCheckItem on the table, and kms:Decrypt, kms:Encrypt, kms:GenerateDataKey on the
// scope's key.
func (t *Table) AllowWrite() iam.Statements {
	return t.grant("Write", writeActions(), writeKeyActions())
}

// AllowReadWrite grants what AllowRead and AllowWrite grant, in one set of statements.
func (t *Table) AllowReadWrite() iam.Statements {
	return t.grant("ReadWrite", union(readActions(), writeActions()), union(readKeyActions(), writeKeyActions()))
}

// AllowStreamRead grants consuming the table's stream, as a Lambda event source mapping
// does: DescribeStream, GetRecords and GetShardIterator on the stream, ListStreams on the
// table's streams, and kms:Decrypt on the scope's key (stream records are encrypted with
// the table's key). ListStreams is scoped to `<table ARN>/stream/*`, the resource AWS's
// DynamoDB documentation gives it for stream consumers; it is never granted on "*".
// On a table without a stream the grant is invalid, which the grantee's validation reports
// (see iam.Statement.Err).
func (t *Table) AllowStreamRead() iam.Statements {
	switch {
	case !t.stream && t.Table == nil:
		return t.invalid("StreamRead", fmt.Errorf("table %q: AllowStreamRead: the table has no stream; give ExistingArgs.StreamArn", t.name))
	case !t.stream:
		return t.invalid("StreamRead", fmt.Errorf("table %q: AllowStreamRead: the table has no stream; set Args.Stream to one of %s",
			t.name, allowedStreamViews))
	}
	return append(iam.Statements{
		{
			Sid:       t.sid("StreamRead"),
			Actions:   slices.Clone(streamActions()),
			Resources: []pulumi.StringInput{t.StreamArn},
		},
		{
			Sid:       t.sid("StreamList"),
			Actions:   []string{"dynamodb:ListStreams"},
			Resources: []pulumi.StringInput{pulumi.Sprintf("%s/stream/*", t.Arn)},
		},
	}, t.key("StreamKey", readKeyActions())...)
}

// key returns the statement of a grant on the table's key, or none when the table is an
// Existing one whose key was not given.
func (t *Table) key(what string, actions []string) iam.Statements {
	if t.keyArn == nil {
		return nil
	}
	return iam.Statements{{Sid: t.sid(what), Actions: slices.Clone(actions), Resources: []pulumi.StringInput{t.keyArn},
		Conditions: []iam.Condition{iam.ViaService("dynamodb", t.keyArn)}}}
}

// invalid returns the statement of a grant that cannot be made, carrying why.
func (t *Table) invalid(what string, err error) iam.Statements {
	return iam.Statements{{Sid: t.sid(what), Err: err}}
}

// grant builds the statements of one grant: the actions on the table, Query and Scan on
// the indexes when reading, and the key actions.
func (t *Table) grant(what string, actions, keyActions []string) iam.Statements {
	stmts := iam.Statements{{
		Sid:       t.sid(what),
		Actions:   slices.Clone(actions),
		Resources: t.tableArns(),
	}}
	if len(t.indexes) > 0 && slices.Contains(actions, "dynamodb:Query") {
		stmts = append(stmts, iam.Statement{
			Sid:       t.sid(what + "Indexes"),
			Actions:   slices.Clone(indexActions()),
			Resources: t.indexArns(),
		})
	}
	return append(stmts, t.key(what+"Key", keyActions)...)
}

// sid returns the statement id of one statement of the table's grants (iam.GrantSid):
// "Table<Name><what>", so that the grants of several tables fit in one policy.
func (t *Table) sid(what string) string {
	return iam.GrantSid(TypeToken, t.name, what)
}

// union returns the sorted, de-duplicated union of the lists.
func union(lists ...[]string) []string {
	out := slices.Concat(lists...)
	slices.Sort(out)
	return slices.Compact(out)
}

// Op is one DynamoDB data-plane operation that Allow grants exactly.
type Op string

// The operations Allow knows. Query and Scan apply to the table itself; QueryIndex and
// ScanIndex to every index of the table.
const (
	GetItem            Op = "GetItem"
	BatchGetItem       Op = "BatchGetItem"
	Query              Op = "Query"
	Scan               Op = "Scan"
	QueryIndex         Op = "QueryIndex"
	ScanIndex          Op = "ScanIndex"
	ConditionCheckItem Op = "ConditionCheckItem"
	DescribeTable      Op = "DescribeTable"
	PutItem            Op = "PutItem"
	UpdateItem         Op = "UpdateItem"
	DeleteItem         Op = "DeleteItem"
	BatchWriteItem     Op = "BatchWriteItem"
)

// ops returns every Op, in the order messages list them.
func ops() []Op {
	return []Op{GetItem, BatchGetItem, Query, Scan, QueryIndex, ScanIndex, ConditionCheckItem, DescribeTable,
		PutItem, UpdateItem, DeleteItem, BatchWriteItem}
}

// opInfo says what an Op is: its IAM action, whether it acts on the indexes, whether it
// writes (and so needs the key's encrypt actions).
func opInfo(op Op) (action string, index, write, ok bool) {
	switch op {
	case GetItem, BatchGetItem, Query, Scan, ConditionCheckItem, DescribeTable:
		return "dynamodb:" + string(op), false, false, true
	case QueryIndex:
		return "dynamodb:Query", true, false, true
	case ScanIndex:
		return "dynamodb:Scan", true, false, true
	case PutItem, UpdateItem, DeleteItem, BatchWriteItem:
		return "dynamodb:" + string(op), false, true, true
	}
	return "", false, false, false
}

// Allow grants exactly the given operations, for a function whose code makes only those
// calls: each action on the table (or, for QueryIndex and ScanIndex, on each index), and
// on the scope's key kms:Decrypt, plus kms:Encrypt and kms:GenerateDataKey when an
// operation writes. Use it rather than AllowRead/AllowWrite when the calls are known.
//
// An operation Allow does not know, an index operation on a table without indexes, or no
// operation at all make the grant invalid: the grantee's validation (function.Args)
// reports every such problem with its own (see iam.Statement.Err).
func (t *Table) Allow(ops ...Op) iam.Statements {
	var onTable, onIndexes []string
	keyActions := readKeyActions()
	var errs []error
	for i, op := range ops {
		action, index, write, ok := opInfo(op)
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("ops[%d]: %q is not an operation; allowed %s", i, op, allowedOps()))
			continue
		case index && len(t.indexes) == 0:
			errs = append(errs, fmt.Errorf("ops[%d]: %s needs an index and the table has none; use %s or add Args.Indexes",
				i, op, strings.TrimSuffix(string(op), "Index")))
			continue
		case index:
			onIndexes = append(onIndexes, action)
		default:
			onTable = append(onTable, action)
		}
		if write {
			keyActions = writeKeyActions()
		}
	}
	if len(ops) == 0 {
		errs = append(errs, fmt.Errorf("ops: none given; allowed %s", allowedOps()))
	}
	if len(errs) > 0 {
		return t.invalid("Ops", fmt.Errorf("table %q: Allow: %w", t.name, errors.Join(errs...)))
	}
	var stmts iam.Statements
	if len(onTable) > 0 {
		stmts = append(stmts, iam.Statement{Sid: t.sid("Ops"), Actions: union(onTable), Resources: t.tableArns()})
	}
	if len(onIndexes) > 0 {
		stmts = append(stmts, iam.Statement{Sid: t.sid("IndexOps"), Actions: union(onIndexes), Resources: t.indexArns()})
	}
	return append(stmts, t.key("OpsKey", keyActions)...)
}

// allowedOps lists the operations Allow knows, for messages.
func allowedOps() string {
	names := make([]string, 0, len(ops()))
	for _, op := range ops() {
		names = append(names, string(op))
	}
	return strings.Join(names, ", ")
}
