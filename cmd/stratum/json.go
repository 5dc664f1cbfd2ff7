package main

import (
	"encoding/json"
	"io"
)

// writeJSON writes v on one line: the workflows read it into a job output.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
