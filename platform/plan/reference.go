package plan

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// GoldenReferences answers stack references offline from the golden plans under root: a
// reference to "<org>/<project>/<env>" resolves to the outputs of the file
// testdata/<env>.plan.json whose project is <project>. Golden plans are each project's own
// offline plan, kept current by its tests, so the ARNs in a consumer's plan are the
// producer's.
func GoldenReferences(root string) func(stack string) (map[string]any, error) {
	return func(stack string) (map[string]any, error) {
		parts := strings.Split(stack, "/")
		if len(parts) < 2 {
			return nil, fmt.Errorf("stack reference %q: want <org>/<project>/<env>", stack)
		}
		project, env := parts[len(parts)-2], parts[len(parts)-1]
		var found *Plan
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == ".git" || d.Name() == "bin" || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			if d.Name() != env+".plan.json" || filepath.Base(filepath.Dir(path)) != "testdata" {
				return nil
			}
			p, err := ReadGolden(path)
			if err != nil {
				return err
			}
			if p.Project == project && p.Stack == env {
				found = p
				return fs.SkipAll
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("stack reference %q: %w", stack, err)
		}
		if found == nil {
			return nil, fmt.Errorf("stack reference %q: no offline plan of project %s for %s (testdata/%s.plan.json); run `make golden`",
				stack, project, env, env)
		}
		return found.Outputs, nil
	}
}

// ModuleRoot returns the nearest directory at or above dir that holds go.mod.
func ModuleRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("no go.mod at or above " + abs)
		}
	}
}
