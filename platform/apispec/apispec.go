// Package apispec knows where the APIs' OpenAPI contracts live in the repository: one file per
// context and major version, stacks/<context>/api/v<N>.yaml, next to the small Go package that
// embeds them for the context's handlers. The breaking-change gate (platform/apidiff) and the
// developer portal (platform/portal) find them here.
package apispec

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// File is one spec in the repository.
type File struct {
	// Path is slash-separated, from the repository's root: "stacks/inventory/api/v2.yaml".
	Path string
	// Context is the bounded context whose API it is: "inventory".
	Context string
	// Version is the major version, from the file name: "v2".
	Version string
	// Major is the major version as a number: 2.
	Major int
}

// Parse returns the File at rel, a slash-separated path from the repository's root, and
// whether rel is a spec's path at all.
func Parse(rel string) (File, bool) {
	parts := strings.Split(rel, "/")
	if len(parts) != 4 || parts[0] != "stacks" || parts[1] == "" || parts[2] != "api" {
		return File{}, false
	}
	version, ok := strings.CutSuffix(parts[3], ".yaml")
	digits, ok2 := strings.CutPrefix(version, "v")
	if !ok || !ok2 || digits == "" || digits[0] == '0' || strings.Trim(digits, "0123456789") != "" {
		return File{}, false
	}
	major, err := strconv.Atoi(digits)
	if err != nil {
		return File{}, false
	}
	return File{Path: rel, Context: parts[1], Version: version, Major: major}, true
}

// Find returns the specs in the working tree of the repository at root, by context and
// major version.
func Find(root string) ([]File, error) {
	matches, err := filepath.Glob(filepath.Join(root, "stacks", "*", "api", "v*.yaml"))
	if err != nil {
		return nil, fmt.Errorf("api specs: %w", err)
	}
	var out []File
	for _, m := range matches {
		rel, err := filepath.Rel(root, m)
		if err != nil {
			return nil, fmt.Errorf("api specs: %w", err)
		}
		if f, ok := Parse(filepath.ToSlash(rel)); ok {
			out = append(out, f)
		}
	}
	Sort(out)
	return out, nil
}

// Sort orders files by context, then major version (v2 before v10).
func Sort(files []File) {
	slices.SortFunc(files, func(a, b File) int {
		if c := strings.Compare(a.Context, b.Context); c != 0 {
			return c
		}
		return a.Major - b.Major
	})
}
