package components_test

import (
	"os"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/anatomy"
)

// TestAnatomy keeps every component on one skeleton (DESIGN section 4), in the spirit of the
// CDK's awslint: it reads the source of each package under components/ and reports every way
// a component departs from it. See anatomy.Check for the rules.
func TestAnatomy(t *testing.T) {
	dirs, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, d := range dirs {
		if !d.IsDir() || slices.Contains(helpers(), d.Name()) {
			continue
		}
		r := anatomy.Component()
		if e, ok := exceptions()[d.Name()]; ok {
			r = e
		}
		problems, err := anatomy.Check(d.Name(), r)
		require.NoError(t, err)
		for _, problem := range problems {
			t.Errorf("components/%s: %s", d.Name(), problem)
		}
		checked++
	}
	if checked < 8 {
		t.Fatalf("only %d component packages checked: the test is not looking at the components", checked)
	}
}

// TestAnatomyReportsEveryViolation runs the checker on a component that breaks every rule
// (testdata/anatomy/broken, never built: go ignores testdata), so that a rule that stopped
// checking anything fails here.
func TestAnatomyReportsEveryViolation(t *testing.T) {
	assert.Equal(t, []string{
		"TypeToken: is not a constant of github.com/stratum-platform/stratum/platform/tokens; platform/graph recognises components by those, so a rename must change both",
		"New: the signature is not New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Broken, error)",
		"(*Args).Validate: does not join its errors (errors.Join); validation reports every problem at once",
		"(*Args).withDefaults: is missing; the one defaults step has this name in every component",
		"New: calls RegisterComponentResource before Validate; the order is Validate, withDefaults, RegisterComponentResource, children, RegisterResourceOutputs",
		"New: does not call RegisterResourceOutputs",
		"New: registers the component as \"stratum:broken:Broken\", not TypeToken",
		"Overrides.Bucket: is never applied through override.Apply",
		"Overrides.Policy: is never applied through override.Apply",
		"Overrides.Retries: is not a hook (a func of a child's arguments)",
		"(*Broken).AllowRead: returns (iam.Statements, error); a grant returns iam.Statements alone (an impossible grant carries its error in iam.Statement.Err)",
		"(*Broken).AllowWrite: returns iam.Statement; a grant returns iam.Statements alone (an impossible grant carries its error in iam.Statement.Err)",
		"Broken.policy: holds child resources but is not exported; callers read children and depend on them",
		"Overrides.Bucket at broken.go:63: is used outside override.Apply; run every hook through it, which re-applies the owned fields after it",
		"Overrides.Bucket at broken.go:64: is used outside override.Apply; run every hook through it, which re-applies the owned fields after it",
		"Overrides.Policy at broken.go:67: is used outside override.Apply; run every hook through it, which re-applies the owned fields after it",
	}, broken(t, anatomy.Component()))
}

// An extension's type token is a literal of its own package; the rest is the same.
func TestAnatomyOfAnExtension(t *testing.T) {
	problems := broken(t, anatomy.Extension())
	assert.NotContains(t, problems, "TypeToken: is not a constant of github.com/stratum-platform/stratum/platform/tokens; platform/graph recognises components by those, so a rename must change both")
	assert.Len(t, problems, 15)
}

func broken(t *testing.T, parts anatomy.Parts) []string {
	t.Helper()
	problems, err := anatomy.Check("testdata/anatomy/broken", parts)
	require.NoError(t, err)
	return problems
}

// helpers are the packages under components/ that are not components: alarm creates the
// alarms of every component, scope is the value every Args carries, override runs hooks,
// dashboard describes the graphs members draw, anatomy is this check, internal holds what
// components share (the dead-letter queue, the Existing checks), testdata the broken
// example.
func helpers() []string {
	return []string{"alarm", "anatomy", "dashboard", "internal", "override", "scope", "testdata"}
}

// exceptions are the packages that differ, each with its reason.
func exceptions() map[string]anatomy.Parts {
	return map[string]anatomy.Parts{
		// service is the composition root of a context, not a resource wrapper: its members
		// are declared after New (so Finish registers the outputs, the dashboard among
		// them), its only child of its own, the key, is a member component with its own
		// Overrides, and its one default (the handlers directory) is read from the running
		// project, which can fail, in New.
		"service": {Tokens: anatomy.TokensPath},
	}
}
