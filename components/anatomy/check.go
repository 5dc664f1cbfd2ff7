package anatomy

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Parts says which optional parts of the skeleton a package must have, and where its type
// tokens come from; the rest applies to every component.
type Parts struct {
	// Overrides requires Args.Overrides, every hook applied through components/override
	// (or components/internal). Default: false.
	Overrides bool
	// Defaults requires a withDefaults method on Args, called by New. Default: false.
	Defaults bool
	// Outputs requires New to end with RegisterResourceOutputs. Default: false.
	Outputs bool
	// Tokens is the import path whose constants the TypeToken constants are defined from.
	// Default: none: each is a string literal "<package>:<module>:<Type>" of the package
	// itself, as an extension outside components/ declares it.
	Tokens string
}

// Component returns the parts every component under components/ has: all of them, with
// its type tokens from platform/tokens (which platform/graph reads).
func Component() Parts {
	return Parts{Overrides: true, Defaults: true, Outputs: true, Tokens: TokensPath}
}

// Extension returns the parts of a component declared outside components/: all of them,
// with its type tokens declared in its own package.
func Extension() Parts {
	return Parts{Overrides: true, Defaults: true, Outputs: true}
}

// Check lists how the package in dir departs from the anatomy, given the parts it must
// have; an error means the package could not be read. For each component of the package
// (a constant TypeToken, or <X>TypeToken for a second component X):
//   - the constant is defined from Parts.Tokens, or is a type token literal;
//   - New<X>(ctx *pulumi.Context, name string, [parent,] args *<X>Args, opts
//     ...pulumi.ResourceOption) (*T, error), T embedding pulumi.ResourceState; the main
//     component takes no parent;
//   - (*<X>Args).Validate() error reports every problem at once (errors.Join); a second
//     component, whose checks need its parent, may name it validate and take the parent;
//   - (*<X>Args).withDefaults returns the args with defaults filled in (one result);
//   - New<X> calls, in this order, the validation, withDefaults, RegisterComponentResource
//     (with the TypeToken constant) and RegisterResourceOutputs;
//   - <X>Args.Overrides is an <X>Overrides struct of hooks (funcs), each applied through
//     components/override (override.Apply) or components/internal, never called directly;
//   - every Allow* method of T returns iam.Statements alone;
//   - every field of T that holds child resources is exported, and there is one at least.
func Check(dir string, r Parts) ([]string, error) {
	p, err := parsePackage(dir)
	if err != nil {
		return nil, err
	}
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	names := slices.Sorted(maps.Keys(p.consts))
	found := 0
	for _, name := range names {
		if prefix, ok := strings.CutSuffix(name, "TypeToken"); ok {
			found++
			p.checkComponent(prefix, r, fail)
		}
	}
	if found == 0 {
		fail("no TypeToken constant: a component declares its Pulumi type")
	}
	if r.Overrides {
		p.checkHookUses(fail)
	}
	return problems, nil
}

func (p *pkg) checkComponent(prefix string, r Parts, fail func(string, ...any)) {
	tokenName, ctorName, argsName := prefix+"TypeToken", "New"+prefix, prefix+"Args"
	p.checkToken(tokenName, r.Tokens, fail)
	ctor := p.funcs[ctorName]
	if ctor == nil {
		fail("%s: is missing; a component is created by %s(ctx, name, args, opts...)", ctorName, ctorName)
		return
	}
	comp := p.checkSignature(ctor, prefix, fail)
	validate := p.checkValidate(argsName, prefix != "", fail)
	steps := []string{validate}
	if r.Defaults {
		if m := p.methods[argsName]["withDefaults"]; m == nil {
			fail("(*%s).withDefaults: is missing; the one defaults step has this name in every component", argsName)
		} else {
			if n := len(params(m.Type.Results)); n != 1 {
				fail("(*%s).withDefaults: returns %d values; it returns the args with defaults filled in", argsName, n)
			}
			steps = append(steps, "withDefaults")
		}
	}
	steps = append(steps, "RegisterComponentResource")
	if r.Outputs {
		steps = append(steps, "RegisterResourceOutputs")
	}
	p.checkOrder(ctor, steps, fail)
	p.checkRegistration(ctor, tokenName, fail)
	if r.Overrides {
		p.checkOverrides(argsName, prefix+"Overrides", fail)
	}
	if comp != "" {
		p.checkGrants(comp, fail)
		p.checkChildren(comp, fail)
	}
}

// checkSignature checks the constructor's signature and returns the component's type name.
func (p *pkg) checkSignature(ctor *ast.FuncDecl, prefix string, fail func(string, ...any)) string {
	src := p.fileOf[ctor]
	in, out := params(ctor.Type.Params), params(ctor.Type.Results)
	comp := ""
	if len(out) > 0 {
		comp = typeName(out[0])
	}
	ok := len(in) >= 4 && (prefix != "" || len(in) == 4) && len(out) == 2 && star(out[0], comp) && comp != ""
	if ok {
		ctx, isStar := in[0].(*ast.StarExpr)
		name, isIdent := in[1].(*ast.Ident)
		opts, isEllipsis := in[len(in)-1].(*ast.Ellipsis)
		errType, isErr := out[1].(*ast.Ident)
		ok = isStar && is(src, ctx.X, pulumiPath, "Context") && isIdent && name.Name == "string" &&
			star(in[len(in)-2], prefix+"Args") && isEllipsis && is(src, opts.Elt, pulumiPath, "ResourceOption") &&
			isErr && errType.Name == "error"
	}
	if !ok {
		parent := ""
		if prefix != "" {
			parent = "parent, "
		}
		fail("New%s: the signature is not New%s(ctx *pulumi.Context, name string, %sargs *%sArgs, opts ...pulumi.ResourceOption) (*%s, error)",
			prefix, prefix, parent, prefix, comp)
	}
	if spec := p.types[comp]; spec != nil && !p.embedsResourceState(spec) {
		fail("%s: does not embed pulumi.ResourceState", comp)
	}
	return comp
}

func (p *pkg) embedsResourceState(spec *ast.TypeSpec) bool {
	st, ok := spec.Type.(*ast.StructType)
	if !ok {
		return false
	}
	for _, f := range st.Fields.List {
		if len(f.Names) == 0 && is(p.fileOf[spec], f.Type, pulumiPath, "ResourceState") {
			return true
		}
	}
	return false
}

// checkValidate checks the Args' validation method and returns its name.
func (p *pkg) checkValidate(argsName string, secondary bool, fail func(string, ...any)) string {
	if p.types[argsName] == nil {
		fail("%s: is missing; a component is configured by one Args struct", argsName)
	}
	m := p.methods[argsName]["Validate"]
	if m == nil && secondary {
		m = p.methods[argsName]["validate"]
	}
	if m == nil {
		fail("(*%s).Validate: is missing; Args report every problem at once", argsName)
		return "Validate"
	}
	res := params(m.Type.Results)
	returnsError := len(res) == 1 && types.ExprString(res[0]) == "error"
	if !returnsError || !secondary && len(params(m.Type.Params)) != 0 {
		fail("(*%s).%s: the signature is not %s() error", argsName, m.Name.Name, m.Name.Name)
	}
	if !callsJoin(p.fileOf[m], m.Body) {
		fail("(*%s).%s: does not join its errors (errors.Join); validation reports every problem at once", argsName, m.Name.Name)
	}
	return m.Name.Name
}

// checkOrder checks that the constructor calls the steps, in order.
func (p *pkg) checkOrder(ctor *ast.FuncDecl, steps []string, fail func(string, ...any)) {
	var prev string
	prevPos := token.NoPos
	for _, step := range steps {
		pos := firstCall(ctor.Body, step)
		if pos == token.NoPos {
			fail("%s: does not call %s", ctor.Name.Name, step)
			continue
		}
		if prevPos != token.NoPos && pos < prevPos {
			fail("%s: calls %s before %s; the order is Validate, withDefaults, RegisterComponentResource, children, RegisterResourceOutputs",
				ctor.Name.Name, step, prev)
		}
		prev, prevPos = step, pos
	}
}

// checkRegistration checks that the component registers itself with its TypeToken constant.
func (p *pkg) checkRegistration(ctor *ast.FuncDecl, tokenName string, fail func(string, ...any)) {
	ast.Inspect(ctor.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "RegisterComponentResource" {
			if id, ok := call.Args[0].(*ast.Ident); !ok || id.Name != tokenName {
				fail("%s: registers the component as %s, not %s", ctor.Name.Name, types.ExprString(call.Args[0]), tokenName)
			}
		}
		return true
	})
}

// checkOverrides checks the Overrides field of the Args, and that every hook is applied.
func (p *pkg) checkOverrides(argsName, overridesName string, fail func(string, ...any)) {
	hasField := false
	if spec := p.types[argsName]; spec != nil {
		if args, ok := spec.Type.(*ast.StructType); ok {
			for _, f := range args.Fields.List {
				if len(f.Names) == 1 && f.Names[0].Name == "Overrides" && typeName(f.Type) == overridesName {
					hasField = true
				}
			}
		}
	}
	var hooks *ast.StructType
	if spec := p.types[overridesName]; spec != nil {
		hooks, _ = spec.Type.(*ast.StructType)
	}
	if !hasField || hooks == nil {
		fail("%s.Overrides: is missing; every component's children are open to hooks, a struct %s", argsName, overridesName)
		return
	}
	applied := map[string]bool{}
	for _, use := range p.hookUses() {
		applied[use.field] = applied[use.field] || use.internal
	}
	for _, f := range hooks.Fields.List {
		for _, id := range f.Names {
			if _, isFunc := f.Type.(*ast.FuncType); !isFunc {
				fail("%s.%s: is not a hook (a func of a child's arguments)", overridesName, id.Name)
				continue
			}
			if !applied[id.Name] {
				fail("%s.%s: is never applied through override.Apply", overridesName, id.Name)
			}
		}
	}
}

// checkHookUses reports every hook used outside components/internal.
func (p *pkg) checkHookUses(fail func(string, ...any)) {
	for _, use := range p.hookUses() {
		if !use.internal {
			fail("Overrides.%s at %s: is used outside override.Apply; run every hook through it, which re-applies the owned fields after it",
				use.field, use.at)
		}
	}
}

// checkGrants checks that every Allow* method returns iam.Statements alone.
func (p *pkg) checkGrants(comp string, fail func(string, ...any)) {
	methods := p.methods[comp]
	for _, name := range slices.Sorted(maps.Keys(methods)) {
		m := methods[name]
		if !strings.HasPrefix(name, "Allow") {
			continue
		}
		res := params(m.Type.Results)
		if len(res) != 1 || !is(p.fileOf[m], res[0], iamPath, "Statements") {
			fail("(*%s).%s: returns %s; a grant returns iam.Statements alone (an impossible grant carries its error in iam.Statement.Err)",
				comp, name, results(res))
		}
	}
}

func results(res []ast.Expr) string {
	out := make([]string, len(res))
	for i, r := range res {
		out[i] = types.ExprString(r)
	}
	if len(out) == 1 {
		return out[0]
	}
	return "(" + strings.Join(out, ", ") + ")"
}

// checkChildren checks that the component exposes its children.
func (p *pkg) checkChildren(comp string, fail func(string, ...any)) {
	spec := p.types[comp]
	if spec == nil {
		return
	}
	st, ok := spec.Type.(*ast.StructType)
	if !ok {
		return
	}
	exported := 0
	for _, f := range st.Fields.List {
		if !isChild(p.fileOf[spec], f.Type) {
			continue
		}
		for _, id := range f.Names {
			if !id.IsExported() {
				fail("%s.%s: holds child resources but is not exported; callers read children and depend on them", comp, id.Name)
				continue
			}
			exported++
		}
	}
	if exported == 0 {
		fail("%s: exposes no child resource", comp)
	}
}

// checkToken checks where a TypeToken constant comes from: Parts.Tokens, or a literal.
func (p *pkg) checkToken(tokenName, tokens string, fail func(string, ...any)) {
	val := p.consts[tokenName]
	if tokens != "" {
		if path, _ := selector(p.fileOf[val], val); path != tokens {
			fail("%s: is not a constant of %s; platform/graph recognises components by those, so a rename must change both", tokenName, tokens)
		}
		return
	}
	lit, ok := val.(*ast.BasicLit)
	s, err := "", error(nil)
	if ok && lit.Kind == token.STRING {
		s, err = strconv.Unquote(lit.Value)
	}
	if !ok || err != nil || len(strings.Split(s, ":")) != 3 || strings.Contains(s, " ") {
		fail("%s: is not a type token literal \"<package>:<module>:<Type>\"", tokenName)
	}
}
