package affected

import (
	"fmt"
	"path"
	"strings"
)

// graph is what the go command reports about the module, reduced to what matching needs.
// Its zero value knows no package and no import.
type graph struct {
	// packages maps the import path of every module-local package some project builds to
	// where its files are.
	packages map[string]pkg
	// deps maps a project name to the import paths of the module-local packages its
	// deployment builds: its main package, its handlers and everything they import.
	deps map[string][]string
}

// pkg is where one package's files are, relative to the repository root.
type pkg struct {
	// dir is the package directory; every non-test Go file directly in it belongs to the
	// package, including files excluded by build constraints and files since deleted.
	dir string
	// files are its inputs that are not Go files, such as embedded files.
	files []string
}

// relevant returns the changed files, cleaned and without duplicates, that may affect a
// project: it drops tests, documentation, testdata, .github/ and Makefiles.
func relevant(changed []string) ([]string, error) {
	seen := make(map[string]bool, len(changed))
	var files []string
	for _, c := range changed {
		f, err := clean(c)
		if err != nil {
			return nil, fmt.Errorf("changed file: %w", err)
		}
		if f == "." || seen[f] || ignored(f) {
			continue
		}
		seen[f] = true
		files = append(files, f)
	}
	return files, nil
}

// ignored reports whether f can never change what a project deploys.
func ignored(f string) bool {
	base := path.Base(f)
	switch {
	case strings.HasSuffix(base, "_test.go"),
		strings.EqualFold(path.Ext(base), ".md"),
		base == "Makefile",
		f == ".github" || strings.HasPrefix(f, ".github/"):
		return true
	}
	for _, part := range strings.Split(path.Dir(f), "/") {
		if part == "testdata" {
			return true
		}
	}
	return false
}

// moduleChanged reports whether files include the module's go.mod or go.sum.
func moduleChanged(files []string) bool {
	for _, f := range files {
		if f == "go.mod" || f == "go.sum" {
			return true
		}
	}
	return false
}

// needsGraph reports whether matching files needs the import graph: when go.mod or go.sum
// changed every project is affected, and when nothing relevant changed none is.
func needsGraph(files []string) bool {
	return len(files) > 0 && !moduleChanged(files)
}

// match returns the names of the projects that files affect, in the order of projects.
// Files must come from relevant.
func match(projects []Project, g graph, files []string) []string {
	all := moduleChanged(files)
	hit := changedPackages(g.packages, files)
	var names []string
	for _, p := range projects {
		if all || ownsAny(layoutOf(p), files) || importsAny(g.deps[p.Name], hit) {
			names = append(names, p.Name)
		}
	}
	return names
}

// changedPackages returns the import paths of the packages that files belong to.
func changedPackages(packages map[string]pkg, files []string) map[string]bool {
	byDir := make(map[string][]string, len(packages))
	byFile := make(map[string][]string)
	for ip, p := range packages {
		byDir[p.dir] = append(byDir[p.dir], ip)
		for _, f := range p.files {
			byFile[f] = append(byFile[f], ip)
		}
	}
	hit := make(map[string]bool)
	for _, f := range files {
		for _, ip := range byFile[f] {
			hit[ip] = true
		}
		if path.Ext(f) == ".go" {
			for _, ip := range byDir[path.Dir(f)] {
				hit[ip] = true
			}
		}
	}
	return hit
}

// importsAny reports whether any of deps is in hit.
func importsAny(deps []string, hit map[string]bool) bool {
	for _, d := range deps {
		if hit[d] {
			return true
		}
	}
	return false
}

// ownsAny reports whether any of files is one of the project's own.
func ownsAny(l layout, files []string) bool {
	for _, f := range files {
		if owns(l, f) {
			return true
		}
	}
	return false
}

// owns reports whether f is one of the project's own files: anything under its program's
// directory, its Pulumi.yaml and stack files, and the Go files of its main package.
func owns(l layout, f string) bool {
	dir, base := path.Split(f)
	dir = strings.TrimSuffix(dir, "/")
	if dir == "" {
		dir = "."
	}
	switch {
	case under(f, l.program):
		return true
	case dir == l.dir && isPulumiFile(base):
		return true
	case dir == l.main && path.Ext(base) == ".go":
		return true
	}
	return false
}

// isPulumiFile reports whether base names a project file (Pulumi.yaml) or a stack settings
// file (Pulumi.<stack>.yaml).
func isPulumiFile(base string) bool {
	ext := path.Ext(base)
	return strings.HasPrefix(base, "Pulumi.") && (ext == ".yaml" || ext == ".yml")
}

// under reports whether f is dir or inside it.
func under(f, dir string) bool {
	return dir == "." || f == dir || strings.HasPrefix(f, dir+"/")
}
