package tablelock

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/local"
	"github.com/stratum-platform/stratum/platform/plan"
)

// Strategy is how a migration moves a table's items to its new generation.
type Strategy string

// The strategies of a migration.
const (
	// Replicate replicates the old generation's stream into the new one and backfills it
	// with a segmented parallel Scan (platform/migration): the way to change a key.
	Replicate Strategy = "replicate"
	// Restore restores the old generation at a point in time under the new name: the way to
	// rename a table whose key stays.
	Restore Strategy = "restore"
)

// componentName is how the table component names a strategy, for messages.
func (s Strategy) componentName() string {
	if s == Restore {
		return "table.Restore"
	}
	return "table.Replicate"
}

// Migration is a declared migration as plain data: what the table component's
// table.Migration says.
type Migration struct {
	// Table is the table's name in the program.
	Table string
	// From is the generation migrated from, as locked; the migration creates From+1.
	From int
	// Strategy is Replicate or Restore.
	Strategy Strategy
}

// Generation returns the locked generation of table name, for a program that keeps the old
// generation as it is during a migration.
func (l *Lock) Generation(name string, generation int) (Table, bool) {
	t := l.find(name, generation)
	if t == nil {
		return Table{}, false
	}
	return *t, true
}

// Check compares the tables of plan p with the lock, given the migrations the program
// declares, and returns every problem at once, one per line: a change that replaces a
// locked table (naming the table, its old and new key, and the migration to declare), a
// generation no migration declares, a migration that does not fit the lock, and a locked
// table the program no longer has.
func Check(p *plan.Plan, lock *Lock, migrations []Migration) error {
	tables, err := Tables(p)
	if err != nil {
		return err
	}
	declared, problems := checkMigrations(lock, migrations)
	planned := map[string][]int{}
	for _, t := range tables {
		planned[t.Name] = append(planned[t.Name], t.Generation)
	}
	for _, t := range tables {
		m, ok := declared[t.Name]
		if locked := lock.find(t.Name, t.Generation); locked != nil {
			what, err := replacing(*locked, t, p.Stack)
			if err != nil {
				return err
			}
			if len(what) > 0 {
				problems = append(problems, replaceProblem(*locked, t, p.Stack, what, ok && m.From == t.Generation))
			}
			continue
		}
		gens := lock.generations(t.Name)
		if len(gens) == 0 {
			continue // a new table
		}
		latest := gens[len(gens)-1]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("table %q in %s: generation %d is not in the lock, which has generation %d, and no migration declares it; declare table.Migration{From: %d, Strategy: table.Replicate} to create it",
				t.Name, p.Stack, t.Generation, latest, latest))
		case t.Generation != m.From+1:
			problems = append(problems, fmt.Sprintf("table %q in %s: generation %d does not follow the declared migration from generation %d, which creates generation %d",
				t.Name, p.Stack, t.Generation, m.From, m.From+1))
		case m.Strategy == Restore:
			if from := lock.find(t.Name, m.From); from != nil && describeKey(*from) != describeKey(t) {
				problems = append(problems, fmt.Sprintf("table %q in %s: strategy restore copies generation %d as it is and cannot change its key (%s -> %s); declare table.Migration{From: %d, Strategy: table.Replicate}",
					t.Name, p.Stack, m.From, describeKey(*from), describeKey(t), m.From))
			}
		}
	}
	for _, locked := range lock.Tables {
		if locked.PhysicalNames[p.Stack] == "" || slices.Contains(planned[locked.Name], locked.Generation) {
			continue
		}
		if gens := planned[locked.Name]; len(gens) > 0 && slices.Max(gens) > locked.Generation {
			continue // a completed migration: a newer generation took over
		}
		problems = append(problems, fmt.Sprintf("table %q in %s (generation %d, %s): the program no longer has it, and removing it deletes the table and its data; if that is intended, remove it from %s",
			locked.Name, p.Stack, locked.Generation, locked.PhysicalNames[p.Stack], FileName))
	}
	if len(problems) == 0 {
		return nil
	}
	errs := make([]error, len(problems))
	for i, pr := range problems {
		errs[i] = errors.New(pr)
	}
	return errors.Join(errs...)
}

// checkMigrations validates the declared migrations against the lock and returns the valid
// ones by table.
func checkMigrations(lock *Lock, migrations []Migration) (map[string]Migration, []string) {
	declared := map[string]Migration{}
	var problems []string
	for i, m := range migrations {
		at := fmt.Sprintf("migrations[%d] (table %q)", i, m.Table)
		var bad []string
		if m.Table == "" {
			bad = append(bad, "Table: is required")
		}
		if m.Strategy != Replicate && m.Strategy != Restore {
			bad = append(bad, fmt.Sprintf("Strategy: must be %s or %s, got %q", Replicate, Restore, m.Strategy))
		}
		if m.From < 1 {
			bad = append(bad, fmt.Sprintf("From: must be a generation, 1 or more, got %d", m.From))
		}
		if _, dup := declared[m.Table]; dup && m.Table != "" {
			bad = append(bad, "a second migration of the table; declare one at a time")
		}
		if len(bad) == 0 && lock.find(m.Table, m.From) == nil && lock.find(m.Table, m.From+1) == nil {
			if gens := lock.generations(m.Table); len(gens) == 0 {
				bad = append(bad, "the lock has no such table: a new table needs no migration")
			} else {
				bad = append(bad, fmt.Sprintf("From: the lock has generation %s of the table, not %d", joinInts(gens), m.From))
			}
		}
		if len(bad) > 0 {
			problems = append(problems, at+": "+strings.Join(bad, "; "))
			continue
		}
		declared[m.Table] = m
	}
	return declared, problems
}

// replacing returns what changes between the locked generation and the planned one that
// AWS can only make by replacing the table, in words, in a fixed order.
func replacing(locked, planned Table, stack string) ([]string, error) {
	withName := locked.PhysicalNames[stack] != "" && planned.PhysicalNames[stack] != ""
	paths, err := local.ReplacingChanges(tableType, locked.inputs(stack, withName), planned.inputs(stack, withName))
	if err != nil {
		return nil, fmt.Errorf("table lock: %w", err)
	}
	changed := map[string]bool{}
	for _, p := range paths {
		switch {
		case p == "name":
			changed["name"] = true
		case p == "hashKey":
			changed["hash"] = true
		case p == "rangeKey":
			changed["range"] = true
		case strings.HasPrefix(p, "localSecondaryIndexes"):
			changed["lsi"] = true
		default:
			changed[p] = true
		}
	}
	// Key types: not in the facts (see the package documentation), replaced all the same.
	if locked.HashKey.Name == planned.HashKey.Name && locked.HashKey.Type != planned.HashKey.Type {
		changed["hashType"] = true
	}
	if locked.RangeKey != nil && planned.RangeKey != nil && locked.RangeKey.Name == planned.RangeKey.Name && locked.RangeKey.Type != planned.RangeKey.Type {
		changed["rangeType"] = true
	}
	for _, ix := range locked.LocalSecondaryIndexes {
		for _, px := range planned.LocalSecondaryIndexes {
			if ix.Name == px.Name && ix.RangeKey.Name == px.RangeKey.Name && ix.RangeKey.Type != px.RangeKey.Type {
				changed["lsi"] = true
			}
		}
	}
	words := []struct{ key, text string }{
		{"name", "the name to " + planned.PhysicalNames[stack]},
		{"hash", "the hash key"},
		{"hashType", "the hash key's type"},
		{"range", "the range key"},
		{"rangeType", "the range key's type"},
		{"lsi", "the local secondary indexes"},
	}
	var what []string
	for _, w := range words {
		if changed[w.key] {
			what = append(what, w.text)
			delete(changed, w.key)
		}
	}
	return append(what, slices.Sorted(maps.Keys(changed))...), nil
}

// replaceProblem is the message of a change that would replace a locked table.
func replaceProblem(locked, planned Table, stack string, what []string, migrating bool) string {
	where := fmt.Sprintf("generation %d", locked.Generation)
	if name := locked.PhysicalNames[stack]; name != "" {
		where += ", " + name
	}
	key := describeKey(locked) + " -> " + describeKey(planned)
	if describeKey(locked) == describeKey(planned) {
		key = describeKey(locked) + ", unchanged"
	}
	strategy := Replicate
	if len(what) == 1 && strings.HasPrefix(what[0], "the name") {
		strategy = Restore
	}
	msg := fmt.Sprintf("table %q in %s (%s): changing %s replaces the table, which loses its data (key: %s); declare table.Migration{From: %d, Strategy: %s} to move its items to generation %d",
		planned.Name, stack, where, joinWords(what), key, locked.Generation, strategy.componentName(), locked.Generation+1)
	if migrating {
		msg += fmt.Sprintf("; a migration from generation %d is declared, so generation %d must stay as locked and the change go to generation %d",
			locked.Generation, locked.Generation, locked.Generation+1)
	}
	return msg
}

// describeKey writes a table's key: "hash tenantId (S), range accountId (S)".
func describeKey(t Table) string {
	s := fmt.Sprintf("hash %s (%s)", t.HashKey.Name, t.HashKey.Type)
	if t.RangeKey != nil {
		s += fmt.Sprintf(", range %s (%s)", t.RangeKey.Name, t.RangeKey.Type)
	}
	return s
}

// joinWords joins "a", "b" and "c" as "a, b and c".
func joinWords(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return joinWords(s)
}
