package local

import (
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/archive"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/asset"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
)

// leaf is one changed value: a scalar, or a container that is empty, unknown or changed kind.
type leaf struct {
	path resource.PropertyPath
	kind plugin.DiffKind // DiffAdd, DiffDelete or DiffUpdate
	// value is the new value (null when deleted).
	value resource.PropertyValue
	// input is false when the old value came from the old outputs.
	input bool
}

// key is the top-level property the leaf is in.
func (l leaf) key() resource.PropertyKey {
	if len(l.path) > 0 {
		if k, ok := l.path[0].(string); ok {
			return resource.PropertyKey(k)
		}
	}
	return ""
}

// diffInputs compares old and new inputs leaf by leaf. A new key the old inputs lack is
// compared with the old outputs, as AWS holds the value the resource has.
func diffInputs(oldInputs, oldOutputs, newInputs resource.PropertyMap) []leaf {
	keys := map[resource.PropertyKey]bool{}
	for k := range oldInputs {
		keys[k] = true
	}
	for k := range newInputs {
		keys[k] = true
	}
	var out []leaf
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		o, hasO := oldInputs[k]
		n, hasN := newInputs[k]
		input := true
		if (!hasO || o.IsNull()) && hasN {
			o, hasO = oldOutputs[k]
			input = !hasO
		}
		var found []leaf
		walk(resource.PropertyPath{string(k)}, o, n, hasO, hasN, &found)
		for i := range found {
			found[i].input = input
		}
		out = append(out, found...)
	}
	return out
}

// walk appends the leaves that differ between o and n at path.
func walk(path resource.PropertyPath, o, n resource.PropertyValue, hasO, hasN bool, out *[]leaf) {
	o, n = unwrap(o), unwrap(n)
	hasO, hasN = hasO && !o.IsNull(), hasN && !n.IsNull()
	switch {
	case !hasO && !hasN:
		return
	case hasN && n.IsComputed(), hasO && o.IsComputed():
		kind := plugin.DiffUpdate
		if !hasO {
			kind = plugin.DiffAdd
		}
		*out = append(*out, leaf{path: path, kind: kind, value: n})
		return
	case !hasO:
		leaves(path, n, plugin.DiffAdd, out)
		return
	case !hasN:
		leaves(path, o, plugin.DiffDelete, out)
		return
	case o.IsObject() && n.IsObject():
		om, nm := o.ObjectValue(), n.ObjectValue()
		keys := maps.Collect(maps.All(om))
		maps.Copy(keys, nm)
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			ov, okO := om[k]
			nv, okN := nm[k]
			walk(append(slices.Clone(path), string(k)), ov, nv, okO, okN, out)
		}
		return
	case o.IsArray() && n.IsArray():
		oa, na := o.ArrayValue(), n.ArrayValue()
		for i := range max(len(oa), len(na)) {
			var ov, nv resource.PropertyValue
			if i < len(oa) {
				ov = oa[i]
			}
			if i < len(na) {
				nv = na[i]
			}
			walk(append(slices.Clone(path), i), ov, nv, i < len(oa), i < len(na), out)
		}
		return
	}
	if !same(o, n) {
		*out = append(*out, leaf{path: path, kind: plugin.DiffUpdate, value: n})
	}
}

// leaves appends every leaf inside v (v itself when it is a scalar or empty) with kind.
func leaves(path resource.PropertyPath, v resource.PropertyValue, kind plugin.DiffKind, out *[]leaf) {
	v = unwrap(v)
	value := v
	if kind == plugin.DiffDelete {
		value = resource.NewNullProperty()
	}
	switch {
	case v.IsObject() && len(v.ObjectValue()) > 0:
		for _, k := range v.ObjectValue().StableKeys() {
			leaves(append(slices.Clone(path), string(k)), v.ObjectValue()[k], kind, out)
		}
	case v.IsArray() && len(v.ArrayValue()) > 0:
		for i, e := range v.ArrayValue() {
			leaves(append(slices.Clone(path), i), e, kind, out)
		}
	default:
		*out = append(*out, leaf{path: path, kind: kind, value: value})
	}
}

// same compares two known, non-container values: archives and assets by hash (by source when
// a hash is missing), JSON strings by document, anything else by value.
func same(o, n resource.PropertyValue) bool {
	switch {
	case o.IsArchive() && n.IsArchive():
		return sameArchive(o.ArchiveValue(), n.ArchiveValue())
	case o.IsAsset() && n.IsAsset():
		return sameAsset(o.AssetValue(), n.AssetValue())
	case o.IsString() && n.IsString():
		return o.StringValue() == n.StringValue() || sameJSON(o.StringValue(), n.StringValue())
	}
	return o.DeepEquals(n)
}

func sameArchive(a, b *archive.Archive) bool {
	if a.Hash != "" && b.Hash != "" {
		return a.Hash == b.Hash
	}
	return a.Path == b.Path && a.URI == b.URI && reflect.DeepEqual(a.Assets, b.Assets)
}

func sameAsset(a, b *asset.Asset) bool {
	if a.Hash != "" && b.Hash != "" {
		return a.Hash == b.Hash
	}
	return a.Path == b.Path && a.URI == b.URI && a.Text == b.Text
}

// rulePath writes a path the way aws-replace-on-change.json does: list indexes as `[]`.
func rulePath(p resource.PropertyPath) string {
	var b strings.Builder
	for i, e := range p {
		switch e := e.(type) {
		case string:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(e)
		case int:
			b.WriteString("[]")
		}
	}
	return b.String()
}

// covers reports whether a change at leaf path l falls under rule path r: l is r or inside
// it, or l is a whole block that r is inside of.
func covers(r, l string) bool {
	return l == r || strings.HasPrefix(l, r+".") || strings.HasPrefix(l, r+"[]") ||
		strings.HasPrefix(r, l+".") || strings.HasPrefix(r, l+"[]")
}

// replaces reports whether the change l replaces a resource with rules t.
func (t typeRules) replaces(l leaf) bool {
	p := rulePath(l.path)
	for _, r := range t.ReplaceOnChange {
		if covers(r, p) {
			return true
		}
	}
	for _, r := range t.ConditionalReplaceOnChange {
		if covers(r, p) && !l.value.IsNull() && (!l.value.IsString() || l.value.StringValue() != "") {
			return true
		}
	}
	return false
}

// decide turns the changed leaves into the engine's diff: changed and replaced top-level
// keys, and a detailed diff by property path.
func (t typeRules) decide(changes []leaf) plugin.DiffResult {
	if len(changes) == 0 {
		return plugin.DiffResult{Changes: plugin.DiffNone}
	}
	res := plugin.DiffResult{Changes: plugin.DiffSome, DetailedDiff: map[string]plugin.PropertyDiff{}}
	changed, replaced := map[resource.PropertyKey]bool{}, map[resource.PropertyKey]bool{}
	for _, l := range changes {
		key := l.key()
		d := plugin.PropertyDiff{Kind: l.kind, InputDiff: l.input}
		if t.replaces(l) {
			d = d.ToReplace()
			replaced[key] = true
		}
		changed[key] = true
		res.DetailedDiff[l.path.String()] = d
	}
	res.ChangedKeys = sortedKeys(changed)
	res.ReplaceKeys = sortedKeys(replaced)
	return res
}

func sortedKeys(m map[resource.PropertyKey]bool) []resource.PropertyKey {
	return slices.Sorted(maps.Keys(m))
}
