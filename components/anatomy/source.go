package anatomy

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Import paths the anatomy refers to.
const (
	module       = "github.com/stratum-platform/stratum"
	pulumiPath   = "github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumiAWS    = "github.com/pulumi/pulumi-aws/"
	iamPath      = module + "/platform/iam"
	overridePath = module + "/components/override"
	internalPath = module + "/components/internal/"
	// TokensPath is platform/tokens, where the components' type tokens are.
	TokensPath = module + "/platform/tokens"
)

// source is one parsed file and the import path of each name it imports.
type source struct {
	name    string
	file    *ast.File
	imports map[string]string
}

// pkg is the non-test source of one package, indexed.
type pkg struct {
	fset    *token.FileSet
	files   []source
	consts  map[string]ast.Expr
	types   map[string]*ast.TypeSpec
	funcs   map[string]*ast.FuncDecl            // package functions
	methods map[string]map[string]*ast.FuncDecl // receiver type -> method name -> method
	fileOf  map[ast.Node]source                 // declaration -> its file
}

func parsePackage(dir string) (*pkg, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, fmt.Errorf("anatomy: %w", err)
	}
	p := &pkg{fset: token.NewFileSet(), consts: map[string]ast.Expr{}, types: map[string]*ast.TypeSpec{},
		funcs: map[string]*ast.FuncDecl{}, methods: map[string]map[string]*ast.FuncDecl{}, fileOf: map[ast.Node]source{}}
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(p.fset, path, nil, 0)
		if err != nil {
			return nil, fmt.Errorf("anatomy: %w", err)
		}
		src := source{name: filepath.Base(path), file: f, imports: map[string]string{}}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			name := filepath.Base(path)
			if imp.Name != nil {
				name = imp.Name.Name
			}
			src.imports[name] = path
		}
		p.files = append(p.files, src)
		for _, decl := range f.Decls {
			p.index(decl, src)
		}
	}
	if len(p.files) == 0 {
		return nil, fmt.Errorf("anatomy: %s has no Go files", dir)
	}
	return p, nil
}

func (p *pkg) index(decl ast.Decl, src source) {
	switch d := decl.(type) {
	case *ast.FuncDecl:
		p.fileOf[d] = src
		if d.Recv == nil {
			p.funcs[d.Name.Name] = d
			return
		}
		recv := typeName(d.Recv.List[0].Type)
		if p.methods[recv] == nil {
			p.methods[recv] = map[string]*ast.FuncDecl{}
		}
		p.methods[recv][d.Name.Name] = d
	case *ast.GenDecl:
		for _, spec := range d.Specs {
			switch s := spec.(type) {
			case *ast.ValueSpec:
				if d.Tok == token.CONST {
					for i, id := range s.Names {
						if i < len(s.Values) {
							p.consts[id.Name] = s.Values[i]
							p.fileOf[s.Values[i]] = src
						}
					}
				}
			case *ast.TypeSpec:
				p.types[s.Name.Name] = s
				p.fileOf[s] = src
			}
		}
	}
}

// typeName is the name of a receiver or pointed-to type: "Queue" for *Queue.
func typeName(e ast.Expr) string {
	if star, ok := e.(*ast.StarExpr); ok {
		e = star.X
	}
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// selector returns the import path and name of a qualified identifier such as iam.Statements.
func selector(src source, e ast.Expr) (string, string) {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return "", ""
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok {
		return "", ""
	}
	return src.imports[id.Name], sel.Sel.Name
}

// is reports whether e is the qualified identifier path.name, seen from src.
func is(src source, e ast.Expr, path, name string) bool {
	p, n := selector(src, e)
	return p == path && n == name
}

// star reports whether e is *<ident name>.
func star(e ast.Expr, name string) bool {
	s, ok := e.(*ast.StarExpr)
	return ok && typeName(s) == name
}

// params flattens a field list: one entry per parameter (or result).
func params(fl *ast.FieldList) []ast.Expr {
	if fl == nil {
		return nil
	}
	var out []ast.Expr
	for _, f := range fl.List {
		for range max(1, len(f.Names)) {
			out = append(out, f.Type)
		}
	}
	return out
}

// firstCall returns the position of the first call in body of a function or method named
// one of names, or token.NoPos.
func firstCall(body ast.Node, names ...string) token.Pos {
	pos := token.NoPos
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || pos != token.NoPos {
			return pos == token.NoPos
		}
		name := ""
		switch fn := call.Fun.(type) {
		case *ast.SelectorExpr:
			name = fn.Sel.Name
		case *ast.Ident:
			name = fn.Name
		}
		if slices.Contains(names, name) {
			pos = call.Pos()
		}
		return true
	})
	return pos
}

// callsJoin reports whether body calls errors.Join.
func callsJoin(src source, body ast.Node) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && is(src, call.Fun, "errors", "Join") {
			found = true
		}
		return !found
	})
	return found
}

// hookUse is one use of a field of an Overrides value: the hook's name, whether the use is
// inside a call to components/override (override.Apply) or components/internal (a builder
// that applies it), and where it is.
type hookUse struct {
	field    string
	internal bool
	at       string
}

// hookUses lists every use of a hook in the package: any selector <x>.Overrides.<hook>.
func (p *pkg) hookUses() []hookUse {
	var uses []hookUse
	for _, src := range p.files {
		var stack []ast.Node
		ast.Inspect(src.file, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			stack = append(stack, n)
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			inner, ok := sel.X.(*ast.SelectorExpr)
			if !ok || inner.Sel.Name != "Overrides" {
				return true
			}
			applies := func(e ast.Expr) bool {
				call, ok := e.(*ast.CallExpr)
				if !ok {
					return false
				}
				path, _ := selector(src, call.Fun)
				return path == overridePath || strings.HasPrefix(path, internalPath)
			}
			internal := false
			for i, anc := range stack {
				switch a := anc.(type) {
				case *ast.CallExpr:
					internal = internal || applies(a)
				case *ast.AssignStmt:
					// A wrapper chains a hook of the component it wraps in place:
					// x.Overrides.H = override.Chain(x.Overrides.H, own).
					if i+1 < len(stack) && stack[i+1] == ast.Node(sel) {
						if j := slices.Index(a.Lhs, ast.Expr(sel)); j >= 0 && j < len(a.Rhs) {
							internal = internal || applies(a.Rhs[j])
						}
					}
				}
			}
			uses = append(uses, hookUse{field: sel.Sel.Name, internal: internal,
				at: fmt.Sprintf("%s:%d", src.name, p.fset.Position(sel.Pos()).Line)})
			return true
		})
	}
	return uses
}

// isChild reports whether a field type holds child resources: pointers to pulumi-aws
// resources or to other components, directly or in a slice or array.
func isChild(src source, e ast.Expr) bool {
	for {
		switch x := e.(type) {
		case *ast.ArrayType:
			e = x.Elt
		case *ast.StarExpr:
			path, _ := selector(src, x.X)
			return strings.HasPrefix(path, pulumiAWS) ||
				strings.HasPrefix(path, module+"/components/") && !strings.HasPrefix(path, internalPath)
		default:
			return false
		}
	}
}
