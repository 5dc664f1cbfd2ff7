package naming

import (
	"errors"
	"fmt"
	"strings"
)

// Scope is the naming scope of one bounded context in one environment. Every physical name
// the context creates starts with its parts.
type Scope struct {
	// Org is the short organisation prefix, for example "acme".
	Org string
	// Env is the environment, for example "dev" or "prod".
	Env string
	// Context is the bounded context, for example "accounts".
	Context string
}

// The limits keep the scope prefix at most 47 characters, which leaves room for a
// meaningful name inside the tightest AWS limit (64 characters for Lambda and IAM roles).
const (
	maxOrg     = 12
	maxEnv     = 8
	maxContext = 24
)

// Validate reports every problem with the scope's parts at once. Each part must be
// non-empty, lowercase, made of [a-z0-9-], start with a letter, and have no trailing or
// double hyphen, so that the hyphens in a physical name separate its parts readably.
func (s Scope) Validate() error {
	return errors.Join(
		validatePart("org", s.Org, maxOrg),
		validatePart("env", s.Env, maxEnv),
		validatePart("context", s.Context, maxContext),
	)
}

// Prefix returns "<org>-<env>-<context>", the start of every physical name in the scope.
func (s Scope) Prefix() string {
	return s.Org + "-" + s.Env + "-" + s.Context
}

func validatePart(field, value string, limit int) error {
	if value == "" {
		return fmt.Errorf("naming: %s is empty; it is required", field)
	}
	var errs []error
	if !wellFormedPart(value) {
		errs = append(errs, fmt.Errorf(
			"naming: %s %q must match [a-z][a-z0-9-]* with no trailing or double hyphen", field, value))
	}
	if len(value) > limit {
		errs = append(errs, fmt.Errorf(
			"naming: %s %q is %d characters; at most %d allowed", field, value, len(value), limit))
	}
	return errors.Join(errs...)
}

func wellFormedPart(v string) bool {
	if v[0] < 'a' || v[0] > 'z' || strings.HasSuffix(v, "-") || strings.Contains(v, "--") {
		return false
	}
	for _, r := range v {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

// Child returns the logical (Pulumi) name of a component's child: parent + "-" + name.
// An empty part is left out, so a top-level resource can pass an empty parent.
func Child(parent, name string) string {
	switch {
	case parent == "":
		return name
	case name == "":
		return parent
	}
	return parent + "-" + name
}
