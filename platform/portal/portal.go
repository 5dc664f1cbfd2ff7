// Package portal builds the developer portal: a static site with one page per context and
// major version of every API, rendered from its OpenAPI spec, and an index. Each page lists
// every operation with its method, path, summary, scopes, parameters, request and response
// schemas, headers and examples.
//
// The site is plain HTML and one style sheet, built with html/template: no script, no inline
// style, nothing fetched from another origin, at build time or when it is viewed. Every page
// declares MetaCSP, so it holds under the strict policy that CSP names for the host to send.
package portal

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/lambdakit/openapi"
)

// MetaCSP is the Content-Security-Policy every page declares in a meta element: nothing but
// the portal's own style sheet.
const MetaCSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'"

// CSP is the policy the portal's host should send as a header (a CloudFront response headers
// policy): MetaCSP, and no framing, which only a header can forbid.
const CSP = MetaCSP + "; frame-ancestors 'none'"

// StyleSheet is the portal's one style sheet, at the root of the site.
const StyleSheet = "portal.css"

// Icon is the portal's icon, at the root of the site; naming it keeps browsers from asking
// for a /favicon.ico that the site does not have.
const Icon = "favicon.svg"

// assets are the templates and the style sheet.
//
//go:embed assets
var assets embed.FS

// Spec is one major version of a context's API.
type Spec struct {
	// Context is the bounded context ("inventory").
	Context string
	// Version is the major version ("v2").
	Version string
	// Data is the OpenAPI document.
	Data []byte
}

// File is one file of the built portal.
type File struct {
	// Path is slash-separated, from the portal's root ("inventory/v2.html").
	Path string
	Data []byte
}

// Render returns every file of the portal of specs: index.html, <context>/<version>.html, the
// style sheet and the icon. Specs appear in the order given. It fails, naming every spec that does not
// load, when one is not a valid spec.
func Render(specs []Spec) ([]File, error) {
	funcs := template.FuncMap{"paragraphs": paragraphs, "inline": inline}
	tmpl, err := template.New("portal").Funcs(funcs).ParseFS(assets, "assets/*.html")
	if err != nil {
		return nil, fmt.Errorf("portal: templates: %w", err)
	}
	var pages []pageView
	var problems []string
	for _, s := range specs {
		spec, err := openapi.Load(s.Data)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s %s: %v", s.Context, s.Version, err))
			continue
		}
		pages = append(pages, viewPage(s.Context, s.Version, spec))
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("portal: %s", strings.Join(problems, "\n"))
	}
	linkVersions(pages)

	var files []File
	render := func(path, name string, data any) error {
		var b bytes.Buffer
		if err := tmpl.ExecuteTemplate(&b, name, data); err != nil {
			return fmt.Errorf("portal: %s: %w", path, err)
		}
		files = append(files, File{Path: path, Data: b.Bytes()})
		return nil
	}
	if err := render("index.html", "index.html", indexData{common: common{CSP: MetaCSP, Title: "APIs", Root: ""}, Contexts: byContext(pages)}); err != nil {
		return nil, err
	}
	for _, p := range pages {
		data := pageData{common: common{CSP: MetaCSP, Title: p.Title + " " + p.Version, Root: "../"}, Page: p}
		if err := render(p.File, "page.html", data); err != nil {
			return nil, err
		}
	}
	for _, name := range []string{StyleSheet, Icon} {
		data, err := assets.ReadFile("assets/" + name)
		if err != nil {
			return nil, fmt.Errorf("portal: %w", err)
		}
		files = append(files, File{Path: name, Data: data})
	}
	return files, nil
}

// Write renders the portal of specs into dir, which it creates; files already there are
// replaced or left alone.
func Write(dir string, specs []Spec) ([]File, error) {
	files, err := Render(specs)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		path := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("portal: %w", err)
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			return nil, fmt.Errorf("portal: %w", err)
		}
	}
	return files, nil
}

// common is what every page's head needs.
type common struct {
	CSP, Title string
	// Root is the way from the page to the portal's root ("../").
	Root string
}

type indexData struct {
	common
	Contexts []contextView
}

type pageData struct {
	common
	Page pageView
}

type contextView struct {
	Name  string
	Pages []pageView
}

// byContext groups pages by context, keeping their order.
func byContext(pages []pageView) []contextView {
	var out []contextView
	for _, p := range pages {
		i := slices.IndexFunc(out, func(c contextView) bool { return c.Name == p.Context })
		if i < 0 {
			out = append(out, contextView{Name: p.Context})
			i = len(out) - 1
		}
		out[i].Pages = append(out[i].Pages, p)
	}
	return out
}

// linkVersions gives each page links to the other versions of its context.
func linkVersions(pages []pageView) {
	for i := range pages {
		for _, other := range pages {
			if other.Context == pages[i].Context && other.Version != pages[i].Version {
				pages[i].Others = append(pages[i].Others, versionLink{Version: other.Version, File: other.File})
			}
		}
	}
}
