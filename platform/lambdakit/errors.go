package lambdakit

import (
	"errors"
	"maps"
	"slices"
	"strings"
)

// Sentinel errors that handlers and their domain code wrap to say what went wrong, whatever
// the trigger; api.ErrorResponse turns them into HTTP statuses. They live here rather than
// in package api so that code shared by an API and a queue consumer need not speak HTTP.
// Wrap them with text meant for the client, such as
// fmt.Errorf("account %q: %w", id, ErrNotFound), because that text becomes the detail of
// the problem response.
var (
	ErrNotFound  = errors.New("not found")
	ErrConflict  = errors.New("conflict")
	ErrForbidden = errors.New("forbidden")
)

// ValidationError reports every invalid field of an input at once, so that a client can
// fix them all in one round trip. api.ErrorResponse answers it with 400 and the fields.
type ValidationError struct {
	// Fields maps a field name (a JSON name or path, or "body" for the input as a whole)
	// to what is wrong with it.
	Fields map[string]string
}

// Error lists the fields in name order, so that the text is the same on every run.
func (e *ValidationError) Error() string {
	if len(e.Fields) == 0 {
		return "invalid input"
	}
	var b strings.Builder
	for i, name := range slices.Sorted(maps.Keys(e.Fields)) {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(name)
		b.WriteString(": ")
		b.WriteString(e.Fields[name])
	}
	return b.String()
}
