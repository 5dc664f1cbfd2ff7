package portal

import (
	"html"
	"html/template"
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/stratum-platform/stratum/platform/lambdakit/openapi"
)

// pageView is one context and version of an API, as its page shows it.
type pageView struct {
	Context, Version string
	// File is the page's path in the portal ("inventory/v2.html").
	File        string
	Title       string
	APIVersion  string
	Description string
	Schemes     []schemeView
	Operations  []operationView
	// Others are the other versions of the same context, for links between them.
	Others []versionLink
}

type versionLink struct {
	Version, File string
}

type schemeView struct {
	Name, Type  string
	Description string
	Flows       []flowView
}

type flowView struct {
	Name, AuthorizationURL, TokenURL string
	Scopes                           []scopeView
}

type scopeView struct {
	Name, Description string
}

type operationView struct {
	ID, Method, Path, Summary string
	Description               string
	Deprecated, Public        bool
	Scopes                    []string
	Parameters                []parameterView
	Body                      *bodyView
	Responses                 []responseView
}

type parameterView struct {
	Name, In, Description string
	Required              bool
	Schema                *schemaView
	Examples              []exampleView
}

type bodyView struct {
	Required    bool
	Description string
	Media       []mediaView
}

type responseView struct {
	Status      string
	Description string
	Headers     []headerView
	Media       []mediaView
}

type headerView struct {
	Name, Description string
	Required          bool
	Schema            *schemaView
}

type mediaView struct {
	Type     string
	Schema   *schemaView
	Examples []exampleView
}

type exampleView struct {
	Name, Summary, JSON string
}

// viewPage returns the page of one spec.
func viewPage(context, version string, spec *openapi.Spec) pageView {
	doc := spec.Document()
	p := pageView{
		Context:     context,
		Version:     version,
		File:        pageFile(context, version),
		Title:       doc.Info.Title,
		APIVersion:  doc.Info.Version,
		Description: doc.Info.Description,
	}
	if doc.Components != nil {
		for _, name := range slices.Sorted(maps.Keys(doc.Components.SecuritySchemes)) {
			if ref := doc.Components.SecuritySchemes[name]; ref != nil && ref.Value != nil {
				p.Schemes = append(p.Schemes, viewScheme(name, ref.Value))
			}
		}
	}
	for _, op := range spec.Operations() {
		p.Operations = append(p.Operations, viewOperation(doc, op))
	}
	return p
}

// pageFile is where the page of a context's version is, from the portal's root.
func pageFile(context, version string) string {
	return context + "/" + version + ".html"
}

func viewScheme(name string, s *openapi3.SecurityScheme) schemeView {
	v := schemeView{Name: name, Type: s.Type, Description: s.Description}
	if s.Flows == nil {
		return v
	}
	for _, f := range []struct {
		name string
		flow *openapi3.OAuthFlow
	}{
		{"authorization code", s.Flows.AuthorizationCode},
		{"client credentials", s.Flows.ClientCredentials},
		{"implicit", s.Flows.Implicit},
		{"password", s.Flows.Password},
	} {
		if f.flow == nil {
			continue
		}
		fv := flowView{Name: f.name, AuthorizationURL: f.flow.AuthorizationURL, TokenURL: f.flow.TokenURL}
		for _, scope := range slices.Sorted(maps.Keys(f.flow.Scopes)) {
			fv.Scopes = append(fv.Scopes, scopeView{Name: scope, Description: f.flow.Scopes[scope]})
		}
		v.Flows = append(v.Flows, fv)
	}
	return v
}

func viewOperation(doc *openapi3.T, op *openapi.Operation) operationView {
	item := doc.Paths.Find(op.Path)
	o := item.GetOperation(op.Method)
	v := operationView{
		ID: op.ID, Method: op.Method, Path: op.Path, Summary: o.Summary, Description: o.Description,
		Deprecated: op.Deprecated, Public: op.Public, Scopes: op.Scopes,
	}
	params := slices.Clone(item.Parameters)
	for _, ref := range o.Parameters {
		params = slices.DeleteFunc(params, func(p *openapi3.ParameterRef) bool {
			return p.Value.In == ref.Value.In && p.Value.Name == ref.Value.Name
		})
		params = append(params, ref)
	}
	for _, ref := range params {
		p := ref.Value
		v.Parameters = append(v.Parameters, parameterView{
			Name: p.Name, In: p.In, Description: p.Description, Required: p.Required,
			Schema: viewSchema(p.Schema, 0, nil), Examples: viewExamples(p.Example, p.Examples),
		})
	}
	if ref := o.RequestBody; ref != nil && ref.Value != nil {
		v.Body = &bodyView{Required: ref.Value.Required, Description: ref.Value.Description, Media: viewContent(ref.Value.Content)}
	}
	responses := o.Responses.Map()
	for _, status := range slices.Sorted(maps.Keys(responses)) {
		r := responses[status].Value
		if r == nil {
			continue
		}
		rv := responseView{Status: status, Media: viewContent(r.Content)}
		if r.Description != nil {
			rv.Description = *r.Description
		}
		for _, name := range slices.Sorted(maps.Keys(r.Headers)) {
			h := r.Headers[name].Value
			rv.Headers = append(rv.Headers, headerView{Name: name, Description: h.Description, Required: h.Required, Schema: viewSchema(h.Schema, 0, nil)})
		}
		v.Responses = append(v.Responses, rv)
	}
	return v
}

func viewContent(content openapi3.Content) []mediaView {
	var out []mediaView
	for _, mediaType := range slices.Sorted(maps.Keys(content)) {
		mt := content[mediaType]
		out = append(out, mediaView{Type: mediaType, Schema: viewSchema(mt.Schema, 0, nil), Examples: viewExamples(mt.Example, mt.Examples)})
	}
	return out
}

func viewExamples(example any, named openapi3.Examples) []exampleView {
	var out []exampleView
	if example != nil {
		out = append(out, exampleView{JSON: jsonBlock(example)})
	}
	for _, name := range slices.Sorted(maps.Keys(named)) {
		if e := named[name].Value; e != nil {
			out = append(out, exampleView{Name: name, Summary: e.Summary, JSON: jsonBlock(e.Value)})
		}
	}
	return out
}

// paragraphs splits a description into paragraphs at blank lines, each formatted by inline.
func paragraphs(text string) []template.HTML {
	var out []template.HTML
	for _, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		if strings.TrimSpace(para) != "" {
			out = append(out, inline(para))
		}
	}
	return out
}

// inline formats a description's text: its lines joined, `code` spans set as code, and
// everything else escaped, so that a spec's text never becomes markup.
func inline(text string) template.HTML {
	text = strings.Join(strings.Fields(text), " ")
	var b strings.Builder
	for i, part := range strings.Split(text, "`") {
		if i%2 == 1 {
			b.WriteString("<code>" + html.EscapeString(part) + "</code>")
		} else {
			b.WriteString(html.EscapeString(part))
		}
	}
	return template.HTML(b.String()) // escaped text and <code> only
}
