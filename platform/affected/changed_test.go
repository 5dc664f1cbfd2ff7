package affected_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stratum-platform/stratum/platform/affected"
)

// gitRepo is a throwaway git repository for one test.
type gitRepo struct {
	t   *testing.T
	dir string
}

// newGitRepo initialises a repository on branch main, isolated from the user's git config.
func newGitRepo(t *testing.T) gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	r := gitRepo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	r.git("config", "user.name", "test")
	r.git("config", "user.email", "test@example.com")
	r.git("config", "commit.gpgsign", "false")
	return r
}

// git runs git in the repository and fails the test on error.
func (r gitRepo) git(args ...string) {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.dir}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		r.t.Fatalf("git %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// write creates or replaces the file at rel with content.
func (r gitRepo) write(rel, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// commit stages everything and commits it.
func (r gitRepo) commit(msg string) {
	r.t.Helper()
	r.git("add", "-A")
	r.git("commit", "-q", "-m", msg)
}

func TestChanged(t *testing.T) {
	r := newGitRepo(t)
	r.write(".gitignore", "/bin/\n")
	r.write("main.go", "package main\n")
	r.write("old.go", "package main\n")
	r.write("stacks/a/Pulumi.yaml", "name: a\n")
	r.write("components/queue/queue.go", "package queue\n")
	r.write("untouched.go", "package main\n")
	r.commit("base")

	r.git("checkout", "-q", "-b", "feature")
	r.write("components/queue/queue.go", "package queue // changed\n")
	r.git("mv", "old.go", "new.go")
	r.write("stacks/a/handlers/reg/main.go", "package main\n")
	r.commit("feature")

	// A commit on main after the branch point is not the branch's change.
	r.git("checkout", "-q", "main")
	r.write("untouched.go", "package main // changed on main\n")
	r.commit("main moves on")
	r.git("checkout", "-q", "feature")

	r.write("stacks/a/Pulumi.yaml", "name: a # unstaged\n")
	r.write("staged.go", "package main\n")
	r.git("add", "staged.go")
	r.write("stacks/a/untracked file.go", "package a\n")
	r.write("bin/ignored", "binary\n")

	uncommitted := []string{"stacks/a/Pulumi.yaml", "stacks/a/untracked file.go", "staged.go"}
	for _, tt := range []struct {
		base string
		want []string
	}{
		{"main", []string{"components/queue/queue.go", "new.go", "old.go", "stacks/a/Pulumi.yaml",
			"stacks/a/handlers/reg/main.go", "stacks/a/untracked file.go", "staged.go"}},
		{"", uncommitted},
		{"HEAD", uncommitted},
	} {
		got, err := affected.Changed(r.dir, tt.base)
		if err != nil {
			t.Fatalf("Changed(%q): %v", tt.base, err)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Changed(%q) =\n%q\nwant\n%q", tt.base, got, tt.want)
		}
	}
}

func TestChangedSubdirectory(t *testing.T) {
	r := newGitRepo(t)
	r.write("module/go.mod", "module m\n")
	r.write("other/x.go", "package other\n")
	r.commit("base")
	r.write("module/go.mod", "module m\n\ngo 1.26\n")
	r.write("other/x.go", "package other // changed\n")
	r.write("other/y.go", "package other\n")

	got, err := affected.Changed(filepath.Join(r.dir, "module"), "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"go.mod"}; !slices.Equal(got, want) {
		t.Errorf("Changed(module) = %q, want %q", got, want)
	}
}

func TestChangedErrors(t *testing.T) {
	r := newGitRepo(t)
	r.write("main.go", "package main\n")
	r.commit("base")
	for _, base := range []string{"no-such-branch", "--output=x"} {
		if _, err := affected.Changed(r.dir, base); err == nil {
			t.Errorf("Changed(%q): no error", base)
		}
	}
	if _, err := affected.Changed(t.TempDir(), "main"); err == nil {
		t.Error("Changed(not a repository): no error")
	}
}
