package function

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// module writes a Go module whose handler h imports its package lib, and returns its root.
func module(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	write(t, root, "go.mod", "module example.com/m\n\ngo 1.26\n")
	write(t, root, "lib/lib.go", "package lib\n\nconst Greeting = \"hello\"\n")
	write(t, root, "lib/lib_test.go", "package lib\n")
	write(t, root, "other/other.go", "package other\n")
	write(t, root, "h/main.go", "package main\n\nimport (\n\t\"os\"\n\n\t\"example.com/m/lib\"\n)\n\n"+
		"func main() {\n\tif lib.Greeting == \"\" {\n\t\tos.Exit(1)\n\t}\n}\n")
	return root
}

func write(t *testing.T, root, rel, content string) {
	t.Helper()
	path := filepath.Join(root, filepath.FromSlash(rel))
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

// counting is a Builder whose compiler counts its builds and writes a fake executable that,
// like a real one, changes exactly when the inputs do.
type counting struct {
	*Builder
	builds atomic.Int32
}

func newCounting(t *testing.T, cache string) *counting {
	t.Helper()
	c := &counting{Builder: NewBuilder(BuilderOptions{Dir: cache})}
	c.compile = func(dir, out string) error {
		c.builds.Add(1)
		key, err := c.key(dir)
		if err != nil {
			return err
		}
		return os.WriteFile(out, []byte("executable of "+key), 0o755)
	}
	return c
}

func (c *counting) build(t *testing.T, dir string) Package {
	t.Helper()
	pkg, err := c.Build(dir)
	require.NoError(t, err)
	return pkg
}

func TestCacheServesAnUnchangedHandler(t *testing.T) {
	root, cache := module(t), t.TempDir()
	first := newCounting(t, cache).build(t, filepath.Join(root, "h"))

	// Another Builder on the same directory stands for the next run.
	next := newCounting(t, cache)
	assert.Equal(t, first, next.build(t, filepath.Join(root, "h")))
	assert.Zero(t, next.builds.Load())

	// Neither a package the handler does not import nor a test is an input.
	write(t, root, "other/other.go", "package other\n\nconst X = 1\n")
	write(t, root, "lib/lib_test.go", "package lib\n\nconst Y = 2\n")
	assert.Equal(t, first, next.build(t, filepath.Join(root, "h")))
	assert.Zero(t, next.builds.Load())
}

func TestCacheRebuildsWhenAnInputChanges(t *testing.T) {
	for name, change := range map[string]func(t *testing.T, root string, b *counting){
		"the handler": func(t *testing.T, root string, _ *counting) {
			write(t, root, "h/main.go", "package main\n\nfunc main() {}\n")
		},
		"a local dependency": func(t *testing.T, root string, _ *counting) {
			write(t, root, "lib/lib.go", "package lib\n\nconst Greeting = \"hi\"\n")
		},
		"a new file in a dependency": func(t *testing.T, root string, _ *counting) {
			write(t, root, "lib/extra_linux.go", "package lib\n")
		},
		"a non-Go file in a dependency": func(t *testing.T, root string, _ *counting) {
			write(t, root, "lib/data.txt", "x")
		},
		"go.sum": func(t *testing.T, root string, _ *counting) {
			write(t, root, "go.sum", "example.com/x v1.0.0 h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")
		},
		"go.mod": func(t *testing.T, root string, _ *counting) {
			write(t, root, "go.mod", "module example.com/m\n\ngo 1.26.0\n")
		},
		"the Go toolchain": func(t *testing.T, root string, b *counting) {
			tc, err := b.toolchain(root)
			require.NoError(t, err)
			tc.version = "go1.0"
			b.toolchains[root] = tc
		},
	} {
		t.Run(name, func(t *testing.T) {
			root, cache := module(t), t.TempDir()
			first := newCounting(t, cache).build(t, filepath.Join(root, "h"))

			next := newCounting(t, cache)
			change(t, root, next)
			again := next.build(t, filepath.Join(root, "h"))
			assert.Equal(t, int32(1), next.builds.Load())
			assert.NotEqual(t, first, again)

			// The new build is cached in turn.
			assert.Equal(t, again, next.build(t, filepath.Join(root, "h")))
			assert.Equal(t, int32(1), next.builds.Load())
		})
	}
}

// A file that //go:embed may name can be anywhere below the package directory.
func TestCacheFollowsEmbeddedFiles(t *testing.T) {
	root, cache := module(t), t.TempDir()
	write(t, root, "lib/embed.go", "package lib\n\nimport _ \"embed\"\n\n//go:embed static/page.html\nvar Page string\n")
	write(t, root, "lib/static/page.html", "<p>one</p>")
	b := newCounting(t, cache)
	b.build(t, filepath.Join(root, "h"))
	write(t, root, "lib/static/page.html", "<p>two</p>")
	b.build(t, filepath.Join(root, "h"))
	assert.Equal(t, int32(2), b.builds.Load())
}

func TestCacheIsNotUsedForCodeOutsideTheKey(t *testing.T) {
	for name, setup := range map[string]func(t *testing.T, root string){
		"a replace by a local directory": func(t *testing.T, root string) {
			write(t, root, "go.mod", "module example.com/m\n\ngo 1.26\n\nreplace example.com/x => ../x\n")
		},
		"a vendor directory": func(t *testing.T, root string) { write(t, root, "vendor/modules.txt", "") },
		"a nested module":    func(t *testing.T, root string) { write(t, root, "lib/go.mod", "module example.com/m/lib\n") },
		"a file that does not parse": func(t *testing.T, root string) {
			write(t, root, "lib/broken.go", "package lib\n\nimport (\n")
		},
	} {
		t.Run(name, func(t *testing.T) {
			root := module(t)
			setup(t, root)
			b := newCounting(t, t.TempDir())
			b.build(t, filepath.Join(root, "h"))
			b.build(t, filepath.Join(root, "h"))
			assert.Equal(t, int32(2), b.builds.Load())
		})
	}
}

func TestCacheRebuildsAnEntryItCannotVerify(t *testing.T) {
	otherZip, err := zipOf("notbootstrap", []byte("x"))
	require.NoError(t, err)
	for name, spoil := range map[string]func(t *testing.T, cache, key string, pkg Package){
		"zip missing": func(t *testing.T, _, _ string, pkg Package) { require.NoError(t, os.Remove(pkg.Path)) },
		"zip changed": func(t *testing.T, _, _ string, pkg Package) {
			require.NoError(t, os.WriteFile(pkg.Path, []byte("PK not the zip it was"), 0o644))
		},
		"zip truncated": func(t *testing.T, _, _ string, pkg Package) {
			require.NoError(t, os.Truncate(pkg.Path, 10))
		},
		"foreign zip without bootstrap": func(t *testing.T, cache, key string, _ Package) {
			sum := sha256.Sum256(otherZip)
			require.NoError(t, os.WriteFile(zipPath(cache, hex.EncodeToString(sum[:])), otherZip, 0o644))
			require.NoError(t, os.WriteFile(filepath.Join(cache, indexDir, key), []byte(hex.EncodeToString(sum[:])), 0o644))
		},
		"index garbage": func(t *testing.T, cache, key string, _ Package) {
			require.NoError(t, os.WriteFile(filepath.Join(cache, indexDir, key), []byte("../../etc/passwd"), 0o644))
		},
		"index empty": func(t *testing.T, cache, key string, _ Package) {
			require.NoError(t, os.WriteFile(filepath.Join(cache, indexDir, key), nil, 0o644))
		},
	} {
		t.Run(name, func(t *testing.T) {
			root, cache := module(t), t.TempDir()
			b := newCounting(t, cache)
			first := b.build(t, filepath.Join(root, "h"))
			key, err := b.key(filepath.Join(root, "h"))
			require.NoError(t, err)
			require.NotEmpty(t, key)

			spoil(t, cache, key, first)
			again := b.build(t, filepath.Join(root, "h"))
			assert.Equal(t, int32(2), b.builds.Load())
			data, err := os.ReadFile(again.Path)
			require.NoError(t, err)
			assert.Equal(t, sourceCodeHash(data), again.Hash)
			require.NoError(t, hasBootstrap(data))

			// The repaired entry serves the next run.
			next := newCounting(t, cache)
			assert.Equal(t, again, next.build(t, filepath.Join(root, "h")))
			assert.Zero(t, next.builds.Load())
		})
	}
}

func zipOf(name string, content []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(content); err != nil {
		return nil, err
	}
	err = zw.Close()
	return buf.Bytes(), err
}

func TestCacheKeepsNoFailedBuild(t *testing.T) {
	root := module(t)
	b := newCounting(t, t.TempDir())
	b.compile = func(string, string) error {
		b.builds.Add(1)
		return errors.New("exit status 1")
	}
	for range 2 {
		_, err := b.Build(filepath.Join(root, "h"))
		require.EqualError(t, err, "build "+filepath.Join(root, "h")+": exit status 1")
	}
	assert.Equal(t, int32(2), b.builds.Load())
}

// A source edited while its handler builds may or may not be in the binary, so that build
// is not recorded under either version of the source.
func TestCacheKeepsNoBuildWhoseSourcesChangedMeanwhile(t *testing.T) {
	root := module(t)
	b := newCounting(t, t.TempDir())
	compile := b.compile
	b.compile = func(dir, out string) error {
		if b.builds.Load() == 0 {
			write(t, root, "lib/lib.go", "package lib\n\nconst Greeting = \"edited\"\n")
		}
		return compile(dir, out)
	}
	b.build(t, filepath.Join(root, "h"))
	b.build(t, filepath.Join(root, "h"))
	b.build(t, filepath.Join(root, "h"))
	assert.Equal(t, int32(2), b.builds.Load())
}

func TestBuilderBoundsParallelBuilds(t *testing.T) {
	root := module(t)
	b := NewBuilder(BuilderOptions{Dir: t.TempDir(), Parallel: 2})
	var mu sync.Mutex
	running, most := 0, 0
	b.compile = func(dir, out string) error {
		mu.Lock()
		running++
		most = max(most, running)
		mu.Unlock()
		time.Sleep(20 * time.Millisecond)
		mu.Lock()
		running--
		mu.Unlock()
		return os.WriteFile(out, []byte(dir), 0o755)
	}
	var wg sync.WaitGroup
	for i := range 6 {
		write(t, root, fmt.Sprintf("h%d/main.go", i), "package main\n\nfunc main() {}\n")
		wg.Go(func() {
			_, err := b.Build(filepath.Join(root, fmt.Sprintf("h%d", i)))
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.LessOrEqual(t, most, 2)
}

// A package served from the cache is the package a fresh build makes, byte for byte.
func TestCachedPackageIsAFreshBuild(t *testing.T) {
	var builds atomic.Int32
	counted := func(dir, out string) error {
		builds.Add(1)
		return goBuild(dir, out)
	}
	cache := t.TempDir()
	b := NewBuilder(BuilderOptions{Dir: cache})
	b.compile = counted
	built, err := b.Build("testdata/hello")
	require.NoError(t, err)
	next := NewBuilder(BuilderOptions{Dir: cache})
	next.compile = counted
	cached, err := next.Build("testdata/hello")
	require.NoError(t, err)
	require.Equal(t, int32(1), builds.Load())
	assert.Equal(t, built, cached)

	fresh := NewBuilder(BuilderOptions{Dir: t.TempDir()})
	fresh.compile = counted
	rebuilt, err := fresh.Build("testdata/hello")
	require.NoError(t, err)
	require.Equal(t, int32(2), builds.Load())
	cachedZip, err := os.ReadFile(cached.Path)
	require.NoError(t, err)
	freshZip, err := os.ReadFile(rebuilt.Path)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(cachedZip, freshZip), "the cached zip differs from a fresh build")
	assert.Equal(t, cached.Hash, rebuilt.Hash)
	assert.Equal(t, filepath.Base(cached.Path), filepath.Base(rebuilt.Path))
	assert.True(t, strings.HasPrefix(cached.Path, cache))
}
