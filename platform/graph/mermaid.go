package graph

import (
	"fmt"
	"slices"
	"strings"
)

// ids hands out Mermaid node ids: letters, digits and underscores only, with a prefix that
// keeps them clear of Mermaid's keywords (end, graph, ...), unique within one diagram.
type ids struct {
	used map[string]bool
}

func newIDs() *ids { return &ids{used: map[string]bool{}} }

// next returns a fresh id made of prefix and a sanitised name.
func (s *ids) next(prefix, name string) string {
	base := prefix + "_" + sanitise(name)
	id := base
	for n := 2; s.used[id]; n++ {
		id = fmt.Sprintf("%s_%d", base, n)
	}
	s.used[id] = true
	return id
}

// sanitise replaces every run of characters that Mermaid ids cannot hold with one "_".
func sanitise(name string) string {
	var b strings.Builder
	pending := false
	for _, c := range name {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			if pending && b.Len() > 0 {
				b.WriteByte('_')
			}
			pending = false
			b.WriteRune(c)
			continue
		}
		pending = true
	}
	if b.Len() == 0 {
		return "x"
	}
	return b.String()
}

// quote returns text as a quoted Mermaid label; quotes and '#' are written as entities.
func quote(text string) string {
	text = strings.ReplaceAll(text, "#", "#35;")
	return `"` + strings.ReplaceAll(text, `"`, "#quot;") + `"`
}

// shape returns the Mermaid node declaration of id with the shape that marks kind.
func shape(id, kind, label string) string {
	l := quote(label)
	switch kind {
	case kindFunction:
		return id + "(" + l + ")"
	case kindTable:
		return id + "[(" + l + ")]"
	case kindQueue:
		return id + "[/" + l + "/]"
	case kindTopic:
		return id + ">" + l + "]"
	case kindSchedule:
		return id + "([" + l + "])"
	case kindAPI:
		return id + "{{" + l + "}}"
	}
	return id + "[" + l + "]"
}

// edge returns a Mermaid edge; dotted edges are the ones that happen only on failure or at
// deploy time.
func edge(from, to, label string, dotted bool) string {
	arrow := "-->"
	if dotted {
		arrow = "-.->"
	}
	if label == "" {
		return from + " " + arrow + " " + to
	}
	return from + " " + arrow + "|" + quote(label) + "| " + to
}

// classes collects which nodes carry which style class.
type classes map[string][]string

func (c classes) add(class, id string) { c[class] = append(c[class], id) }

// write appends the classDef and class lines of the classes in use, sorted.
func (c classes) write(b *strings.Builder, styles func(class string) string) {
	names := make([]string, 0, len(c))
	for name := range c {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		fmt.Fprintf(b, "  classDef %s %s\n", name, styles(name))
	}
	for _, name := range names {
		members := slices.Clone(c[name])
		slices.Sort(members)
		fmt.Fprintf(b, "  class %s %s\n", strings.Join(members, ","), name)
	}
}
