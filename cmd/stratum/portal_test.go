package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/lambdakit/openapi"
	"github.com/stratum-platform/stratum/platform/portal"
)

// chromium returns the headless browser the portal test renders with: $CHROMIUM, or Chromium
// or Chrome on the PATH. Without one the test skips on a developer machine and fails in CI
// (CI=true), where .ci/run installs Debian's chromium.
func chromium(t *testing.T) string {
	t.Helper()
	if path := os.Getenv("CHROMIUM"); path != "" {
		return path
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("the portal test needs headless Chromium (Debian's chromium package, which .ci/run installs), and CI must run it")
	}
	t.Skip("no Chromium: install Debian's chromium package (or set CHROMIUM) to render the portal")
	return ""
}

// dumpDOM loads url in headless Chromium with every other host unreachable (a dead proxy and
// no name resolution), and returns the DOM after load and what the browser logged, console
// messages (such as CSP violations) included.
func dumpDOM(t *testing.T, browser, url string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--no-default-browser-check",
		"--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
		"--user-data-dir="+t.TempDir(), "--enable-logging=stderr", "--v=0",
		"--dump-dom", url)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "chromium: %s", stderr.String())
	return stdout.String(), stderr.String()
}

// TestPortalInChromium builds the portal of every spec with `stratum portal`, serves it on
// loopback with the strict CSP its host sends, renders each page in headless Chromium with the
// network blocked, and checks that every operation of every spec appears, that the browser
// reported nothing (a blocked style sheet or inline code would be a console message), and
// that it asked only for the portal's own files.
func TestPortalInChromium(t *testing.T) {
	browser := chromium(t)
	root, err := repoRoot()
	require.NoError(t, err)
	dir := t.TempDir()
	var out bytes.Buffer
	require.NoError(t, run([]string{"portal", "--out", dir}, &out, io.Discard))

	var mu sync.Mutex
	var requests []string
	files := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests = append(requests, r.URL.Path)
		mu.Unlock()
		w.Header().Set("Content-Security-Policy", portal.CSP)
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()

	specs, err := portal.Read(root)
	require.NoError(t, err)
	require.NotEmpty(t, specs)
	index, logs := dumpDOM(t, browser, srv.URL+"/index.html")
	assertQuiet(t, "index.html", logs)
	operations := 0
	for _, s := range specs {
		spec, err := openapi.Load(s.Data)
		require.NoError(t, err)
		page := s.Context + "/" + s.Version + ".html"
		dom, logs := dumpDOM(t, browser, srv.URL+"/"+page)
		assertQuiet(t, page, logs)
		for _, op := range spec.Operations() {
			operations++
			section := regexp.MustCompile(`(?s)<section class="operation" id="` + regexp.QuoteMeta(op.ID) + `">(.*?)</section>`).FindStringSubmatch(dom)
			if !assert.NotNil(t, section, "%s: no section of operation %q", page, op.ID) {
				continue
			}
			heading := fmt.Sprintf(`<span class="method method-%s">%s</span> <code class="path">%s</code>`, op.Method, op.Method, op.Path)
			assert.Contains(t, section[1], heading, "%s: operation %q", page, op.ID)
			link := fmt.Sprintf(`<a href="%s#%s">`, page, op.ID)
			assert.Contains(t, index, link, "index.html: no link to %s %s", page, op.ID)
		}
	}
	assert.Positive(t, operations)

	mu.Lock()
	defer mu.Unlock()
	assert.Contains(t, requests, "/"+portal.StyleSheet, "the style sheet was never loaded")
	for _, path := range requests {
		_, err := os.Stat(dir + path)
		assert.NoError(t, err, "the browser asked for %s, which the portal does not have", path)
	}
	slices.Sort(requests)
	t.Logf("requests: %s", strings.Join(slices.Compact(requests), " "))
}

// assertQuiet fails when the browser logged a console message for the page: a violation of
// the CSP, a resource that did not load, or a script error.
func assertQuiet(t *testing.T, page, logs string) {
	t.Helper()
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, ":CONSOLE") {
			t.Errorf("%s: the browser reported: %s", page, line)
		}
	}
}
