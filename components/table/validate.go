package table

import (
	"errors"
	"fmt"
)

// DynamoDB's limits that Validate checks.
const (
	maxIndexes          = 20  // global secondary indexes per table (the default quota)
	maxProjected        = 100 // NonKeyAttributes summed over every index
	maxKeyNameBytes     = 255 // names of key attributes
	minIndexName        = 3
	maxIndexName        = 255
	allowedTypes        = "S (String), N (Number), B (Binary)"
	allowedProjections  = "ALL, KEYS_ONLY, INCLUDE"
	allowedStreamViews  = "NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY"
	indexNameCharacters = "[A-Za-z0-9_.-]"
)

// Validate reports every problem with args at once.
func (a *Args) Validate() error {
	v := &validator{types: map[string]typedAt{}}
	if err := a.Scope.Validate(); err != nil {
		v.errs = append(v.errs, err)
	}
	if a.HashKey.Name == "" && a.HashKey.Type == "" {
		v.fail("HashKey", "is required")
	} else {
		v.key("HashKey", a.HashKey)
	}
	v.rangeKey("RangeKey", a.RangeKey, a.HashKey)
	v.indexes(a.Indexes)
	v.ttl(a.TTLAttribute)
	switch a.Stream {
	case "", StreamNewImage, StreamOldImage, StreamNewAndOldImages, StreamKeysOnly:
	default:
		v.fail("Stream", "%q is not a stream view; allowed %s", a.Stream, allowedStreamViews)
	}
	if a.Capacity != nil {
		v.minMax("Capacity.Read", a.Capacity.Read)
		v.minMax("Capacity.Write", a.Capacity.Write)
	}
	v.errs = append(v.errs, a.Migration.validate(a)...)
	return errors.Join(v.errs...)
}

// typedAt is where an attribute was first declared with a type.
type typedAt struct {
	typ   AttributeType
	field string
}

type validator struct {
	errs  []error
	types map[string]typedAt // attribute name -> first declaration
}

func (v *validator) fail(field, format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf(field+": "+format, args...))
}

// key checks a key that must be set and records its attribute's type.
func (v *validator) key(field string, k Key) {
	switch {
	case k.Name == "":
		v.fail(field+".Name", "is required")
	case len(k.Name) > maxKeyNameBytes:
		v.fail(field+".Name", "%q is %d bytes; at most %d allowed", k.Name, len(k.Name), maxKeyNameBytes)
	}
	switch k.Type {
	case String, Number, Binary:
		if k.Name == "" {
			return
		}
		if first, ok := v.types[k.Name]; !ok {
			v.types[k.Name] = typedAt{k.Type, field}
		} else if first.typ != k.Type {
			v.fail(field+".Type", "attribute %q is %s here but %s in %s; an attribute has one type",
				k.Name, k.Type, first.typ, first.field)
		}
	case "":
		v.fail(field+".Type", "is required; allowed %s", allowedTypes)
	default:
		v.fail(field+".Type", "%q is not an attribute type; allowed %s", k.Type, allowedTypes)
	}
}

// rangeKey checks an optional sort key: none, or a key other than hash.
func (v *validator) rangeKey(field string, k, hash Key) {
	switch {
	case k.Name == "" && k.Type == "":
	case k.Name == "":
		v.fail(field+".Name", "is empty but Type is %q; set both or neither", k.Type)
	default:
		v.key(field, k)
		if k.Name == hash.Name {
			v.fail(field+".Name", "%q is also the hash key; the two keys must be different attributes", k.Name)
		}
	}
}

func (v *validator) indexes(indexes []Index) {
	if len(indexes) > maxIndexes {
		v.fail("Indexes", "%d global secondary indexes; at most %d allowed", len(indexes), maxIndexes)
	}
	names := map[string]int{}
	projected := 0
	for i, idx := range indexes {
		field := fmt.Sprintf("Indexes[%d]", i)
		switch {
		case idx.Name == "":
			v.fail(field+".Name", "is required")
		case !validIndexName(idx.Name):
			v.fail(field+".Name", "%q is not an index name; allowed %d to %d characters of %s",
				idx.Name, minIndexName, maxIndexName, indexNameCharacters)
		}
		if first, dup := names[idx.Name]; dup && idx.Name != "" {
			v.fail(field+".Name", "%q is also the name of Indexes[%d]; index names must be unique", idx.Name, first)
		} else if !dup {
			names[idx.Name] = i
		}
		v.key(field+".HashKey", idx.HashKey)
		v.rangeKey(field+".RangeKey", idx.RangeKey, idx.HashKey)
		v.projection(field, idx)
		projected += len(idx.NonKeyAttributes)
	}
	if projected > maxProjected {
		v.fail("Indexes", "%d non-key attributes projected in total; at most %d allowed", projected, maxProjected)
	}
}

func (v *validator) projection(field string, idx Index) {
	switch idx.Projection {
	case "", ProjectAll, ProjectKeysOnly:
		if len(idx.NonKeyAttributes) > 0 {
			v.fail(field+".NonKeyAttributes", "are set but the projection is %s; only INCLUDE projects named attributes",
				orAll(idx.Projection))
		}
		return
	case ProjectInclude:
		if len(idx.NonKeyAttributes) == 0 {
			v.fail(field+".NonKeyAttributes", "are required with projection INCLUDE")
		}
	default:
		v.fail(field+".Projection", "%q is not a projection; allowed %s", idx.Projection, allowedProjections)
	}
	seen := map[string]int{}
	for j, attr := range idx.NonKeyAttributes {
		f := fmt.Sprintf("%s.NonKeyAttributes[%d]", field, j)
		if attr == "" {
			v.fail(f, "is empty")
			continue
		}
		if first, dup := seen[attr]; dup {
			v.fail(f, "%q is also NonKeyAttributes[%d]; list an attribute once", attr, first)
			continue
		}
		seen[attr] = j
	}
}

func (v *validator) ttl(attr string) {
	if attr == "" {
		return
	}
	if len(attr) > maxKeyNameBytes {
		v.fail("TTLAttribute", "%q is %d bytes; at most %d allowed", attr, len(attr), maxKeyNameBytes)
	}
	if first, ok := v.types[attr]; ok && first.typ != Number {
		v.fail("TTLAttribute", "%q is %s in %s; a TTL attribute holds a Number (epoch seconds)", attr, first.typ, first.field)
	}
}

func (v *validator) minMax(field string, m MinMax) {
	if m.Min < 1 {
		v.fail(field+".Min", "%d is less than 1", m.Min)
	}
	if m.Max < m.Min {
		v.fail(field+".Max", "%d is less than %s.Min (%d)", m.Max, field, m.Min)
	}
}

func validIndexName(name string) bool {
	if len(name) < minIndexName || len(name) > maxIndexName {
		return false
	}
	for _, c := range name {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '_' || c == '.' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}

func orAll(p Projection) Projection {
	if p == "" {
		return ProjectAll
	}
	return p
}
