package fake

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// write is one put, delete or update (del holds an update's key) of one item, on condition.
type write struct {
	table  string
	put    item
	del    item
	update string
	cond   condition
}

// condition is a condition expression with its names and values.
type condition struct {
	expr   string
	names  map[string]string
	values map[string]types.AttributeValue
}

// apply checks every write's condition against the current items, then applies them all,
// or none when one fails: a ConditionalCheckFailedException for a single write, a
// TransactionCanceledException for a transaction. The caller holds t.mu.
func (t *Table) apply(op string, writes []write, rv types.ReturnValuesOnConditionCheckFailure) error {
	keys := make([]string, len(writes))
	seen := map[string]bool{}
	for i, w := range writes {
		it := w.put
		if it == nil {
			it = w.del
		}
		k, err := t.keyOf(w.table, it)
		if err != nil {
			return opError(op, err)
		}
		if seen[w.table+"/"+k] {
			return opError(op, errors.New("ValidationException: transaction request cannot include multiple operations on one item"))
		}
		seen[w.table+"/"+k] = true
		keys[i] = k
	}
	reasons := make([]types.CancellationReason, len(writes))
	failed := false
	for i, w := range writes {
		old := t.items[w.table][keys[i]]
		used := map[string]bool{}
		ok, err := w.cond.holds(old, used)
		if err == nil && w.update != "" {
			base := old
			if base == nil {
				base = item{}
			}
			_, err = applyUpdate(base, w.update, w.cond, used)
			if err == nil && old == nil && ok {
				err = errors.New("fake: update of a missing item is not supported; give it a condition that needs the item")
			}
		}
		if err == nil {
			err = w.cond.allUsed(used)
		}
		if err != nil {
			return opError(op, err)
		}
		reasons[i] = types.CancellationReason{Code: aws.String("None")}
		if !ok {
			failed = true
			reasons[i] = types.CancellationReason{Code: aws.String("ConditionalCheckFailed"), Message: aws.String("The conditional request failed")}
		}
	}
	if failed && op != TransactWriteItems {
		e := &types.ConditionalCheckFailedException{Message: aws.String("The conditional request failed")}
		if rv == types.ReturnValuesOnConditionCheckFailureAllOld {
			e.Item = maps.Clone(t.items[writes[0].table][keys[0]])
		}
		return opError(op, e)
	}
	if failed {
		return opError(op, &types.TransactionCanceledException{Message: aws.String("Transaction cancelled"), CancellationReasons: reasons})
	}
	for i, w := range writes {
		old := t.items[w.table][keys[i]]
		var next item
		switch {
		case w.put != nil:
			next = maps.Clone(w.put)
		case w.update != "":
			next, _ = applyUpdate(old, w.update, w.cond, map[string]bool{})
		}
		if next == nil {
			delete(t.items[w.table], keys[i])
		} else {
			t.items[w.table][keys[i]] = next
		}
		if w.table == t.accounts {
			t.record(old, next)
		}
	}
	return nil
}

// holds evaluates c on the item old (nil when there is none): clauses joined by " AND ",
// each attribute_exists(<path>), attribute_not_exists(<path>) or <path> = <:value>.
func (c condition) holds(old item, used map[string]bool) (bool, error) {
	if c.expr == "" {
		return true, nil
	}
	result := true
	for clause := range strings.SplitSeq(c.expr, " AND ") {
		var ok bool
		switch {
		case strings.HasPrefix(clause, "attribute_exists(") && strings.HasSuffix(clause, ")"):
			name, err := c.name(clause[len("attribute_exists("):len(clause)-1], used)
			if err != nil {
				return false, err
			}
			_, ok = old[name]
		case strings.HasPrefix(clause, "attribute_not_exists(") && strings.HasSuffix(clause, ")"):
			name, err := c.name(clause[len("attribute_not_exists("):len(clause)-1], used)
			if err != nil {
				return false, err
			}
			_, exists := old[name]
			ok = !exists
		default:
			name, value, err := c.assignment(clause, used)
			if err != nil {
				return false, err
			}
			ok = old[name] != nil && reflect.DeepEqual(old[name], value)
		}
		result = result && ok
	}
	return result, nil
}

// assignment reads "<path> = <:value>", as in a comparison or a SET.
func (c condition) assignment(s string, used map[string]bool) (string, types.AttributeValue, error) {
	path, placeholder, ok := strings.Cut(s, " = ")
	if !ok || strings.ContainsAny(path+placeholder, " ()<>,") || !strings.HasPrefix(placeholder, ":") {
		return "", nil, fmt.Errorf("fake: unsupported clause %q", s)
	}
	name, err := c.name(path, used)
	if err != nil {
		return "", nil, err
	}
	value, ok := c.values[placeholder]
	if !ok {
		return "", nil, fmt.Errorf("ValidationException: %s is not defined in ExpressionAttributeValues", placeholder)
	}
	used[placeholder] = true
	return name, value, nil
}

// name resolves a path: an attribute name, or a #placeholder of ExpressionAttributeNames.
// DynamoDB refuses reserved words, such as status, as bare names.
func (c condition) name(path string, used map[string]bool) (string, error) {
	if !strings.HasPrefix(path, "#") {
		if strings.EqualFold(path, "status") {
			return "", fmt.Errorf("ValidationException: attribute name is a reserved keyword; reserved keyword: %s", path)
		}
		return path, nil
	}
	name, ok := c.names[path]
	if !ok {
		return "", fmt.Errorf("ValidationException: %s is not defined in ExpressionAttributeNames", path)
	}
	used[path] = true
	return name, nil
}

// allUsed fails, as DynamoDB does, when a name or value placeholder is not used.
func (c condition) allUsed(used map[string]bool) error {
	for p := range c.names {
		if !used[p] {
			return fmt.Errorf("ValidationException: %s is unused in expressions", p)
		}
	}
	for p := range c.values {
		if !used[p] {
			return fmt.Errorf("ValidationException: %s is unused in expressions", p)
		}
	}
	return nil
}

// applyUpdate returns old after the update expression "SET <path> = <:value>, ...".
func applyUpdate(old item, expr string, c condition, used map[string]bool) (item, error) {
	rest, ok := strings.CutPrefix(expr, "SET ")
	if !ok {
		return nil, fmt.Errorf("fake: unsupported update expression %q", expr)
	}
	next := maps.Clone(old)
	for part := range strings.SplitSeq(rest, ", ") {
		name, value, err := c.assignment(part, used)
		if err != nil {
			return nil, err
		}
		next[name] = value
	}
	return next, nil
}

// keyCondition returns the tenant of the key condition "tenantId = :<name>" of in.
func keyCondition(in *dynamodb.QueryInput) (string, error) {
	expr := aws.ToString(in.KeyConditionExpression)
	attr, placeholder, ok := strings.Cut(expr, " = ")
	if !ok || attr != "tenantId" || strings.ContainsAny(placeholder, " ()") || !strings.HasPrefix(placeholder, ":") {
		return "", fmt.Errorf("fake: unsupported key condition %q", expr)
	}
	v, ok := in.ExpressionAttributeValues[placeholder].(*types.AttributeValueMemberS)
	if !ok || len(in.ExpressionAttributeValues) != 1 {
		return "", fmt.Errorf("fake: key condition %q needs exactly the string value %s", expr, placeholder)
	}
	return v.Value, nil
}
