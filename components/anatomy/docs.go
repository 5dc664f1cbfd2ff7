package anatomy

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
)

// CheckDocs lists every exported field of an Args type of the package in dir (a struct
// whose name ends in Args, Overrides or Scope), or of a struct type an Args type uses (such
// as httpapi.Route or table.Index), whose doc comment's last sentence does not start with
// "Default:" and that does not end with "Required.": a reviewer must be able to read every
// default off the code. It also returns how many fields it checked.
func CheckDocs(dir string) (problems []string, checked int, err error) {
	structs, err := packageStructs(dir)
	if err != nil {
		return nil, 0, err
	}
	for _, name := range reachable(structs) {
		for _, field := range structs[name].fields.List {
			for _, id := range field.Names {
				if !id.IsExported() {
					continue
				}
				checked++
				doc := strings.TrimSpace(field.Doc.Text())
				sentences := strings.Split(strings.ReplaceAll(doc, "\n", " "), ". ")
				last := strings.TrimSpace(sentences[len(sentences)-1])
				if !strings.HasPrefix(last, "Default:") && !strings.HasSuffix(doc, "Required.") {
					problems = append(problems, fmt.Sprintf("%s: %s.%s: the doc comment's last sentence must be `Default: <behaviour>.` or `Required.`",
						structs[name].file, name, id.Name))
				}
			}
		}
	}
	slices.Sort(problems)
	return problems, checked, nil
}

type structType struct {
	file   string
	fields *ast.FieldList
}

// packageStructs returns the exported struct types declared in the non-test files of dir.
func packageStructs(dir string) (map[string]structType, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, fmt.Errorf("anatomy: %w", err)
	}
	out := map[string]structType{}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("anatomy: %w", err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if ts, ok := n.(*ast.TypeSpec); ok && ts.Name.IsExported() {
				if st, ok := ts.Type.(*ast.StructType); ok {
					out[ts.Name.Name] = structType{file: path, fields: st.Fields}
				}
			}
			return true
		})
	}
	return out, nil
}

// reachable returns the Args types of a package and the package's struct types their fields
// use, directly or through pointers and slices.
func reachable(structs map[string]structType) []string {
	seen := map[string]bool{}
	var visit func(name string)
	visit = func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		for _, field := range structs[name].fields.List {
			ast.Inspect(field.Type, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok {
					if _, local := structs[id.Name]; local {
						visit(id.Name)
					}
				}
				return true
			})
		}
	}
	for name := range structs {
		for _, suffix := range []string{"Args", "Overrides", "Scope"} {
			if strings.HasSuffix(name, suffix) {
				visit(name)
			}
		}
	}
	var out []string
	for name := range seen {
		out = append(out, name)
	}
	return out
}
