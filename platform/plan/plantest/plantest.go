// Package plantest runs programs and components offline in tests and compares their plans
// with golden files. Every test binary that imports plantest accepts `-update`, which
// rewrites the golden files: `go test ./stacks/accounts/ -update` for one package, `make
// golden` for all of them (it passes -update only to the packages that use plantest, since
// other test binaries do not define the flag).
package plantest

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/program"
	"github.com/stratum-platform/stratum/platform/tablelock"
)

// update is the -update flag: every test binary that imports plantest accepts it.
var update = flag.Bool("update", false, "rewrite golden files")

// Project and Stack name the project and stack of Run.
const (
	Project = "test"
	Stack   = "dev"
)

// Run runs fn offline (project "test", stack "dev") and fails the test on any error.
func Run(t testing.TB, fn pulumi.RunFunc) *plan.Plan {
	t.Helper()
	p, err := plan.Run(plan.Options{Project: Project, Stack: Stack}, fn)
	if err != nil {
		t.Fatalf("running offline: %v", err)
	}
	return p
}

// RunErr runs fn offline and returns its error, for tests of failures.
func RunErr(fn pulumi.RunFunc) error {
	_, err := plan.Run(plan.Options{Project: Project, Stack: Stack}, fn)
	return err
}

// projectPlans caches ProjectPlan per directory and environment for the test binary:
// planning a context builds every handler, and a project's program is fixed by its directory.
var projectPlans sync.Map

// ProjectPlan plans the project in dir for env with its real config files, once per test
// binary; every caller gets the same plan and must not change it.
func ProjectPlan(t testing.TB, dir, env string, fn pulumi.RunFunc) *plan.Plan {
	t.Helper()
	key := dir + "\x00" + env
	if p, ok := projectPlans.Load(key); ok {
		return p.(*plan.Plan)
	}
	p, err := program.Plan(dir, env, fn)
	if err != nil {
		t.Fatalf("planning %s for %s: %v", dir, env, err)
	}
	projectPlans.Store(key, p)
	return p
}

// ARN returns the "arn" output of the one resource of type typ named name.
func ARN(t testing.TB, p *plan.Plan, typ, name string) string {
	t.Helper()
	r, err := p.Get(typ, name)
	if err != nil {
		t.Fatal(err)
	}
	arn, ok := r.Outputs["arn"].(string)
	if !ok {
		t.Fatalf("%s %q has no arn output", typ, name)
	}
	return arn
}

// Golden compares the plan with the golden file at path, or rewrites the file with -update.
// A golden file is the plan JSON with JSON strings (policies, dashboard bodies) nested, so
// that their changes review as a few lines (plan.Plan.GoldenJSON); plan.ReadGolden reads one.
func Golden(t testing.TB, path string, p *plan.Plan) {
	t.Helper()
	got, err := p.GoldenJSON()
	if err != nil {
		t.Fatal(err)
	}
	GoldenBytes(t, path, got)
}

// GoldenBytes compares got with the file at path, or rewrites the file with -update.
func GoldenBytes(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run `make golden` to create it): %v", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s is out of date; run `make golden` and review the diff.\n%s", path, firstDiff(want, got))
	}
}

// TableLock checks the plans of the project in dir (one per environment) against its
// tables.lock.json (platform/tablelock), failing on any table they would replace, and then
// compares the lock with the one the plans make, or rewrites it with -update: a context's
// lock is maintained like its golden plans. A project without tables has no lock file.
func TableLock(t testing.TB, dir string, plans ...*plan.Plan) {
	t.Helper()
	path := tablelock.Path(dir)
	lock, err := tablelock.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plans {
		if err := tablelock.CheckProject(dir, p); err != nil {
			t.Fatal(err)
		}
		if lock, err = lock.Update(p); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(path); len(lock.Tables) == 0 && errors.Is(err, os.ErrNotExist) {
		return
	}
	got, err := lock.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	GoldenBytes(t, path, got)
}

// firstDiff shows the first differing line, enough to see what changed.
func firstDiff(want, got []byte) string {
	w, g := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl []byte
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if !bytes.Equal(wl, gl) {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, wl, gl)
		}
	}
	return ""
}

// RunWithReferences runs fn like Run, answering stack references from refs: the outputs of
// each referenced stack, by its fully qualified name.
func RunWithReferences(t testing.TB, refs map[string]map[string]any, fn pulumi.RunFunc) *plan.Plan {
	t.Helper()
	lookup := func(stack string) (map[string]any, error) {
		outs, ok := refs[stack]
		if !ok {
			return nil, fmt.Errorf("no outputs given for stack %s", stack)
		}
		return outs, nil
	}
	p, err := plan.Run(plan.Options{Project: Project, Stack: Stack, Reference: lookup}, fn)
	if err != nil {
		t.Fatalf("running offline: %v", err)
	}
	return p
}
