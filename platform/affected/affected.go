// Package affected tells which Pulumi projects a change to the repository affects, so that CI
// plans, previews and deploys only those.
//
// A project is affected by a changed file when:
//
//   - the file belongs to a module-local Go package that the project's deployment builds: a
//     transitive import of its main package (the root main.go for the root project,
//     stacks/<context>/cmd for a context), or of one of its handlers under
//     stacks/<context>/handlers/. Handlers are not imported by the program (the function
//     component builds them at deploy time), so they and what they import count only for the
//     project that owns them;
//   - the file is one of the project's own: its Pulumi.yaml or Pulumi.<stack>.yaml, any file
//     under its program's directory (stacks/<context>/ for a context, stacks/<name>/ for the
//     root project, whose directory is the whole repository), or a Go file of its main
//     package's directory;
//   - the file is go.mod or go.sum: a dependency change can change every build.
//
// Some files never affect a project, whatever their place: tests (*_test.go), documentation
// (*.md), anything under a testdata directory (golden plans record what deploys, they do not
// change it), .github/ and Makefiles. A deleted file counts like a modified one: a deleted Go
// file belongs to the package of its directory.
//
// Changed lists the changed files with git; Affected maps them to projects, asking the go
// command once for the import graph of every project.
package affected

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"
)

// Project is one Pulumi project, as the registry in stacks describes it.
type Project struct {
	// Name is the project name in its Pulumi.yaml.
	Name string
	// Dir is the directory holding its Pulumi.yaml, relative to the repository root and
	// slash-separated: "." for the root project, "stacks/<context>" for a context.
	Dir string
}

// Affected returns the names of the projects that the changed files affect, in the order of
// projects. Changed paths are relative to repoRoot, which must be the root of the Go module.
// It runs `go list` in repoRoot unless no changed file can affect a project, or go.mod or
// go.sum changed (then every project is affected).
func Affected(repoRoot string, projects []Project, changed []string) ([]string, error) {
	if err := validate(projects); err != nil {
		return nil, err
	}
	files, err := relevant(changed)
	if err != nil {
		return nil, err
	}
	var g graph
	if needsGraph(files) {
		if g, err = load(repoRoot, projects); err != nil {
			return nil, err
		}
	}
	return match(projects, g, files), nil
}

// layout is where a project's parts live, following the repository layout (docs/design.md
// section 2).
type layout struct {
	// dir holds the project's Pulumi.yaml and stack files.
	dir string
	// program is the directory of the package holding the project's Program.
	program string
	// main is the directory of the main package Pulumi builds.
	main string
	// handlers holds the project's Lambda handlers, one main package each.
	handlers string
}

// layoutOf returns where the parts of p live. The root project's directory is the whole
// repository, so its program has a directory of its own under stacks/, named after it.
func layoutOf(p Project) layout {
	if p.Dir == "." {
		program := "stacks/" + p.Name
		return layout{dir: ".", program: program, main: ".", handlers: program + "/handlers"}
	}
	return layout{dir: p.Dir, program: p.Dir, main: p.Dir + "/cmd", handlers: p.Dir + "/handlers"}
}

// validate reports every project with an empty or duplicate name, or a directory that is not
// a clean slash-separated path inside the repository.
func validate(projects []Project) error {
	var errs []error
	names := make(map[string]bool, len(projects))
	dirs := make(map[string]bool, len(projects))
	for _, p := range projects {
		switch {
		case p.Name == "":
			errs = append(errs, fmt.Errorf("project in %q: empty name", p.Dir))
		case names[p.Name]:
			errs = append(errs, fmt.Errorf("project %q: duplicate name", p.Name))
		}
		names[p.Name] = true
		switch dir, err := clean(p.Dir); {
		case err != nil:
			errs = append(errs, fmt.Errorf("project %q: dir: %w", p.Name, err))
		case dir != p.Dir:
			errs = append(errs, fmt.Errorf("project %q: dir %q: want %q", p.Name, p.Dir, dir))
		case dirs[p.Dir]:
			errs = append(errs, fmt.Errorf("project %q: dir %q: used by another project", p.Name, p.Dir))
		}
		dirs[p.Dir] = true
	}
	return errors.Join(errs...)
}

// clean returns p as a clean slash-separated path, or an error when p is empty, absolute or
// outside the repository.
func clean(p string) (string, error) {
	if p == "" {
		return "", errors.New("empty path")
	}
	s := filepath.ToSlash(p)
	if filepath.IsAbs(p) || path.IsAbs(s) {
		return "", fmt.Errorf("%q: want a path relative to the repository root", p)
	}
	s = path.Clean(s)
	if s == ".." || strings.HasPrefix(s, "../") {
		return "", fmt.Errorf("%q: outside the repository", p)
	}
	return s, nil
}
