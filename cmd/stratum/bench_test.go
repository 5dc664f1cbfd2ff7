package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stratum-platform/stratum/components/function"
)

// BenchmarkPlanDev is what a user waits for in `stratum plan --env dev`: every project of the
// repository planned in one process, handlers included, with policy findings and the text
// rendered. Go's own build cache stays warm throughout; the cases differ in Stratum's cache of
// deployment packages:
//
//   - cold: an empty cache, so every handler is built, as many at a time as there are CPUs;
//   - cold-one-at-a-time: the same, one build at a time, as every plan was before the cache;
//   - warm: every handler cached, as on a second plan of an unchanged tree;
//   - one-handler-changed: one handler edited since the last plan, so it alone is built;
//   - one-handler-build: that handler's build alone, what the previous case pays above warm.
//
// Each iteration uses a new Builder, as a new process does. Run it with `make bench`.
func BenchmarkPlanDev(b *testing.B) {
	root, err := repoRoot()
	if err != nil {
		b.Fatal(err)
	}
	for _, cold := range []struct {
		name     string
		parallel int
	}{{"cold", 0}, {"cold-one-at-a-time", 1}} {
		b.Run(cold.name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				cache, err := os.MkdirTemp(b.TempDir(), "cache-")
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				planDev(b, root, function.BuilderOptions{Dir: cache, Parallel: cold.parallel})
			}
		})
	}
	b.Run("warm", func(b *testing.B) {
		cache := function.BuilderOptions{Dir: b.TempDir()}
		planDev(b, root, cache)
		for b.Loop() {
			planDev(b, root, cache)
		}
	})
	// The repository is copied so that the edits stay out of the working tree.
	copied := copyTree(b, root)
	handler := filepath.Join(copied, "stacks", "accounts", "handlers", "register")
	edits := 0
	edit := func() {
		b.StopTimer()
		defer b.StartTimer()
		edits++
		f, err := os.OpenFile(filepath.Join(handler, "main.go"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		if _, err := fmt.Fprintf(f, "\nvar benchmarkEdit%d = %d\n", edits, edits); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("one-handler-changed", func(b *testing.B) {
		cache := function.BuilderOptions{Dir: b.TempDir()}
		planDev(b, copied, cache)
		for b.Loop() {
			edit()
			planDev(b, copied, cache)
		}
	})
	b.Run("one-handler-build", func(b *testing.B) {
		builder := function.NewBuilder(function.BuilderOptions{Dir: b.TempDir()})
		for b.Loop() {
			edit()
			if _, err := builder.Build(handler); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// planDev plans every project of the repository at root for dev with a new Builder.
func planDev(b *testing.B, root string, builder function.BuilderOptions) {
	b.Helper()
	pl := newPlanner(root, "dev", io.Discard)
	pl.builder = function.NewBuilder(builder)
	plans, err := pl.all(nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range plans {
		fmt.Fprintln(io.Discard, p.Text())
	}
	fmt.Fprint(io.Discard, summary(plans))
}

// copyTree copies the repository at root, but its git data, tools and local state, into a
// temporary directory.
func copyTree(b *testing.B, root string) string {
	b.Helper()
	dst := b.TempDir()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		switch {
		case rel == ".git" && !d.IsDir(): // a worktree's pointer to its repository
			return nil
		case d.IsDir() && (rel == ".git" || rel == "bin" || rel == ".stratum"):
			return filepath.SkipDir
		case d.IsDir():
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		case !d.Type().IsRegular():
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		b.Fatal(err)
	}
	return dst
}
