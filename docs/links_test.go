package docs_test

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestLinksStayInTheRepository fails when a Markdown file links to a path outside the
// repository (a reader of the repository has only the repository), to a file that does not
// exist, or to a heading that is not there. Web links (with a scheme) are not checked.
func TestLinksStayInTheRepository(t *testing.T) {
	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, rel := range markdownFiles(t) {
		doc := readDocument(t, rel)
		for i, line := range doc.prose {
			for _, target := range links(line) {
				checked++
				if problem := checkLink(abs, rel, target); problem != "" {
					t.Errorf("%s:%d: link %q %s", rel, i+1, target, problem)
				}
			}
		}
	}
	if checked < 5 {
		t.Errorf("only %d links found: the check is not reading the Markdown", checked)
	}
}

// links returns the targets of the inline links, images, reference definitions and HTML
// href and src attributes on a line of prose, code spans left out.
func links(line string) []string {
	line = regexp.MustCompile("(`+)[^`]*?`+").ReplaceAllString(line, "")
	var out []string
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)`),
		regexp.MustCompile(`^\s*\[[^\]]+\]:\s*<?([^\s>]+)>?`),
		regexp.MustCompile(`(?:href|src)\s*=\s*"([^"]+)"`),
	} {
		for _, m := range re.FindAllStringSubmatch(line, -1) {
			out = append(out, m[1])
		}
	}
	return out
}

// checkLink returns what is wrong with a link from the Markdown file rel (relative to the
// repository root abs), or "".
func checkLink(abs, rel, target string) string {
	u, err := url.Parse(target)
	if err != nil {
		return "does not parse: " + err.Error()
	}
	if u.Scheme == "file" {
		return "is a file URL: link to a path inside the repository instead"
	}
	if u.Scheme != "" || u.Host != "" {
		return ""
	}
	if strings.HasPrefix(u.Path, "/") {
		return "is absolute: write it relative to the file that links"
	}
	file := filepath.Join(abs, filepath.FromSlash(rel))
	if u.Path != "" {
		file = filepath.Join(abs, filepath.Dir(filepath.FromSlash(rel)), filepath.FromSlash(u.Path))
		inside, err := filepath.Rel(abs, file)
		if err != nil || inside == ".." || strings.HasPrefix(inside, ".."+string(filepath.Separator)) {
			return "leads outside the repository, which a reader of the repository does not have"
		}
		if _, err := os.Stat(file); err != nil {
			return "leads to a path that does not exist"
		}
	}
	if u.Fragment == "" || !strings.EqualFold(filepath.Ext(file), ".md") {
		return ""
	}
	if !hasHeading(file, u.Fragment) {
		return "names a heading the file does not have"
	}
	return ""
}

// hasHeading reports whether the Markdown file has a heading whose GitHub anchor is anchor.
func hasHeading(file, anchor string) bool {
	b, err := os.ReadFile(file)
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n") {
		text, ok := strings.CutPrefix(strings.TrimLeft(line, "#"), " ")
		if !ok || !strings.HasPrefix(line, "#") {
			continue
		}
		if slug(text) == anchor {
			return true
		}
	}
	return false
}

// slug is GitHub's anchor of a heading: lower case, punctuation other than hyphens and
// underscores dropped, spaces as hyphens.
func slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestLinkParsing(t *testing.T) {
	for line, want := range map[string][]string{
		"see [a](x.md) and ![b](img/b.png \"title\")":   {"x.md", "img/b.png"},
		"[`code` text](docs/design.md#golden-files)":    {"docs/design.md#golden-files"},
		"`[not a link](../x)` outside code [y](<y.md>)": {"y.md"},
		"[ref]: ../outside.md":                          {"../outside.md"},
		`<a href="../x">x</a> <img src="a.png">`:        {"../x", "a.png"},
		"no links here":                                 nil,
	} {
		if got := links(line); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("links(%q) = %q, want %q", line, got, want)
		}
	}
	for heading, want := range map[string]string{
		"10. Where the code departs from the original design": "10-where-the-code-departs-from-the-original-design",
		"The `stratum` command":                               "the-stratum-command",
		"Adding a bounded context (the accounts context)":     "adding-a-bounded-context-the-accounts-context",
	} {
		if got := slug(heading); got != want {
			t.Errorf("slug(%q) = %q, want %q", heading, got, want)
		}
	}
}

// TestNoPathLeavesTheRepository fails when a Markdown file names a relative path with ../
// anywhere but in a link target (which TestLinksStayInTheRepository resolves and checks): in
// prose, a code span or a code block such a path means the reader's own checkout, and one
// like ../shared leads outside the repository, which a reader of the repository does not have.
func TestNoPathLeavesTheRepository(t *testing.T) {
	target := regexp.MustCompile(`\]\(\s*<?[^)\s>]+>?(?:\s+"[^"]*")?\s*\)|^\s*\[[^\]]+\]:\s*\S+|(?:href|src)\s*=\s*"[^"]+"`)
	for _, rel := range markdownFiles(t) {
		b, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if strings.Contains(target.ReplaceAllString(line, ""), "../") {
				t.Errorf("%s:%d: names a path with ../ outside a link: %s", rel, i+1, strings.TrimSpace(line))
			}
		}
	}
}
