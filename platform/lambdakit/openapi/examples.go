package openapi

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// CheckExamples checks that the spec shows every operation by example and that every example
// is true: each parameter, each request body's media type and each response's media type has
// at least one example, and every example matches its schema (request examples as requests,
// response examples as responses). It then runs kin-openapi's own example validation, which
// also covers examples inside schemas. The error lists every problem, each naming the
// operation, the place and the example.
func (s *Spec) CheckExamples() error {
	var problems []error
	for _, op := range s.Operations() {
		where := fmt.Sprintf("%s (%s)", op.RouteKey(), op.ID)
		for _, p := range op.parameters() {
			examples := examplesOf(p.Example, p.Examples, p.Schema)
			if len(examples) == 0 {
				problems = append(problems, fmt.Errorf("%s: parameter %q: has no example", where, p.Name))
			}
			problems = append(problems, checkExamples(fmt.Sprintf("%s: parameter %q", where, p.Name), p.Schema, examples, openapi3.VisitAsRequest())...)
		}
		if body := op.route.Operation.RequestBody; body != nil && body.Value != nil {
			for _, mediaType := range mediaTypes(body.Value.Content) {
				mt := body.Value.Content[mediaType]
				problems = append(problems, checkMediaType(fmt.Sprintf("%s: request body %s", where, mediaType), mt, openapi3.VisitAsRequest())...)
			}
		}
		responses := op.route.Operation.Responses.Map()
		for _, status := range slices.Sorted(maps.Keys(responses)) {
			resp := responses[status].Value
			if resp == nil {
				continue
			}
			for _, mediaType := range mediaTypes(resp.Content) {
				where := fmt.Sprintf("%s: response %s %s", where, status, mediaType)
				problems = append(problems, checkMediaType(where, resp.Content[mediaType], openapi3.VisitAsResponse())...)
			}
		}
	}
	if len(problems) == 0 {
		if err := s.doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
			problems = append(problems, fmt.Errorf("examples: %w", err))
		}
	}
	return errors.Join(problems...)
}

// parameters returns the operation's parameters with those of its path, the operation's
// overriding the path's of the same name and place.
func (o *Operation) parameters() []*openapi3.Parameter {
	var out []*openapi3.Parameter
	own := o.route.Operation.Parameters
	for _, ref := range o.route.PathItem.Parameters {
		if own.GetByInAndName(ref.Value.In, ref.Value.Name) == nil {
			out = append(out, ref.Value)
		}
	}
	for _, ref := range own {
		out = append(out, ref.Value)
	}
	return out
}

func checkMediaType(where string, mt *openapi3.MediaType, direction openapi3.SchemaValidationOption) []error {
	examples := examplesOf(mt.Example, mt.Examples, mt.Schema)
	if len(examples) == 0 {
		return []error{fmt.Errorf("%s: has no example", where)}
	}
	return checkExamples(where, mt.Schema, examples, direction)
}

// examplesOf returns the examples of a parameter or media type by name: its one example
// ("example"), its named ones, or else its schema's.
func examplesOf(example any, named openapi3.Examples, schema *openapi3.SchemaRef) map[string]any {
	out := map[string]any{}
	if example != nil {
		out["example"] = example
	}
	for name, ref := range named {
		if ref != nil && ref.Value != nil {
			out[name] = ref.Value.Value
		}
	}
	if len(out) == 0 && schema != nil && schema.Value != nil && schema.Value.Example != nil {
		out["schema example"] = schema.Value.Example
	}
	return out
}

func checkExamples(where string, schema *openapi3.SchemaRef, examples map[string]any, direction openapi3.SchemaValidationOption) []error {
	if schema == nil || schema.Value == nil {
		return nil
	}
	var problems []error
	for _, name := range slices.Sorted(maps.Keys(examples)) {
		err := schema.Value.VisitJSON(examples[name], openapi3.MultiErrors(), direction)
		var msgs []string
		for _, e := range flatten(err) {
			schemaErr, ok := errors.AsType[*openapi3.SchemaError](e)
			if !ok {
				msgs = append(msgs, e.Error())
				continue
			}
			field, problem := schemaProblem(schemaErr)
			msgs = append(msgs, cmpOrValue(field)+": "+problem)
		}
		if len(msgs) > 0 {
			slices.Sort(msgs)
			problems = append(problems, fmt.Errorf("%s: example %q: %s", where, name, strings.Join(msgs, "; ")))
		}
	}
	return problems
}

// cmpOrValue names the example itself when the problem is not in one of its fields.
func cmpOrValue(field string) string {
	if field == "" {
		return "value"
	}
	return field
}
