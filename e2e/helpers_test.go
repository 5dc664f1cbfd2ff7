package e2e

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/engine"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
	"github.com/stratum-platform/stratum/platform/program"
	"github.com/stratum-platform/stratum/stacks"
)

// repo is the repository root; the tests need the pinned CLI in its bin directory.
func repo(t *testing.T) string {
	t.Helper()
	root, err := plan.ModuleRoot(".")
	require.NoError(t, err)
	if _, err := os.Stat(filepath.Join(root, "bin", "pulumi")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the real-engine suite needs the pinned Pulumi CLI in bin/pulumi, and CI must run it: %v", err)
		}
		t.Skip("bin/pulumi is missing: run `make tools` to build the pinned Pulumi CLI, then the real-engine suite runs")
	}
	return root
}

// ordered plans the named projects (all when none) of env offline, as `stratum` does, and
// returns them in deploy order.
func ordered(t *testing.T, root, env string, names ...string) []engine.Project {
	t.Helper()
	var projects []engine.Project
	var plans []*plan.Plan
	for _, p := range stacks.All() {
		if len(names) > 0 && !contains(names, p.Name) {
			continue
		}
		e := engine.Project{Name: p.Name, Dir: p.Dir, Program: p.Program, Rules: stacks.Rules(), Suppressions: p.Suppressions}
		projects = append(projects, e)
		plans = append(plans, offline(t, root, env, e))
	}
	out, err := engine.Order(projects, plans)
	require.NoError(t, err)
	return out
}

// offline is the offline plan of p, its references answered by the golden plans.
func offline(t *testing.T, root, env string, p engine.Project) *plan.Plan {
	t.Helper()
	pl, err := program.Plan(filepath.Join(root, p.Dir), env, p.Program)
	require.NoError(t, err)
	require.NoError(t, policy.Evaluate(pl, p.Rules, p.Suppressions...))
	return pl
}

// variant is p with another program, as if its code had been edited in a copy of the repo.
func variant(t *testing.T, root, env string, p engine.Project, program pulumi.RunFunc) engine.Project {
	t.Helper()
	p.Program, p.DependsOn = program, nil
	p.Offline = offline(t, root, env, p)
	return p
}

func find(t *testing.T, projects []engine.Project, name string) engine.Project {
	t.Helper()
	for _, p := range projects {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no project %q", name)
	return engine.Project{}
}

func byProject(results []engine.Result) map[string]engine.Result {
	out := map[string]engine.Result{}
	for _, r := range results {
		out[r.Project] = r
	}
	return out
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// options are the local-mode options of a test, with the engine's progress in the test log.
func options(t *testing.T, root, env string) engine.Options {
	return engine.Options{Root: root, Env: env, Local: true, WorkDir: t.TempDir(), Progress: &logWriter{t: t}}
}

func run(t *testing.T, op engine.Op, projects []engine.Project, opts engine.Options) ([]engine.Result, error) {
	t.Helper()
	results, err := engine.Run(context.Background(), op, projects, opts)
	t.Log(engine.Text(op, opts.Env, results))
	return results, err
}

// copyRepo copies the repository's source (no git, binaries or local state) into a
// temporary directory, where a test may edit it.
func copyRepo(t *testing.T, root string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		switch d.Name() {
		case ".git", "bin", ".stratum", "node_modules":
			// In a linked worktree .git is a file naming the repository's git directory: a
			// copy of it would let the test's git commands write to the real branch.
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	require.NoError(t, err)
	return dst
}

// gitIn makes tree a git repository with one commit of everything in it, and returns a
// function that runs git there, failing the test on an error, and returns its trimmed output.
func gitIn(t *testing.T, tree string) func(args ...string) string {
	t.Helper()
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=e2e", "-c", "user.email=e2e@example.invalid"}, args...)...)
		cmd.Dir = tree
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "git %v: %s", args, out)
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	git("add", "-A")
	git("commit", "-qm", "baseline")
	return git
}

// logWriter writes each line to the test log.
type logWriter struct {
	t   *testing.T
	mu  sync.Mutex
	buf []byte
}

func (w *logWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		w.t.Log(string(w.buf[:i]))
		w.buf = w.buf[i+1:]
	}
}
