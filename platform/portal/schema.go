package portal

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// maxDepth bounds how deep a schema is shown, so that a recursive schema ends.
const maxDepth = 8

// schemaView is a schema as a page shows it: its type in words, its constraints, and its
// properties or items, each a schemaView of its own.
type schemaView struct {
	// Name is the component's name when the schema is a reference ("Account").
	Name        string
	Type        string
	Constraints []string
	Description string
	Properties  []propertyView
	Items       *schemaView
	// Values describes an object's other keys (additionalProperties with a schema).
	Values *schemaView
	// Closed reports an object that allows no other keys.
	Closed bool
}

type propertyView struct {
	Name     string
	Required bool
	Schema   *schemaView
}

// viewSchema returns the view of ref, or nil when there is no schema. seen holds the
// references being shown above this one, which a recursive schema shows by name only.
func viewSchema(ref *openapi3.SchemaRef, depth int, seen []string) *schemaView {
	if ref == nil || ref.Value == nil {
		return nil
	}
	s := ref.Value
	v := &schemaView{Name: refName(ref.Ref), Type: typeWords(s), Constraints: constraints(s), Description: s.Description}
	if v.Name != "" && slices.Contains(seen, v.Name) || depth >= maxDepth {
		v.Constraints = append(v.Constraints, "shown above")
		return v
	}
	if v.Name != "" {
		seen = append(seen, v.Name)
	}
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		v.Properties = append(v.Properties, propertyView{
			Name:     name,
			Required: slices.Contains(s.Required, name),
			Schema:   viewSchema(s.Properties[name], depth+1, seen),
		})
	}
	v.Items = viewSchema(s.Items, depth+1, seen)
	v.Values = viewSchema(s.AdditionalProperties.Schema, depth+1, seen)
	v.Closed = s.AdditionalProperties.Has != nil && !*s.AdditionalProperties.Has
	return v
}

// refName returns the component name of a local reference ("#/components/schemas/Account").
func refName(ref string) string {
	if i := strings.LastIndex(ref, "/"); i >= 0 {
		return ref[i+1:]
	}
	return ref
}

// typeWords describes the type of s: "string", "array of Account", "date-time string".
func typeWords(s *openapi3.Schema) string {
	var types []string
	if s.Type != nil {
		types = s.Type.Slice()
	}
	t := strings.Join(types, " or ")
	switch {
	case t == "":
		t = "any"
	case t == "array" && s.Items != nil && s.Items.Value != nil:
		item := refName(s.Items.Ref)
		if item == "" {
			item = typeWords(s.Items.Value)
		}
		t = "array of " + item
	}
	if s.Format != "" {
		t = s.Format + " " + t
	}
	if s.Nullable {
		t += " or null"
	}
	return t
}

// constraints lists what a value of s must be besides its type, in the words of the spec.
func constraints(s *openapi3.Schema) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if len(s.Enum) > 0 {
		values := make([]string, 0, len(s.Enum))
		for _, e := range s.Enum {
			values = append(values, jsonText(e))
		}
		add("one of %s", strings.Join(values, ", "))
	}
	if s.Pattern != "" {
		add("pattern %s", s.Pattern)
	}
	if s.MinLength > 0 {
		add("minLength %d", s.MinLength)
	}
	if s.MaxLength != nil {
		add("maxLength %d", *s.MaxLength)
	}
	if s.Min != nil {
		add("minimum %s", strconv.FormatFloat(*s.Min, 'f', -1, 64))
	}
	if s.Max != nil {
		add("maximum %s", strconv.FormatFloat(*s.Max, 'f', -1, 64))
	}
	if s.MinItems > 0 {
		add("minItems %d", s.MinItems)
	}
	if s.MaxItems != nil {
		add("maxItems %d", *s.MaxItems)
	}
	if s.Default != nil {
		add("default %s", jsonText(s.Default))
	}
	if s.ReadOnly {
		add("read-only")
	}
	if s.Deprecated {
		add("deprecated")
	}
	return out
}

// jsonText returns v as compact JSON.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// jsonBlock returns v as indented JSON, for an example.
func jsonBlock(v any) string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
