package function

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"
)

// keyVersion names what the cache key covers and how it is written; a change to either changes
// it, so no entry keyed the old way is ever read.
const keyVersion = "stratum lambda package key v1"

// toolchain is what the `go` command that builds says about itself in one module.
type toolchain struct {
	// version, experiment and flags change the binary: they are part of the key. The flags
	// are GOFLAGS from the go env file, which an empty GOFLAGS in the environment does not
	// override.
	version, experiment, flags string
	// cacheable is false when GOFLAGS names another go.mod or an overlay, or a Go workspace
	// is in use: they bring in files that the key does not cover.
	cacheable bool
}

// key returns the cache key of the main package in dir: a SHA-256 over everything that
// changes its binary. That is the toolchain, the build flags and environment, go.mod and
// go.sum (which pin every other module), and every file, but tests, of every package of the
// module that the main package imports, directly or not (the standard library comes with the
// toolchain). Every file of a package directory counts, whatever its build constraints, and
// a package that embeds files counts every file below it: including too much only costs a
// rebuild. The key is "" when the build must not be cached: no module, a replace by a local
// directory or a vendor directory (code outside the key), or a source the key cannot read,
// which the build then reports.
func (b *Builder) key(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	root := moduleRoot(abs)
	if root == "" {
		return "", nil
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", nil
	}
	mod, err := modfile.Parse("go.mod", gomod, nil)
	if err != nil || mod.Module == nil {
		return "", nil
	}
	for _, r := range mod.Replace {
		if modfile.IsDirectoryPath(r.New.Path) {
			return "", nil
		}
	}
	if info, err := os.Stat(filepath.Join(root, "vendor")); err == nil && info.IsDir() {
		return "", nil
	}
	gosum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	tc, err := b.toolchain(root)
	if err != nil || !tc.cacheable {
		return "", err
	}
	files, ok := closure(root, mod.Module.Mod.Path, abs)
	if !ok {
		return "", nil
	}

	h := sha256.New()
	main, _ := filepath.Rel(root, abs)
	fmt.Fprintf(h, "%s\ngo %q\nexperiment %q\nGOFLAGS %q\nflags %q\nenv %q\nmain %q\n",
		keyVersion, tc.version, tc.experiment, tc.flags, buildFlags(), buildEnv(), filepath.ToSlash(main))
	fmt.Fprintf(h, "go.mod %x\ngo.sum %x\n", sha256.Sum256(gomod), sha256.Sum256(gosum))
	for _, rel := range slices.Sorted(maps.Keys(files)) {
		fmt.Fprintf(h, "file %q %x\n", rel, files[rel])
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// moduleRoot is the directory of the go.mod nearest above dir, or "" when there is none.
func moduleRoot(dir string) string {
	for {
		if info, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil && info.Mode().IsRegular() {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// toolchain asks the `go` command, in the build's environment, what it builds with in the
// module at root; once per module and Builder, since it takes a process.
func (b *Builder) toolchain(root string) (toolchain, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if tc, ok := b.toolchains[root]; ok {
		return tc, nil
	}
	cmd := exec.Command("go", "env", "GOVERSION", "GOEXPERIMENT", "GOFLAGS", "GOWORK")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), buildEnv()...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return toolchain{}, fmt.Errorf("go env: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 4 || lines[0] == "" {
		return toolchain{}, fmt.Errorf("go env: want GOVERSION, GOEXPERIMENT, GOFLAGS and GOWORK, got %q", out)
	}
	tc := toolchain{version: lines[0], experiment: lines[1], flags: lines[2],
		cacheable: !strings.Contains(lines[2], "-modfile") && !strings.Contains(lines[2], "-overlay") &&
			(lines[3] == "" || lines[3] == "off")}
	b.toolchains[root] = tc
	return tc, nil
}

// closure returns the SHA-256 of every file of the packages of the module at root (whose path
// is modPath) that the package in start imports, and of start's own, by slash path relative
// to root. It reads imports with go/parser rather than `go list`, which takes seconds. ok is
// false when a package cannot be read as plain Go in this module.
func closure(root, modPath, start string) (files map[string][sha256.Size]byte, ok bool) {
	files = map[string][sha256.Size]byte{}
	fset := token.NewFileSet()
	seen := map[string]bool{start: true}
	queue := []string{start}
	for len(queue) > 0 {
		dir := queue[0]
		queue = queue[1:]
		imports, ok := packageFiles(fset, root, dir, files)
		if !ok {
			return nil, false
		}
		for _, path := range imports {
			var rel string
			switch {
			case path == modPath:
				rel = "."
			case strings.HasPrefix(path, modPath+"/"):
				rel = strings.TrimPrefix(path, modPath+"/")
			default:
				continue // pinned by go.sum, or the standard library
			}
			if next := filepath.Join(root, filepath.FromSlash(rel)); !seen[next] {
				seen[next] = true
				queue = append(queue, next)
			}
		}
	}
	return files, true
}

// packageFiles adds the hash of every file of the package in dir but its tests to files, and
// returns the package's imports.
func packageFiles(fset *token.FileSet, root, dir string, files map[string][sha256.Size]byte) (imports []string, ok bool) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, false
	}
	embeds := false
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasSuffix(name, "_test.go") {
			continue
		}
		if name == "go.mod" && dir != root {
			return nil, false // another module: go.sum does not pin it, and the key would miss it
		}
		path := filepath.Join(dir, name)
		if !e.Type().IsRegular() {
			if info, err := os.Stat(path); err != nil || !info.Mode().IsRegular() {
				continue
			}
		}
		data, ok := addFile(root, path, files)
		if !ok {
			return nil, false
		}
		if !strings.HasSuffix(name, ".go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, data, parser.ImportsOnly)
		if err != nil {
			return nil, false
		}
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return nil, false
			}
			imports = append(imports, p)
		}
		embeds = embeds || bytes.Contains(data, []byte("//go:embed"))
	}
	if embeds {
		// A //go:embed pattern may name any file below the package directory.
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				if _, ok := addFile(root, path, files); !ok {
					return fmt.Errorf("reading %s", path)
				}
			}
			return nil
		})
		if err != nil {
			return nil, false
		}
	}
	return imports, true
}

// addFile adds the hash of the file at path, named relative to root, to files, and returns
// its content.
func addFile(root, path string, files map[string][sha256.Size]byte) ([]byte, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return nil, false
	}
	files[filepath.ToSlash(rel)] = sha256.Sum256(data)
	return data, true
}
