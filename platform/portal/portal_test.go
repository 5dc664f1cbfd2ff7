package portal

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func shop(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/shop.yaml")
	require.NoError(t, err)
	return data
}

func render(t *testing.T) map[string]string {
	t.Helper()
	specs := []Spec{{Context: "shop", Version: "v1", Data: shop(t)}, {Context: "shop", Version: "v2", Data: shop(t)}}
	files, err := Render(specs)
	require.NoError(t, err)
	out := map[string]string{}
	for _, f := range files {
		out[f.Path] = string(f.Data)
	}
	return out
}

func TestRender(t *testing.T) {
	files := render(t)
	require.ElementsMatch(t, []string{"index.html", "shop/v1.html", "shop/v2.html", "portal.css", "favicon.svg"}, keys(files))

	page := files["shop/v1.html"]
	for _, want := range []string{
		`<link rel="stylesheet" href="../portal.css">`,
		`<section class="operation" id="place">`,
		`<span class="method method-POST">POST</span> <code class="path">/orders</code>`,
		`<section class="operation" id="cancel">`,
		`<span class="method method-DELETE">DELETE</span> <code class="path">/orders/{orderId}</code>`,
		`Cancel an order <span class="deprecated">deprecated</span>`,
		`operationId <code class="operation-id">place</code> · scopes <code>orders:write</code>`,
		`The <code>id</code> of the order.`,                      // a code span in a parameter
		`<span class="constraint">pattern ^o-[0-9]&#43;$</span>`, // a constraint
		`<code>Location</code> <span class="required">required</span>`,
		`Example <code>tea</code>: Some tea`,
		"&#34;item&#34;: &#34;tea&#34;",            // the example, as JSON
		`<span class="kind">array of Order</span>`, // a recursive schema ends
		`<span class="constraint">shown above</span>`,
		`<a href="../shop/v2.html">v2</a>`, // the other version
		`<p>Sells <code>tea</code>.</p>`,
		`&lt;script&gt;alert(1)&lt;/script&gt; is text here.`, // a spec's text is never markup
		`<title>Shop &lt;API&gt; v1</title>`,
	} {
		contains(t, page, want, "shop/v1.html")
	}

	index := files["index.html"]
	contains(t, index, `<a href="shop/v1.html#place"><span class="method method-POST">POST</span> <code>/orders</code></a> Place an order`, "index.html")
	contains(t, index, `<a href="shop/v2.html#cancel">`, "index.html")
	contains(t, index, `<link rel="stylesheet" href="portal.css">`, "index.html")
}

// TestRenderStrict keeps every page within a strict CSP: no script, no inline style or event
// handler, nothing from another origin, and the policy declared.
func TestRenderStrict(t *testing.T) {
	inline := regexp.MustCompile(`(?i)<script|<style|\sstyle=|\son[a-z]+=|javascript:|<iframe|<img|<object|<embed|<form`)
	remote := regexp.MustCompile(`(?i)(src|href)="(https?:)?//`)
	for path, content := range render(t) {
		if !strings.HasSuffix(path, ".html") {
			continue
		}
		// html/template writes the policy's quotes as &#39;.
		contains(t, content, `<meta http-equiv="Content-Security-Policy" content="`+strings.ReplaceAll(MetaCSP, "'", "&#39;")+`">`, path)
		assert.Empty(t, inline.FindAllString(content, -1), path)
		assert.Empty(t, remote.FindAllString(content, -1), path)
	}
	assert.Equal(t, MetaCSP+"; frame-ancestors 'none'", CSP)
}

func TestRenderIsReproducible(t *testing.T) {
	assert.Equal(t, render(t), render(t))
}

func TestRenderRefusesInvalidSpecs(t *testing.T) {
	_, err := Render([]Spec{
		{Context: "shop", Version: "v1", Data: []byte("openapi: [")},
		{Context: "shop", Version: "v2", Data: shop(t)},
		{Context: "shop", Version: "v3", Data: []byte("openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\n")},
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "portal: shop v1: openapi: parse: ")
	assert.Contains(t, err.Error(), "\nshop v3: openapi: version \"3.1.0\": want 3.0.x")
	assert.NotContains(t, err.Error(), "shop v2")
}

func TestWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "portal")
	files, err := Write(dir, []Spec{{Context: "shop", Version: "v1", Data: shop(t)}})
	require.NoError(t, err)
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		require.NoError(t, err)
		assert.Equal(t, f.Data, data, f.Path)
	}
	_, err = Write("/dev/null/portal", []Spec{{Context: "shop", Version: "v1", Data: shop(t)}})
	assert.ErrorContains(t, err, "portal: mkdir /dev/null")
}

// contains reports a missing piece of a page without printing the whole page.
func contains(t *testing.T, page, want, name string) {
	t.Helper()
	if !strings.Contains(page, want) {
		t.Errorf("%s has no %s", name, want)
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
