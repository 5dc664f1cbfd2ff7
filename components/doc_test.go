// Package components_test holds the checks that apply to every component package.
package components_test

import (
	"go/ast"
	"go/parser"
	"go/token"

	"path/filepath"
	"strings"
	"testing"
)

// TestArgsFieldsDocumentDefaults fails when an exported field of an exported struct type
// whose name ends in Args, Overrides or Scope has no doc comment ending in "Default: ..." or
// "Required.": a reviewer must be able to read every default off the code.
func TestArgsFieldsDocumentDefaults(t *testing.T) {
	files, err := filepath.Glob("*/*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok || !ts.Name.IsExported() || !isArgsType(ts.Name.Name) {
				return true
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				return true
			}
			for _, field := range st.Fields.List {
				for _, name := range field.Names {
					if !name.IsExported() {
						continue
					}
					checked++
					doc := strings.TrimSpace(field.Doc.Text())
					last := doc[strings.LastIndex(doc, "\n")+1:]
					if !strings.HasPrefix(last, "Default:") && !strings.HasSuffix(doc, "Required.") &&
						!strings.Contains(last, " Default: ") {
						t.Errorf("%s: %s.%s: doc comment must end with `Default: <behaviour>.` or `Required.`",
							path, ts.Name.Name, name.Name)
					}
				}
			}
			return true
		})
	}
	if checked == 0 {
		t.Fatal("no Args fields found: the check is not looking at the components")
	}
}

func isArgsType(name string) bool {
	for _, suffix := range []string{"Args", "Overrides", "Scope"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return false
}
