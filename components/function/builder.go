package function

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Builder builds deployment packages, at most a fixed number at a time, and keeps them in a
// content-addressed cache: a handler whose inputs did not change since a build is served
// from the cache after a hash of its sources, and is never compiled again. The cache
// survives across runs and processes; an entry it cannot verify is rebuilt, never trusted.
// A Builder is safe for concurrent use.
type Builder struct {
	dir     string
	slots   chan struct{}
	compile func(dir, out string) error

	mu         sync.Mutex
	toolchains map[string]toolchain
}

// BuilderOptions configures a Builder.
type BuilderOptions struct {
	// Dir holds the cache. Default: stratum/lambda in the user cache directory
	// (os.UserCacheDir), or in the temporary directory when there is none.
	Dir string
	// Parallel is how many builds may run at once. Default: GOMAXPROCS.
	Parallel int
}

// NewBuilder returns a Builder with opts.
func NewBuilder(opts BuilderOptions) *Builder {
	if opts.Dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		opts.Dir = filepath.Join(base, "stratum", "lambda")
	}
	if opts.Parallel <= 0 {
		opts.Parallel = runtime.GOMAXPROCS(0)
	}
	return &Builder{dir: opts.Dir, slots: make(chan struct{}, opts.Parallel), compile: goBuild,
		toolchains: map[string]toolchain{}}
}

// Build returns the deployment package of the Go main package in dir: from the cache when
// its inputs are those of a previous build, else compiled for provided.al2023 on arm64 (as
// Build describes) and stored in the cache. A compile error is returned with the compiler's
// output.
func (b *Builder) Build(dir string) (Package, error) {
	pkg, err := b.build(dir)
	if err != nil {
		return Package{}, fmt.Errorf("build %s: %w", dir, err)
	}
	return pkg, nil
}

func (b *Builder) build(dir string) (Package, error) {
	key, err := b.key(dir)
	if err != nil {
		return Package{}, err
	}
	if key != "" {
		if pkg, ok := b.lookup(key); ok {
			return pkg, nil
		}
	}
	b.slots <- struct{}{}
	pkg, err := buildPackage(dir, b.dir, b.compile)
	<-b.slots
	if err != nil || key == "" {
		return pkg, err
	}
	// A file edited during the build may or may not be in the binary: only a build whose
	// sources stayed as they were is recorded under their key.
	if after, err := b.key(dir); err == nil && after == key {
		if err := b.record(key, pkg); err != nil {
			return Package{}, fmt.Errorf("recording the package in the cache: %w", err)
		}
	}
	return pkg, nil
}

// indexDir is the cache's subdirectory holding one file per key, with the hex SHA-256 of the
// zip that key built.
const indexDir = "index"

// lookup returns the package recorded for key, if the index names a zip that is there, has
// the SHA-256 it is named by and holds a bootstrap entry.
func (b *Builder) lookup(key string) (Package, bool) {
	ref, err := os.ReadFile(filepath.Join(b.dir, indexDir, key))
	if err != nil {
		return Package{}, false
	}
	want := strings.TrimSpace(string(ref))
	if len(want) != 2*sha256.Size || strings.ContainsAny(want, `/\.`) {
		return Package{}, false
	}
	path := zipPath(b.dir, want)
	data, err := os.ReadFile(path)
	if err != nil {
		return Package{}, false
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != want || hasBootstrap(data) != nil {
		return Package{}, false
	}
	return Package{Path: path, Hash: base64.StdEncoding.EncodeToString(sum[:])}, true
}

// record points key at pkg, a zip that store wrote into the cache.
func (b *Builder) record(key string, pkg Package) error {
	sum := strings.TrimSuffix(filepath.Base(pkg.Path), ".zip")
	return writeAtomic(filepath.Join(b.dir, indexDir, key), []byte(sum+"\n"))
}

type builderKey struct{}

// WithBuilder returns a context whose functions build their Source with b, which is how a
// driver shares one cache and one bound on parallel builds among programs.
func WithBuilder(ctx *pulumi.Context, b *Builder) *pulumi.Context {
	return ctx.WithValue(builderKey{}, b)
}

// EnsureBuilder returns ctx when it has a Builder, else ctx with a new default one: the
// functions declared with the returned context then share one bound on parallel builds.
func EnsureBuilder(ctx *pulumi.Context) *pulumi.Context {
	if builderOf(ctx) != nil {
		return ctx
	}
	return WithBuilder(ctx, NewBuilder(BuilderOptions{}))
}

// builderOf returns the context's Builder, or nil when it has none.
func builderOf(ctx *pulumi.Context) *Builder {
	if b, ok := ctx.Value(builderKey{}).(*Builder); ok {
		return b
	}
	return nil
}

// deployment is the code of a function and its sourceCodeHash, as Lambda function inputs.
type deployment struct {
	code pulumi.ArchiveInput
	hash pulumi.StringPtrInput
}

// deploymentOf returns the code of the function name: a prebuilt Archive as it is, or the
// build of Source, started now on the context's Builder (or a new one). Its outputs resolve
// when the build finishes, so the builds of a program's functions overlap with each other and
// with its other registrations; a failed build fails the program with an error naming the
// function.
func deploymentOf(ctx *pulumi.Context, name string, a Args) (deployment, error) {
	if a.Archive != "" {
		pkg, err := prebuilt(a.Archive)
		if err != nil {
			return deployment{}, fmt.Errorf("Archive: %w", err)
		}
		return deployment{code: pulumi.NewFileArchive(pkg.Path), hash: pulumi.String(pkg.Hash)}, nil
	}
	b := builderOf(ctx)
	if b == nil {
		b = NewBuilder(BuilderOptions{})
	}
	built, resolve, reject := ctx.NewOutput()
	go func() {
		pkg, err := b.Build(a.Source)
		if err != nil {
			reject(&BuildError{Function: name, Err: err})
			return
		}
		resolve(pkg)
	}()
	pkgOf := func(v any) (Package, error) {
		pkg, ok := v.(Package)
		if !ok {
			return Package{}, fmt.Errorf("function %q: the build resolved to %T, not a Package", name, v)
		}
		return pkg, nil
	}
	code := built.ApplyT(func(v any) (pulumi.Archive, error) {
		pkg, err := pkgOf(v)
		return pulumi.NewFileArchive(pkg.Path), err
	}).(pulumi.ArchiveOutput)
	hash := built.ApplyT(func(v any) (string, error) {
		pkg, err := pkgOf(v)
		return pkg.Hash, err
	}).(pulumi.StringOutput)
	return deployment{code: code, hash: hash}, nil
}

// BuildError is the error of a function whose Source did not build. It fails the program
// wrapped in what awaited the code (the SDK's "waiting for RPCs: marshaling properties:
// awaiting input property ..."); errors.As finds it for a shorter message.
type BuildError struct {
	// Function is the function's logical name.
	Function string
	// Err is the build's error, with the compiler's output.
	Err error
}

func (e *BuildError) Error() string {
	return fmt.Sprintf("function %q: %v", e.Function, e.Err)
}

// Unwrap returns the build's error.
func (e *BuildError) Unwrap() error {
	return e.Err
}
