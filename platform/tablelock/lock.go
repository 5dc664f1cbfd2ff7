package tablelock

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// FileName is the lock's file name in a context's directory.
const FileName = "tables.lock.json"

// Version is the version of the lock file format.
const Version = 1

// Lock is the content of a tables.lock.json.
type Lock struct {
	Version int `json:"version"`
	// Tables are sorted by name, then generation.
	Tables []Table `json:"tables"`
}

// Table is one generation of one table.
type Table struct {
	// Name is the table's name in the program, without the generation suffix.
	Name       string `json:"name"`
	Generation int    `json:"generation"`
	// PhysicalNames maps each stack (environment) that deployed the table to its name there.
	PhysicalNames map[string]string `json:"physicalNames"`
	HashKey       Attribute         `json:"hashKey"`
	RangeKey      *Attribute        `json:"rangeKey,omitempty"`
	// LocalSecondaryIndexes are sorted by name.
	LocalSecondaryIndexes []LocalIndex `json:"localSecondaryIndexes,omitempty"`
}

// Attribute is a key attribute: its name and DynamoDB type (S, N or B).
type Attribute struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// LocalIndex is a local secondary index.
type LocalIndex struct {
	Name           string    `json:"name"`
	RangeKey       Attribute `json:"rangeKey"`
	ProjectionType string    `json:"projectionType"`
	// NonKeyAttributes are sorted.
	NonKeyAttributes []string `json:"nonKeyAttributes,omitempty"`
}

// Path is the lock file of the context in dir.
func Path(dir string) string {
	return filepath.Join(dir, FileName)
}

// Read reads the lock at path; a missing file is an empty lock. It refuses unknown fields
// and reports every invalid entry at once.
func Read(path string) (*Lock, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &Lock{Version: Version}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("table lock: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var l Lock
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("table lock %s: %w", path, err)
	}
	if err := l.validate(); err != nil {
		return nil, fmt.Errorf("table lock %s: %w", path, err)
	}
	l.sort()
	return &l, nil
}

// validate reports every problem of the lock at once.
func (l *Lock) validate() error {
	var problems []string
	if l.Version != Version {
		problems = append(problems, fmt.Sprintf("version: must be %d, got %d", Version, l.Version))
	}
	seen := map[string]bool{}
	for i, t := range l.Tables {
		at := fmt.Sprintf("tables[%d]", i)
		if t.Name == "" {
			problems = append(problems, at+".name: is required")
		}
		if t.Generation < 1 {
			problems = append(problems, fmt.Sprintf("%s.generation: must be 1 or more, got %d", at, t.Generation))
		}
		id := fmt.Sprintf("%s generation %d", t.Name, t.Generation)
		if seen[id] {
			problems = append(problems, fmt.Sprintf("%s: table %q generation %d is listed twice", at, t.Name, t.Generation))
		}
		seen[id] = true
		keys := map[string]*Attribute{"hashKey": &t.HashKey, "rangeKey": t.RangeKey}
		for _, ix := range t.LocalSecondaryIndexes {
			keys["localSecondaryIndexes."+ix.Name+".rangeKey"] = &ix.RangeKey
		}
		for _, field := range slices.Sorted(maps.Keys(keys)) {
			a := keys[field]
			if a == nil {
				continue
			}
			if a.Name == "" || !slices.Contains(keyTypes(), a.Type) {
				problems = append(problems, fmt.Sprintf("%s.%s: must name an attribute of type S, N or B, got %q (%q)", at, field, a.Name, a.Type))
			}
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// keyTypes are the types a key attribute may have.
func keyTypes() []string { return []string{"S", "N", "B"} }

// Bytes is the lock as its file holds it: sorted and indented, so that a change reviews as a
// diff.
func (l *Lock) Bytes() ([]byte, error) {
	out := *l
	out.Version = Version
	out.Tables = slices.Clone(l.Tables)
	out.sort()
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("table lock: %w", err)
	}
	return append(b, '\n'), nil
}

// Write writes the lock to path (Bytes).
func (l *Lock) Write(path string) error {
	b, err := l.Bytes()
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("table lock: %w", err)
	}
	return nil
}

func (l *Lock) sort() {
	if l.Tables == nil {
		l.Tables = []Table{}
	}
	slices.SortFunc(l.Tables, func(a, b Table) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Generation, b.Generation))
	})
}

// find returns the locked generation of name, or nil.
func (l *Lock) find(name string, generation int) *Table {
	for i := range l.Tables {
		if l.Tables[i].Name == name && l.Tables[i].Generation == generation {
			return &l.Tables[i]
		}
	}
	return nil
}

// generations returns the locked generations of name, ascending.
func (l *Lock) generations(name string) []int {
	var gens []int
	for _, t := range l.Tables {
		if t.Name == name {
			gens = append(gens, t.Generation)
		}
	}
	slices.Sort(gens)
	return gens
}
