package runtime

import (
	"errors"
	"maps"
	"slices"
	"strings"
)

// Sentinel errors that handlers wrap to say what went wrong; ErrorResponse turns them into
// HTTP statuses. Wrap them with text meant for the client, such as
// fmt.Errorf("account %q: %w", id, ErrNotFound), because that text becomes the detail of
// the problem response.
var (
	ErrNotFound  = errors.New("not found")
	ErrConflict  = errors.New("conflict")
	ErrForbidden = errors.New("forbidden")
)

// ValidationError reports every invalid field of an input at once, so that a client can
// fix them all in one round trip. ErrorResponse answers it with 400 and the fields.
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

// invalid returns a ValidationError for one field.
func invalid(field, problem string) *ValidationError {
	return &ValidationError{Fields: map[string]string{field: problem}}
}
