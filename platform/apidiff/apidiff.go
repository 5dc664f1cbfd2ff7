// Package apidiff is the breaking-change gate of the APIs' OpenAPI contracts: Compare finds the
// changes between two versions of one spec with oasdiff (the library, pinned in go.mod), and
// Repo compares every spec of the repository (platform/apispec: stacks/<context>/api/v<N>.yaml)
// with the same file where the branch left a git revision. A major version must stay compatible: a change
// that oasdiff rates an error (a removed operation, a narrowed parameter, a removed response
// field) is breaking; additions pass. A new major version is a new file, with no base to break.
package apidiff

import (
	"errors"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/load"
)

// Level rates a change as oasdiff does.
type Level string

// The levels of a change.
const (
	// Breaking changes fail the gate: clients written against the base break.
	Breaking Level = "error"
	// Warning changes may break some clients; the gate prints them and passes.
	Warning Level = "warning"
	// Compatible changes (additions, mostly) pass.
	Compatible Level = "info"
)

// Change is one change from a base spec to its revision.
type Change struct {
	// Level is how oasdiff rates it.
	Level Level
	// ID is oasdiff's rule, such as "api-path-removed-without-deprecation".
	ID string
	// Message is oasdiff's one-line message, naming the spec, the operation and the rule.
	Message string
}

// Compare returns every change from base to revision, two versions of the spec name (its path,
// for messages), breaking changes first. It fails when either version is not a valid OpenAPI
// document.
func Compare(name string, base, revision []byte) ([]Change, error) {
	// A loader per spec: a loader caches documents by name, and both have the same name.
	baseInfo, err := load.NewSpecInfoFromData(openapi3.NewLoader(), base, name)
	if err != nil {
		return nil, fmt.Errorf("%s: base: %w", name, err)
	}
	revisionInfo, err := load.NewSpecInfoFromData(openapi3.NewLoader(), revision, name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	report, sources, err := diff.GetWithOperationsSourcesMap(diff.NewConfig(), baseInfo, revisionInfo)
	if err != nil {
		return nil, fmt.Errorf("%s: diff: %w", name, err)
	}
	config := checker.NewConfig(checker.GetAllChecks())
	found := checker.CheckBackwardCompatibilityUntilLevel(config, report, sources, checker.INFO)
	l := checker.NewDefaultLocalizer()
	changes := make([]Change, 0, len(found))
	for _, c := range found {
		changes = append(changes, Change{Level: level(c.GetLevel()), ID: c.GetId(), Message: strings.TrimSpace(c.SingleLineError(l, checker.ColorNever))})
	}
	// oasdiff sorts by level, most severe first, then by place; kept as it is.
	return changes, nil
}

func level(l checker.Level) Level {
	switch l {
	case checker.ERR:
		return Breaking
	case checker.WARN:
		return Warning
	}
	return Compatible
}

// Status says how a spec of the working tree relates to the base.
type Status string

// The statuses of a spec.
const (
	// Compared: the spec is in both, and Changes says what changed.
	Compared Status = "compared"
	// New: a spec the base does not have, such as a new major version; nothing can break.
	New Status = "new"
	// Removed: a spec only the base has: its major version is retired, on purpose.
	Removed Status = "removed"
)

// Result is the comparison of one spec with its base.
type Result struct {
	// Path is the spec's path in the repository, such as "stacks/inventory/api/v1.yaml".
	Path    string
	Status  Status
	Changes []Change
}

// Count returns how many changes of level r has.
func (r Result) Count(l Level) int {
	n := 0
	for _, c := range r.Changes {
		if c.Level == l {
			n++
		}
	}
	return n
}

// ErrBreaking is returned by Check when a spec has a breaking change.
var ErrBreaking = errors.New("breaking changes to a major version of an API")

// Check returns an error wrapping ErrBreaking that names the specs with breaking changes, or
// nil when there is none.
func Check(results []Result) error {
	var broken []string
	for _, r := range results {
		if n := r.Count(Breaking); n > 0 {
			broken = append(broken, fmt.Sprintf("%s (%d)", r.Path, n))
		}
	}
	if len(broken) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %w; publish an incompatible change as a new major version (v<N+1>.yaml) beside the old one", strings.Join(broken, ", "), ErrBreaking)
}
