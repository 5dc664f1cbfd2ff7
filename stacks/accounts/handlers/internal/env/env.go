// Package env reads the environment variables a handler needs at cold start, so that a
// function deployed without one fails at once, naming it, rather than on its first request.
package env

import (
	"fmt"
	"strings"
)

// Reader reads required environment variables and remembers those that are missing.
type Reader struct {
	getenv  func(string) string
	missing []string
}

// New returns a Reader over getenv (os.Getenv in main).
func New(getenv func(string) string) *Reader {
	return &Reader{getenv: getenv}
}

// Get returns the value of name, and records name as missing when it is unset or empty.
func (r *Reader) Get(name string) string {
	v := r.getenv(name)
	if strings.TrimSpace(v) == "" {
		r.missing = append(r.missing, name)
	}
	return v
}

// Err returns an error naming every variable that Get found missing, or nil.
func (r *Reader) Err() error {
	if len(r.missing) == 0 {
		return nil
	}
	if len(r.missing) == 1 {
		return fmt.Errorf("missing environment variable %s", r.missing[0])
	}
	return fmt.Errorf("missing environment variables %s", strings.Join(r.missing, ", "))
}
