package tablelock

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/stratum-platform/stratum/platform/migration"
	"github.com/stratum-platform/stratum/platform/plan"
)

// tableType is the pulumi-aws type of a DynamoDB table.
const tableType = "aws:dynamodb/table:Table"

// parseGeneration splits a table resource's name into the table's name and the generation.
func parseGeneration(resource string) (string, int) {
	i := strings.LastIndex(resource, "-g")
	if i <= 0 {
		return resource, 1
	}
	digits := resource[i+2:]
	n, err := strconv.Atoi(digits)
	if err != nil || n < 2 || strconv.Itoa(n) != digits {
		return resource, 1
	}
	return resource[:i], n
}

// migrationTag is the value of a table resource's migration tag (migration.TagMigration),
// or "".
func migrationTag(r plan.Resource) string {
	tags, _ := r.Inputs["tags"].(map[string]any)
	v, _ := tags[migration.TagMigration].(string)
	return v
}

// Tables returns the table generations of a plan, with the physical names of p's stack,
// sorted; it reports every table it cannot read at once. A migration's checkpoint table
// holds no data of the context and is not one of them.
func Tables(p *plan.Plan) ([]Table, error) {
	var tables []Table
	var errs []error
	for _, r := range p.Resources {
		if r.Type != tableType || migrationTag(r) == migration.CheckpointsTag {
			continue
		}
		t, err := fromInputs(r.Name, r.Inputs)
		if err != nil {
			errs = append(errs, fmt.Errorf("table resource %q: %w", r.Name, err))
			continue
		}
		if name, _ := r.Inputs["name"].(string); name != "" && name != plan.Unknown {
			t.PhysicalNames = map[string]string{p.Stack: name}
		}
		tables = append(tables, t)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	l := Lock{Tables: tables}
	l.sort()
	return l.Tables, nil
}

// Migrations returns the migrations a plan declares: the table component tags each new
// generation with how it came and from which generation (migration.GenerationTag).
func Migrations(p *plan.Plan) []Migration {
	var out []Migration
	for _, r := range p.Resources {
		if r.Type != tableType {
			continue
		}
		strategy, from, ok := migration.ParseGenerationTag(migrationTag(r))
		if !ok {
			continue
		}
		name, _ := parseGeneration(r.Name)
		out = append(out, Migration{Table: name, From: from, Strategy: Strategy(strategy)})
	}
	return out
}

// CheckProject checks plan p of the project in dir against the project's lock, with the
// migrations p declares.
func CheckProject(dir string, p *plan.Plan) error {
	lock, err := Read(Path(dir))
	if err != nil {
		return err
	}
	if err := Check(p, lock, Migrations(p)); err != nil {
		return fmt.Errorf("%s: %s refuses the plan of %s:\n%w", p.Project, FileName, p.Stack, err)
	}
	return nil
}

// fromInputs reads a table generation from the table resource's inputs.
func fromInputs(resource string, in map[string]any) (Table, error) {
	name, gen := parseGeneration(resource)
	t := Table{Name: name, Generation: gen}
	types := map[string]string{}
	attrs, _ := in["attributes"].([]any)
	for _, a := range attrs {
		m, _ := a.(map[string]any)
		n, _ := m["name"].(string)
		typ, _ := m["type"].(string)
		types[n] = typ
	}
	var problems []string
	attribute := func(field, name string) Attribute {
		typ, ok := types[name]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s %q has no attribute definition", field, name))
		}
		return Attribute{Name: name, Type: typ}
	}
	hash, _ := in["hashKey"].(string)
	if hash == "" {
		problems = append(problems, "no hashKey")
	} else {
		t.HashKey = attribute("hashKey", hash)
	}
	if rng, _ := in["rangeKey"].(string); rng != "" {
		a := attribute("rangeKey", rng)
		t.RangeKey = &a
	}
	lsis, _ := in["localSecondaryIndexes"].([]any)
	for _, x := range lsis {
		m, _ := x.(map[string]any)
		ix := LocalIndex{}
		ix.Name, _ = m["name"].(string)
		ix.ProjectionType, _ = m["projectionType"].(string)
		rng, _ := m["rangeKey"].(string)
		ix.RangeKey = attribute("localSecondaryIndexes "+ix.Name+" rangeKey", rng)
		nonKey, _ := m["nonKeyAttributes"].([]any)
		for _, a := range nonKey {
			if s, ok := a.(string); ok {
				ix.NonKeyAttributes = append(ix.NonKeyAttributes, s)
			}
		}
		slices.Sort(ix.NonKeyAttributes)
		t.LocalSecondaryIndexes = append(t.LocalSecondaryIndexes, ix)
	}
	slices.SortFunc(t.LocalSecondaryIndexes, func(a, b LocalIndex) int { return strings.Compare(a.Name, b.Name) })
	if len(problems) > 0 {
		return Table{}, errors.New(strings.Join(problems, "; "))
	}
	return t, nil
}

// inputs writes the generation's replacement-relevant inputs as pulumi-aws names them, with
// the physical name in stack (when known), for platform/local.ReplacingChanges.
func (t Table) inputs(stack string, withName bool) map[string]any {
	in := map[string]any{"hashKey": t.HashKey.Name}
	if name := t.PhysicalNames[stack]; withName && name != "" {
		in["name"] = name
	}
	if t.RangeKey != nil {
		in["rangeKey"] = t.RangeKey.Name
	}
	if len(t.LocalSecondaryIndexes) > 0 {
		var lsis []any
		for _, ix := range t.LocalSecondaryIndexes {
			m := map[string]any{"name": ix.Name, "rangeKey": ix.RangeKey.Name, "projectionType": ix.ProjectionType}
			if len(ix.NonKeyAttributes) > 0 {
				var nk []any
				for _, a := range ix.NonKeyAttributes {
					nk = append(nk, a)
				}
				m["nonKeyAttributes"] = nk
			}
			lsis = append(lsis, m)
		}
		in["localSecondaryIndexes"] = lsis
	}
	return in
}

// Update returns the lock with p's tables recorded for p's stack: each generation in p
// takes its key and indexes from p and p's physical name, and a generation p lacks loses
// p's stack, going when no stack is left. Run it only on a plan Check accepts.
func (l *Lock) Update(p *plan.Plan) (*Lock, error) {
	tables, err := Tables(p)
	if err != nil {
		return nil, err
	}
	out := &Lock{Version: Version}
	inPlan := map[string]bool{}
	for _, t := range tables {
		inPlan[fmt.Sprintf("%s#%d", t.Name, t.Generation)] = true
		names := map[string]string{}
		if old := l.find(t.Name, t.Generation); old != nil {
			for s, n := range old.PhysicalNames {
				names[s] = n
			}
		}
		delete(names, p.Stack)
		for s, n := range t.PhysicalNames {
			names[s] = n
		}
		t.PhysicalNames = names
		out.Tables = append(out.Tables, t)
	}
	for _, old := range l.Tables {
		if inPlan[fmt.Sprintf("%s#%d", old.Name, old.Generation)] {
			continue
		}
		names := map[string]string{}
		for s, n := range old.PhysicalNames {
			if s != p.Stack {
				names[s] = n
			}
		}
		if len(names) > 0 {
			old.PhysicalNames = names
			out.Tables = append(out.Tables, old)
		}
	}
	out.sort()
	return out, nil
}
