package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
)

// JSONMarker is the key of the object that holds a JSON string as nested JSON in a golden
// file.
const JSONMarker = "$json"

// LiteralMarker is the key of the object that holds, in a golden file, a plan object that
// would otherwise read as a marker.
const LiteralMarker = "$literal"

// GoldenJSON renders the plan as a golden file: the plan JSON, with one difference made for
// review. A string that holds compact JSON (an object or an array: an IAM policy, a dashboard
// body, a filter policy, an access-log format) is written as that JSON, nested and indented,
// as the only member of an object whose key is JSONMarker. In the plan JSON, an IAM policy is one
// line of escaped JSON; in a golden file it reads, and diffs, a line per element:
//
//	"policy": "{\"Version\":\"2012-10-17\",\"Statement\":[...]}"
//
//	"policy": {
//	  "$json": {
//	    "Version": "2012-10-17",
//	    "Statement": [...]
//	  }
//	}
//
// Reading a golden file back compacts the nested JSON, which gives the string exactly (its
// key order, number literals and escapes are kept as written), so every reader of a golden
// file sees the plan that JSON renders. A string is nested only when it is compact JSON, the
// form compacting restores; any other string stays a string. The encoding is unambiguous: an
// object of the plan whose only key is JSONMarker or LiteralMarker is written as the only
// member of an object keyed LiteralMarker, which reading unwraps without looking for markers
// in the wrapped object itself.
//
// ParseGolden reads a golden file back; JSON remains the format for tools.
func (p *Plan) GoldenJSON() ([]byte, error) {
	g := *p
	g.Resources = slices.Clone(p.Resources)
	for i := range g.Resources {
		g.Resources[i].Inputs = nestMap(g.Resources[i].Inputs)
		g.Resources[i].Outputs = nestMap(g.Resources[i].Outputs)
	}
	g.Outputs = nestMap(p.Outputs)
	out, err := g.JSON()
	if err != nil {
		return nil, err
	}
	// The check costs one parse and keeps a golden file from ever holding a plan that reads
	// back differently, whatever values a future program records.
	back, err := ParseGolden(out)
	if err != nil {
		return nil, fmt.Errorf("plan: golden file does not read back: %w", err)
	}
	want, err := p.JSON()
	if err != nil {
		return nil, err
	}
	got, err := back.JSON()
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(want, got) {
		return nil, errors.New("plan: golden file does not read back to the same plan")
	}
	return out, nil
}

// ParseGolden reads a plan rendered by GoldenJSON. Plan JSON reads the same way, unless one
// of its objects has the only key JSONMarker or LiteralMarker.
func ParseGolden(b []byte) (*Plan, error) {
	tree, err := unnest(b)
	if err != nil {
		return nil, fmt.Errorf("plan: parsing golden JSON: %w", err)
	}
	plain, err := json.Marshal(tree)
	if err != nil {
		return nil, fmt.Errorf("plan: parsing golden JSON: %w", err)
	}
	return Parse(plain)
}

// ReadGolden reads the golden file at path.
func ReadGolden(path string) (*Plan, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	p, err := ParseGolden(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// nestMap returns m with every JSON string nested and every marker-shaped object wrapped.
func nestMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = nest(v)
	}
	if len(m) == 1 && (hasKey(m, JSONMarker) || hasKey(m, LiteralMarker)) {
		return map[string]any{LiteralMarker: out}
	}
	return out
}

func hasKey(m map[string]any, key string) bool {
	_, ok := m[key]
	return ok
}

func nest(v any) any {
	switch v := v.(type) {
	case string:
		if isCompactJSON(v) {
			return map[string]json.RawMessage{JSONMarker: json.RawMessage(v)}
		}
		return v
	case map[string]any:
		return nestMap(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = nest(e)
		}
		return out
	}
	return v
}

// isCompactJSON reports whether s is a JSON object or array with no insignificant
// whitespace: the strings that compacting their nested form gives back exactly.
func isCompactJSON(s string) bool {
	if s == "" || (s[0] != '{' && s[0] != '[') || !json.Valid([]byte(s)) {
		return false
	}
	var buf bytes.Buffer
	if json.Compact(&buf, []byte(s)) != nil {
		return false
	}
	return buf.String() == s
}

// unnest decodes a JSON value of a golden file: markers become what they mark, everything
// else decodes as encoding/json decodes it into an any.
func unnest(raw []byte) (any, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, errors.New("empty value")
	}
	switch raw[0] {
	case '{':
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, err
		}
		if len(m) == 1 {
			if nested, ok := m[JSONMarker]; ok {
				return compactString(nested)
			}
			if literal, ok := m[LiteralMarker]; ok {
				var wrapped map[string]json.RawMessage
				if err := json.Unmarshal(literal, &wrapped); err != nil || wrapped == nil {
					return nil, fmt.Errorf("the value of %q is not an object", LiteralMarker)
				}
				return unnestMembers(wrapped)
			}
		}
		return unnestMembers(m)
	case '[':
		var elems []json.RawMessage
		if err := json.Unmarshal(raw, &elems); err != nil {
			return nil, err
		}
		out := make([]any, len(elems))
		for i, e := range elems {
			v, err := unnest(e)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			out[i] = v
		}
		return out, nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	return v, nil
}

func unnestMembers(m map[string]json.RawMessage) (map[string]any, error) {
	out := make(map[string]any, len(m))
	for k, raw := range m {
		v, err := unnest(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[k] = v
	}
	return out, nil
}

// compactString returns the string a JSONMarker object holds.
func compactString(nested json.RawMessage) (string, error) {
	nested = bytes.TrimSpace(nested)
	if len(nested) == 0 || (nested[0] != '{' && nested[0] != '[') {
		return "", fmt.Errorf("the value of %q is not an object or an array", JSONMarker)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, nested); err != nil {
		return "", err
	}
	return buf.String(), nil
}
