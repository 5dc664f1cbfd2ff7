package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/apidiff"
)

// spec is a small API with one bounded query parameter.
const spec = `openapi: 3.0.3
info: {title: Orders, version: 1.0.0}
paths:
  /orders:
    get:
      operationId: list
      parameters:
        - name: limit
          in: query
          schema: {type: integer, minimum: 1, maximum: 100}
      responses:
        '200': {description: A page.}
`

// specRepo returns a git repository whose main branch has stacks/orders/api/v1.yaml, checked
// out on a branch.
func specRepo(t *testing.T) string {
	dir := t.TempDir()
	git := func(args ...string) {
		out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
		require.NoError(t, err, "git %s: %s", strings.Join(args, " "), out)
	}
	git("init", "-q", "-b", "main")
	git("config", "user.email", "test@example.com")
	git("config", "user.name", "test")
	writeSpec(t, dir, "v1.yaml", spec)
	git("add", "-A")
	git("commit", "-q", "-m", "base")
	git("checkout", "-q", "-b", "change")
	return dir
}

func writeSpec(t *testing.T, root, name, content string) {
	path := filepath.Join(root, "stacks", "orders", "api", name)
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

func TestAPIDiffCommand(t *testing.T) {
	root := specRepo(t)

	// An addition and a new major version pass.
	writeSpec(t, root, "v1.yaml", strings.Replace(spec, "maximum: 100", "maximum: 500", 1))
	writeSpec(t, root, "v2.yaml", spec)
	var out bytes.Buffer
	require.NoError(t, apiDiffCommand(root, []string{"--base", "main"}, &out, io.Discard))
	assert.Equal(t, "API specs compared with main (where this branch left it):\n"+
		"  stacks/orders/api/v1.yaml: compatible (0 breaking, 0 warnings, 1 compatible changes)\n"+
		"  stacks/orders/api/v2.yaml: new, nothing to break\n", out.String())

	// A narrowing fails, with oasdiff's message.
	writeSpec(t, root, "v1.yaml", strings.Replace(spec, "maximum: 100", "maximum: 10", 1))
	out.Reset()
	err := apiDiffCommand(root, []string{"--base", "main"}, &out, io.Discard)
	require.ErrorIs(t, err, apidiff.ErrBreaking)
	assert.EqualError(t, err, "api-diff: stacks/orders/api/v1.yaml (1): breaking changes to a major version of an API; "+
		"publish an incompatible change as a new major version (v<N+1>.yaml) beside the old one")
	assert.Contains(t, out.String(), "  stacks/orders/api/v1.yaml: BREAKING (1 breaking, 0 warnings, 1 compatible changes)\n"+
		"    error at stacks/orders/api/v1.yaml, in API GET /orders for the `query` request parameter `limit`, the max was decreased from `100.00` to `10.00` [request-parameter-max-decreased].\n")
}

func TestAPIDiffAndPortalUsage(t *testing.T) {
	for args, want := range map[string]string{
		"api-diff":                "api-diff: --base is required",
		"api-diff --base":         "flag needs an argument: -base",
		"api-diff --base nowhere": "api-diff: git merge-base nowhere HEAD: ",
		"portal":                  "portal: --out is required",
	} {
		err := run(strings.Fields(args), io.Discard, io.Discard)
		assert.ErrorContains(t, err, want, args)
	}
}

func TestPortalCommand(t *testing.T) {
	root := specRepo(t)
	out := filepath.Join(t.TempDir(), "site")
	var stdout bytes.Buffer
	require.NoError(t, portalCommand(root, []string{"--out", out}, &stdout, io.Discard))
	assert.Equal(t, "portal: 4 files, a page for each of 1 specs and an index, in "+out+"; open "+filepath.Join(out, "index.html")+"\n", stdout.String())
	page, err := os.ReadFile(filepath.Join(out, "orders", "v1.html"))
	require.NoError(t, err)
	assert.Contains(t, string(page), `<section class="operation" id="list">`)

	empty := t.TempDir()
	assert.EqualError(t, portalCommand(empty, []string{"--out", out}, io.Discard, io.Discard),
		"portal: no API spec (stacks/<context>/api/v<N>.yaml)")
}
