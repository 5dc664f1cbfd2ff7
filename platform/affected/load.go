package affected

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

// listed is the part of a `go list -json` package that load reads.
type listed struct {
	ImportPath string
	Dir        string
	DepOnly    bool
	Deps       []string
	Module     *struct {
		Main bool
		Dir  string
	}
	EmbedFiles, CFiles, CXXFiles, HFiles, SFiles, SysoFiles []string
}

// listFields are the fields load asks the go command for; the others cost time and output.
const listFields = "ImportPath,Dir,DepOnly,Deps,Module,EmbedFiles,CFiles,CXXFiles,HFiles,SFiles,SysoFiles"

// load asks the go command, once for every project, which module-local packages each
// project's main package and handlers build. It uses the environment of the caller: an
// import made only by a file that the host's build constraints exclude is not seen.
func load(repoRoot string, projects []Project) (graph, error) {
	var patterns []string
	for _, p := range projects {
		l := layoutOf(p)
		patterns = append(patterns, pattern(l.main))
		info, err := os.Stat(filepath.Join(repoRoot, filepath.FromSlash(l.handlers)))
		switch {
		case err == nil && info.IsDir():
			patterns = append(patterns, pattern(l.handlers)+"/...")
		case err != nil && !errors.Is(err, os.ErrNotExist):
			return graph{}, fmt.Errorf("project %q: handlers: %w", p.Name, err)
		}
	}
	args := append([]string{"list", "-deps", "-test=false", "-json=" + listFields}, patterns...)
	cmd := exec.Command("go", args...)
	cmd.Dir = repoRoot
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return graph{}, fmt.Errorf("go list: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	g, err := decode(&stdout, projects)
	if err != nil {
		return graph{}, fmt.Errorf("go list: %w", err)
	}
	return g, nil
}

// pattern names the package in dir, relative to the repository root, for the go command.
func pattern(dir string) string {
	if dir == "." {
		return "."
	}
	return "./" + dir
}

// decode builds the graph from the output of `go list -deps -json`: the packages named by a
// pattern are the roots, and each root counts for the project whose main package or
// handlers it is.
func decode(r io.Reader, projects []Project) (graph, error) {
	g := graph{packages: make(map[string]pkg), deps: make(map[string][]string)}
	roots := make(map[string][]string) // project name -> import paths, own and dependencies
	dec := json.NewDecoder(r)
	for {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return graph{}, fmt.Errorf("decode: %w", err)
		}
		if p.Module == nil || !p.Module.Main {
			continue
		}
		rel, err := filepath.Rel(p.Module.Dir, p.Dir)
		if err != nil {
			return graph{}, fmt.Errorf("package %s: %w", p.ImportPath, err)
		}
		dir := filepath.ToSlash(rel)
		g.packages[p.ImportPath] = pkg{dir: dir, files: inputs(dir, p)}
		if p.DepOnly {
			continue
		}
		if owner, ok := ownerOf(projects, dir); ok {
			roots[owner] = append(append(roots[owner], p.ImportPath), p.Deps...)
		}
	}
	// Dependencies are filtered once every package is known: Deps also name the standard
	// library and other modules.
	for name, paths := range roots {
		seen := make(map[string]bool, len(paths))
		for _, ip := range paths {
			if _, local := g.packages[ip]; local && !seen[ip] {
				seen[ip] = true
				g.deps[name] = append(g.deps[name], ip)
			}
		}
	}
	return g, nil
}

// inputs returns the files of p that are not Go files, relative to the repository root.
func inputs(dir string, p listed) []string {
	var files []string
	for _, list := range [][]string{p.EmbedFiles, p.CFiles, p.CXXFiles, p.HFiles, p.SFiles, p.SysoFiles} {
		for _, f := range list {
			files = append(files, path.Join(dir, filepath.ToSlash(f)))
		}
	}
	return files
}

// ownerOf returns the project whose main package or handlers live in dir.
func ownerOf(projects []Project, dir string) (string, bool) {
	for _, p := range projects {
		l := layoutOf(p)
		if dir == l.main || strings.HasPrefix(dir, l.handlers+"/") {
			return p.Name, true
		}
	}
	return "", false
}
