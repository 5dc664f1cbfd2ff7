package docs_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestGoSnippetsQuoteExamples keeps the Go code in the documentation compiling and true: a
// Go code block is tagged with the Example test it quotes,
//
//	```go example=platform/contract.Example
//
// (the package directory, a dot, the Example function), and its lines are that function's
// body, one tab of indentation removed and each further leading tab written as four spaces.
// `go test` compiles the Example (and runs it when it has an Output comment); this test fails
// when the two drift apart. In README.md, docs/design.md and docs/extending.md every Go block
// must be tagged.
func TestGoSnippetsQuoteExamples(t *testing.T) {
	quoting := []string{"README.md", "docs/design.md", "docs/extending.md"}
	quoted := 0
	for _, rel := range markdownFiles(t) {
		for _, b := range readDocument(t, rel).blocks {
			if len(b.info) == 0 || b.info[0] != "go" {
				continue
			}
			example := b.attribute("example")
			if example == "" {
				if slices.Contains(quoting, rel) {
					t.Errorf("%s:%d: a Go block must quote an Example test: open it with ```go example=<package dir>.<Example function>",
						rel, b.line)
				}
				continue
			}
			quoted++
			want, err := exampleBody(example)
			if err != nil {
				t.Errorf("%s:%d: %v", rel, b.line, err)
				continue
			}
			if b.body != want {
				t.Errorf("%s:%d: the block differs from %s; make them equal (the Example's body, as quoted):\n%s\n%s",
					rel, b.line, example, firstDifference(b.body, want), want)
			}
		}
	}
	if quoted < 2 {
		t.Errorf("only %d quoted Go blocks found: the check is not reading the README", quoted)
	}
}

// exampleBody returns the quoted form of the body of the Example function "dir.Name", dir
// relative to the repository root.
func exampleBody(example string) (string, error) {
	dot := strings.LastIndex(example, ".")
	if dot < 0 {
		return "", fmt.Errorf("example=%s: want <package dir>.<Example function>", example)
	}
	dir, name := example[:dot], example[dot+1:]
	if !strings.HasPrefix(name, "Example") {
		return "", fmt.Errorf("example=%s: %s is not an Example function, which go test compiles and runs", example, name)
	}
	files, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(dir), "*_test.go"))
	if err != nil {
		return "", err
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			return "", err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, file, src, parser.ParseComments)
		if err != nil {
			return "", err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Name.Name != name {
				continue
			}
			body := string(src[fset.Position(fn.Body.Lbrace).Offset+1 : fset.Position(fn.Body.Rbrace).Offset])
			return quote(body), nil
		}
	}
	return "", fmt.Errorf("example=%s: no function %s in the tests of %s", example, name, dir)
}

// quote turns gofmt'ed function body lines into the form a Markdown block holds.
func quote(body string) string {
	lines := strings.Split(strings.Trim(body, "\n"), "\n")
	for i, line := range lines {
		line = strings.TrimPrefix(line, "\t")
		rest := strings.TrimLeft(line, "\t")
		lines[i] = strings.Repeat("    ", len(line)-len(rest)) + rest
	}
	return strings.Join(lines, "\n")
}

// firstDifference names the first line where got and want differ.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d of the block:\n  block:   %q\n  example: %q", i+1, gl, wl)
		}
	}
	return ""
}
