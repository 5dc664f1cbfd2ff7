package openapi

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// flatten returns the errors of a validation: the members of a MultiError, each as it is.
// It does not unwrap a RequestError, whose parameter or body gives its schema errors a field.
func flatten(err error) []error {
	if err == nil {
		return nil
	}
	me, ok := err.(openapi3.MultiError) //nolint:errorlint // this error's members, not what they wrap
	if !ok {
		return []error{err}
	}
	var out []error
	for _, e := range me {
		out = append(out, flatten(e)...)
	}
	return out
}

// requestProblem names the field that err is about and what is wrong with it, in words for the
// client. input gives the values the client sent, which parse errors leave out.
func requestProblem(err error, input *openapi3filter.RequestValidationInput) []fieldProblem {
	reqErr, ok := errors.AsType[*openapi3filter.RequestError](err)
	if !ok {
		return []fieldProblem{{"request", err.Error()}}
	}
	switch {
	case reqErr.Parameter != nil:
		return parameterProblems(reqErr, input)
	case reqErr.RequestBody != nil:
		return bodyProblems(reqErr)
	}
	return []fieldProblem{{"request", reqErr.Error()}}
}

// fieldProblem is one invalid field and what is wrong with it.
type fieldProblem struct {
	field, problem string
}

func parameterProblems(err *openapi3filter.RequestError, input *openapi3filter.RequestValidationInput) []fieldProblem {
	p := err.Parameter
	switch {
	case errors.Is(err.Err, openapi3filter.ErrInvalidRequired):
		return []fieldProblem{{p.Name, "is required"}}
	case errors.Is(err.Err, openapi3filter.ErrInvalidEmptyValue):
		return []fieldProblem{{p.Name, "must not be empty"}}
	}
	if parseErr, ok := errors.AsType[*openapi3filter.ParseError](err.Err); ok {
		var want string
		if p.Schema != nil && p.Schema.Value != nil {
			want = typeName(p.Schema.Value)
		}
		if want == "" {
			return []fieldProblem{{p.Name, "is invalid: " + parseErr.Error()}}
		}
		return []fieldProblem{{p.Name, "must be " + want + ", got " + quote(rawParameter(p, input))}}
	}
	var out []fieldProblem
	for _, e := range flatten(err.Err) {
		if schemaErr, ok := errors.AsType[*openapi3.SchemaError](e); ok {
			field, problem := schemaProblem(schemaErr)
			out = append(out, fieldProblem{joinPath(p.Name, field), problem})
			continue
		}
		out = append(out, fieldProblem{p.Name, "is invalid: " + e.Error()})
	}
	return out
}

// rawParameter returns the text the client sent for p.
func rawParameter(p *openapi3.Parameter, input *openapi3filter.RequestValidationInput) string {
	switch p.In {
	case openapi3.ParameterInPath:
		return input.PathParams[p.Name]
	case openapi3.ParameterInQuery:
		return input.GetQueryParams().Get(p.Name)
	case openapi3.ParameterInHeader:
		return input.Request.Header.Get(p.Name)
	}
	return ""
}

func bodyProblems(err *openapi3filter.RequestError) []fieldProblem {
	switch {
	case errors.Is(err.Err, openapi3filter.ErrInvalidRequired):
		return []fieldProblem{{"body", "is required"}}
	case strings.HasPrefix(err.Reason, "header Content-Type has unexpected value"):
		types := mediaTypes(err.RequestBody.Content)
		return []fieldProblem{{"content-type", "must be " + strings.Join(types, " or ")}}
	case err.Reason == "failed to decode request body":
		return []fieldProblem{{"body", "is not valid JSON"}}
	}
	var out []fieldProblem
	for _, e := range flatten(err.Err) {
		if schemaErr, ok := errors.AsType[*openapi3.SchemaError](e); ok {
			field, problem := schemaProblem(schemaErr)
			out = append(out, fieldProblem{cmp.Or(field, "body"), problem})
			continue
		}
		out = append(out, fieldProblem{"body", "is invalid: " + e.Error()})
	}
	if len(out) == 0 {
		out = append(out, fieldProblem{"body", "is invalid: " + err.Error()})
	}
	return out
}

func mediaTypes(content openapi3.Content) []string {
	var out []string
	for mediaType := range content {
		out = append(out, mediaType)
	}
	slices.Sort(out)
	return out
}

// schemaProblem returns the field of err as a dotted JSON path ("address.city", "" for the
// value itself) and what is wrong with it. kin-openapi's reasons name the rule but neither
// the value nor, for a pattern, what the pattern means; these say both.
func schemaProblem(err *openapi3.SchemaError) (string, string) {
	path := err.JSONPointer()
	s := err.Schema
	got := ", got " + describe(err.Value)
	switch err.SchemaField {
	case "required":
		return strings.Join(path, "."), "is required"
	case "properties":
		// kin-openapi reports an unknown property on the object that has it, by name only.
		if name, ok := unsupportedProperty(err.Reason); ok {
			return strings.Join(append(path, name), "."), "is not a known field"
		}
	case "type", "nullable":
		return strings.Join(path, "."), "must be " + typeName(s) + got
	case "enum":
		allowed := make([]string, 0, len(s.Enum))
		for _, v := range s.Enum {
			allowed = append(allowed, describe(v))
		}
		return strings.Join(path, "."), "must be one of " + strings.Join(allowed, ", ") + got
	case "pattern":
		return strings.Join(path, "."), "must match the pattern " + s.Pattern + got
	case "minLength":
		return strings.Join(path, "."), "must have at least " + count(s.MinLength, "character") + got
	case "maxLength":
		return strings.Join(path, "."), fmt.Sprintf("must have at most %s, got %d", count(*s.MaxLength, "character"), utf8.RuneCountInString(fmt.Sprint(err.Value)))
	case "minimum":
		return strings.Join(path, "."), "must be at least " + number(s.Min) + got
	case "maximum":
		return strings.Join(path, "."), "must be at most " + number(s.Max) + got
	case "minItems":
		return strings.Join(path, "."), "must have at least " + count(s.MinItems, "item")
	case "maxItems":
		return strings.Join(path, "."), "must have at most " + count(*s.MaxItems, "item")
	case "format":
		return strings.Join(path, "."), "must be a " + s.Format + got
	}
	return strings.Join(path, "."), err.Reason
}

// unsupportedProperty reads the property's name out of kin-openapi's reason, `property "x" is
// unsupported`.
func unsupportedProperty(reason string) (string, bool) {
	rest, ok := strings.CutPrefix(reason, "property ")
	if !ok {
		return "", false
	}
	quoted, ok := strings.CutSuffix(rest, " is unsupported")
	if !ok {
		return "", false
	}
	name, err := strconv.Unquote(quoted)
	return name, err == nil
}

// typeName names the JSON type of s in words, "" when s has none.
func typeName(s *openapi3.Schema) string {
	if s.Type == nil || len(*s.Type) == 0 {
		return ""
	}
	var names []string
	for _, t := range *s.Type {
		switch t {
		case openapi3.TypeString:
			names = append(names, "a string")
		case openapi3.TypeInteger:
			names = append(names, "an integer")
		case openapi3.TypeNumber:
			names = append(names, "a number")
		case openapi3.TypeBoolean:
			names = append(names, "a boolean")
		case openapi3.TypeArray:
			names = append(names, "an array")
		case openapi3.TypeObject:
			names = append(names, "an object")
		}
	}
	return strings.Join(names, " or ")
}

// count returns "1 item" or "n items".
func count(n uint64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func number(f *float64) string {
	if f == nil {
		return "?"
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// maxQuoted is how many characters of a client's value a problem repeats: enough to recognise
// it, not so many that a large value fills the response and the logs.
const maxQuoted = 40

// quote returns s quoted for a problem, cut to maxQuoted characters.
func quote(s string) string {
	if utf8.RuneCountInString(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	return strconv.Quote(string([]rune(s)[:maxQuoted])) + "..."
}

// describe shows a JSON value in a problem: strings quoted, numbers and booleans as they are,
// and only the kind of an object or an array.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return quote(v)
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	return fmt.Sprint(v)
}

func joinPath(parent, child string) string {
	if child == "" {
		return parent
	}
	return parent + "." + child
}
