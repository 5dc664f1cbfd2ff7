package table

import (
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
// the caller's behalf, and the platform's key policy delegates its use to IAM (it has no
// kms:ViaService statement for every principal of the account), so a caller needs the
// actions in its own policy. Reading needs kms:Decrypt (of the table key). Writing also
// gets kms:Encrypt and kms:GenerateDataKey, which AWS's key policy for DynamoDB callers
// includes, so that a table key DynamoDB renews during a write cannot fail it; the caller
// never needs kms:DescribeKey or kms:CreateGrant, which only creating or re-keying the table
// (the deployer) uses. No kms:ViaService condition is added: the functions' other grants
// already use the same key directly, so it would narrow nothing.
func readKeyActions() []string { return []string{"kms:Decrypt"} }

func writeKeyActions() []string { return []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"} }

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
// It fails when the table has no stream.
func (t *Table) AllowStreamRead() (iam.Statements, error) {
	if !t.stream {
		return nil, fmt.Errorf("table %q: AllowStreamRead: the table has no stream; set Args.Stream", t.name)
	}
	return iam.Statements{
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
		{
			Sid:       t.sid("StreamKey"),
			Actions:   slices.Clone(readKeyActions()),
			Resources: []pulumi.StringInput{t.keyArn},
		},
	}, nil
}

// grant builds the statements of one grant: the actions on the table, Query and Scan on
// the indexes when reading, and the key actions. Sids carry the table's name so that the
// grants of several tables fit in one policy.
func (t *Table) grant(what string, actions, keyActions []string) iam.Statements {
	stmts := iam.Statements{{
		Sid:       t.sid(what),
		Actions:   slices.Clone(actions),
		Resources: []pulumi.StringInput{t.Arn},
	}}
	if len(t.indexes) > 0 && slices.Contains(actions, "dynamodb:Query") {
		arns := make([]pulumi.StringInput, 0, len(t.indexes))
		for _, name := range t.indexes {
			arns = append(arns, pulumi.Sprintf("%s/index/%s", t.Arn, name))
		}
		stmts = append(stmts, iam.Statement{
			Sid:       t.sid(what + "Indexes"),
			Actions:   slices.Clone(indexActions()),
			Resources: arns,
		})
	}
	return append(stmts, iam.Statement{
		Sid:       t.sid(what + "Key"),
		Actions:   slices.Clone(keyActions),
		Resources: []pulumi.StringInput{t.keyArn},
	})
}

// sid returns "Table<Name><what>" with the logical name in CamelCase, letters and digits
// only, as statement ids require.
func (t *Table) sid(what string) string {
	var b strings.Builder
	b.WriteString("Table")
	upper := true
	for _, r := range t.name {
		switch {
		case r >= 'a' && r <= 'z':
			if upper {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
			upper = false
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
			upper = false
		default:
			upper = true
		}
	}
	b.WriteString(what)
	return b.String()
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
func (t *Table) Allow(ops ...Op) (iam.Statements, error) {
	var onTable, onIndexes []string
	keyActions := readKeyActions()
	var errs []string
	for _, op := range ops {
		action, index, write, ok := opInfo(op)
		switch {
		case !ok:
			errs = append(errs, fmt.Sprintf("%q is not an operation Allow knows", op))
			continue
		case index && len(t.indexes) == 0:
			errs = append(errs, fmt.Sprintf("%s: the table has no index", op))
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
		errs = append(errs, "no operation given")
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("table %q: Allow: %s", t.name, strings.Join(errs, "; "))
	}
	var stmts iam.Statements
	if len(onTable) > 0 {
		stmts = append(stmts, iam.Statement{Sid: t.sid("Ops"), Actions: union(onTable),
			Resources: []pulumi.StringInput{t.Arn}})
	}
	if len(onIndexes) > 0 {
		arns := make([]pulumi.StringInput, 0, len(t.indexes))
		for _, name := range t.indexes {
			arns = append(arns, pulumi.Sprintf("%s/index/%s", t.Arn, name))
		}
		stmts = append(stmts, iam.Statement{Sid: t.sid("IndexOps"), Actions: union(onIndexes), Resources: arns})
	}
	return append(stmts, iam.Statement{Sid: t.sid("OpsKey"), Actions: keyActions,
		Resources: []pulumi.StringInput{t.keyArn}}), nil
}
