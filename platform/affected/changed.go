package affected

import (
	"bytes"
	"fmt"
	"os/exec"
	"slices"
	"strings"
)

// Changed returns the files changed in the git repository at repoRoot, relative to repoRoot,
// sorted and without duplicates. They are the union of:
//
//   - the files committed on this branch since it left base: `git diff base...HEAD`, which
//     compares HEAD with the merge base of base and HEAD, so commits made on base since then
//     do not count. This is what CI compares against the target branch;
//   - uncommitted changes, staged or not: `git diff HEAD`;
//   - untracked files that are not ignored.
//
// In CI the working tree is clean and only the first set counts; locally the other two let a
// developer ask before committing. An empty base means uncommitted changes only. Renames count
// as a deletion and an addition, so the package that lost a file is affected too.
func Changed(repoRoot, base string) ([]string, error) {
	if strings.HasPrefix(base, "-") {
		return nil, fmt.Errorf("base %q: want a revision", base)
	}
	queries := [][]string{
		{"diff", "--name-only", "--no-renames", "--relative", "-z", "HEAD", "--"},
		{"ls-files", "--others", "--exclude-standard", "-z"},
	}
	if base != "" {
		committed := []string{"diff", "--name-only", "--no-renames", "--relative", "-z", base + "...HEAD", "--"}
		queries = append([][]string{committed}, queries...)
	}
	var files []string
	for _, q := range queries {
		out, err := git(repoRoot, q...)
		if err != nil {
			return nil, err
		}
		for _, f := range strings.Split(out, "\x00") {
			if f != "" {
				files = append(files, f)
			}
		}
	}
	slices.Sort(files)
	return slices.Compact(files), nil
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
