// Package docs_test holds the checks on the repository's Markdown: Go snippets quote Example
// tests that compile and run, and links stay inside the repository.
package docs_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// root is the repository root, seen from this package's directory.
const root = ".."

// markdownFiles returns every Markdown file of the repository, relative to root, except
// those of directories git ignores for tools and local state.
func markdownFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") && d.Name() != ".github" ||
			d.Name() == "bin" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.EqualFold(filepath.Ext(path), ".md") {
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(files, "README.md") {
		t.Fatalf("found %v, no README.md: the walk is not looking at the repository", files)
	}
	return files
}

// block is a fenced code block.
type block struct {
	line int      // line number of the opening fence, from 1
	info []string // the words of the info string: the language, then attributes
	body string   // the lines between the fences, without the fence's indentation
}

// attribute returns the value of the info string's attribute key=value, or "".
func (b block) attribute(key string) string {
	for _, word := range b.info[min(1, len(b.info)):] {
		if v, ok := strings.CutPrefix(word, key+"="); ok {
			return v
		}
	}
	return ""
}

// document is a Markdown file split into its fenced code blocks and its prose lines (with
// the lines inside code blocks blanked, so that line numbers still match).
type document struct {
	path   string
	blocks []block
	prose  []string
}

func readDocument(t *testing.T, rel string) document {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	doc := document{path: rel}
	var open *block
	var fence string
	var indent int
	var body []string
	for i, line := range strings.Split(string(b), "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if open == nil {
			if marker := fenceMarker(trimmed); marker != "" {
				open = &block{line: i + 1, info: strings.Fields(strings.TrimLeft(trimmed, marker[:1]))}
				fence, indent, body = marker, len(line)-len(trimmed), nil
				doc.prose = append(doc.prose, "")
				continue
			}
			doc.prose = append(doc.prose, line)
			continue
		}
		doc.prose = append(doc.prose, "")
		if strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == "" {
			open.body = strings.Join(body, "\n")
			doc.blocks = append(doc.blocks, *open)
			open = nil
			continue
		}
		// A line indented less than the fence keeps what it has: CommonMark removes at most
		// the fence's indentation.
		body = append(body, line[min(indent, len(line)-len(strings.TrimLeft(line, " "))):])
	}
	if open != nil {
		t.Errorf("%s:%d: the code block is never closed", rel, open.line)
	}
	return doc
}

// fenceMarker returns the opening fence a line starts with (three or more backticks or
// tildes), or "".
func fenceMarker(trimmed string) string {
	for _, c := range []string{"`", "~"} {
		n := len(trimmed) - len(strings.TrimLeft(trimmed, c))
		if n >= 3 {
			return strings.Repeat(c, n)
		}
	}
	return ""
}
