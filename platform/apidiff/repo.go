package apidiff

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/apispec"
)

// Repo compares every spec of the working tree of the repository at root with the same file
// where this branch left base: at the merge base of base and HEAD, so that what was merged
// into base since does not count as removed here (as `git diff base...HEAD`). The working
// tree, not HEAD, is compared, so that a developer can check before committing. A spec only
// the base has is reported Removed, one only the working tree has New.
func Repo(root, base string) ([]Result, error) {
	if base == "" || strings.HasPrefix(base, "-") {
		return nil, fmt.Errorf("base %q: want a git revision", base)
	}
	mergeBase, err := git(root, "merge-base", base, "HEAD")
	if err != nil {
		return nil, err
	}
	rev := strings.TrimSpace(mergeBase)
	listed, err := git(root, "ls-tree", "-r", "--name-only", "-z", rev, "--", "stacks")
	if err != nil {
		return nil, err
	}
	var baseSpecs []string
	for _, f := range strings.Split(listed, "\x00") {
		if _, ok := apispec.Parse(f); ok {
			baseSpecs = append(baseSpecs, f)
		}
	}
	files, err := apispec.Find(root)
	if err != nil {
		return nil, err
	}
	var current []string
	for _, f := range files {
		current = append(current, f.Path)
	}
	var results []Result
	for _, rel := range current {
		if !slices.Contains(baseSpecs, rel) {
			results = append(results, Result{Path: rel, Status: New})
			continue
		}
		old, err := git(root, "show", rev+":"+rel)
		if err != nil {
			return nil, err
		}
		now, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			return nil, fmt.Errorf("api specs: %w", err)
		}
		changes, err := Compare(rel, []byte(old), now)
		if err != nil {
			return nil, err
		}
		results = append(results, Result{Path: rel, Status: Compared, Changes: changes})
	}
	for _, rel := range baseSpecs {
		if !slices.Contains(current, rel) {
			results = append(results, Result{Path: rel, Status: Removed})
		}
	}
	slices.SortFunc(results, func(a, b Result) int { return strings.Compare(a.Path, b.Path) })
	return results, nil
}

// git runs git in dir and returns its standard output.
func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}
