package openapi

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// CheckBindings checks that the spec's operations and a context's HTTP handlers match both
// ways. bindings maps each operationId to the handler that serves it (its directory under the
// context's handlers/, which is also its function's name); handlers are the context's HTTP
// handlers (openapitest.HTTPHandlers finds them). It fails when an operation has no handler,
// when a binding names an operation the spec does not have or a handler that does not exist,
// and when a handler serves no operation; the error lists every mismatch.
func (s *Spec) CheckBindings(bindings map[string]string, handlers []string) error {
	var problems []error
	bound := map[string]bool{}
	for _, op := range s.Operations() {
		handler, ok := bindings[op.ID]
		if !ok {
			problems = append(problems, fmt.Errorf("operation %q (%s) has no handler: bind it to the handler that serves it", op.ID, op.RouteKey()))
			continue
		}
		bound[op.ID] = true
		if !slices.Contains(handlers, handler) {
			problems = append(problems, fmt.Errorf("operation %q (%s) is bound to handler %q, which is not an HTTP handler of the context (%s)",
				op.ID, op.RouteKey(), handler, names(handlers)))
		}
	}
	for _, id := range slices.Sorted(maps.Keys(bindings)) {
		if !bound[id] {
			problems = append(problems, fmt.Errorf("binding %q -> %q: the spec has no operation %q (operations: %s)", id, bindings[id], id, names(s.operationIDs())))
		}
	}
	var served []string
	for id := range bound {
		served = append(served, bindings[id])
	}
	for _, h := range handlers {
		if !slices.Contains(served, h) {
			problems = append(problems, fmt.Errorf("handler %q serves no operation of the spec: bind an operation to it, or remove it", h))
		}
	}
	return errors.Join(problems...)
}

func (s *Spec) operationIDs() []string {
	var ids []string
	for _, op := range s.Operations() {
		ids = append(ids, op.ID)
	}
	slices.Sort(ids)
	return ids
}

// names shows names in a message, sorted, or "none".
func names(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(slices.Sorted(slices.Values(list)), ", ")
}
