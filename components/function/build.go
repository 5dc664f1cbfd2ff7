package function

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Package is a deployment package: a zip holding the `bootstrap` executable.
type Package struct {
	// Path is the zip file, named by its content hash when it was built.
	Path string
	// Hash is the base64 SHA-256 of the zip, Lambda's sourceCodeHash.
	Hash string
}

// zipTime is the modification time of the one entry of every built zip. A fixed time keeps
// the archive, and so the sourceCodeHash, identical for identical code.
func zipTime() time.Time {
	return time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)
}

// Build compiles the Go main package in dir for provided.al2023 on arm64 and zips it
// reproducibly: the same source and Go toolchain give a byte-identical zip, so an unchanged
// handler is never redeployed. It is Builder.Build with the default cache: a handler whose
// inputs did not change since its last build is not compiled again.
func Build(dir string) (Package, error) {
	return NewBuilder(BuilderOptions{}).Build(dir)
}

// buildFlags are the `go build` flags of every handler, besides its output file.
func buildFlags() []string {
	return []string{"-trimpath", "-buildvcs=false", "-tags", "lambda.norpc", "-ldflags=-s -w -buildid="}
}

// buildEnv is the environment every handler build fixes. Everything that changes the binary
// is fixed here rather than taken from the developer's environment, so two machines with the
// same toolchain agree on the hash. The cache key includes it and buildFlags, so the build
// and its key cannot drift apart.
func buildEnv() []string {
	return []string{"GOOS=linux", "GOARCH=arm64", "GOARM64=v8.0", "CGO_ENABLED=0", "GOFLAGS="}
}

// goBuild compiles the Go main package in dir into the executable out.
func goBuild(dir, out string) error {
	cmd := exec.Command("go", append(append([]string{"build"}, buildFlags()...), "-o", out, ".")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), buildEnv()...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%w:\n%s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// buildPackage compiles the main package in dir with compile, zips it and stores the zip in
// the cache directory.
func buildPackage(dir, cache string, compile func(dir, out string) error) (Package, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Package{}, err
	}
	tmp, err := os.MkdirTemp("", "stratum-build-")
	if err != nil {
		return Package{}, err
	}
	defer os.RemoveAll(tmp)

	bin := filepath.Join(tmp, "bootstrap")
	if err := compile(abs, bin); err != nil {
		return Package{}, err
	}
	exe, err := os.ReadFile(bin)
	if err != nil {
		return Package{}, err
	}
	data, err := zipBootstrap(exe)
	if err != nil {
		return Package{}, err
	}
	path, err := store(cache, data)
	if err != nil {
		return Package{}, err
	}
	return Package{Path: path, Hash: sourceCodeHash(data)}, nil
}

// prebuilt checks that the zip at path holds a `bootstrap` entry and returns it as a Package.
func prebuilt(path string) (Package, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Package{}, fmt.Errorf("%q does not exist", path)
	}
	if err != nil {
		return Package{}, err
	}
	if err := hasBootstrap(data); err != nil {
		return Package{}, fmt.Errorf("%q %w", path, err)
	}
	return Package{Path: path, Hash: sourceCodeHash(data)}, nil
}

// hasBootstrap reports why data is not a zip with a `bootstrap` entry; the message follows
// the file's name.
func hasBootstrap(data []byte) error {
	r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("is not a zip file: %w", err)
	}
	for _, f := range r.File {
		if f.Name == "bootstrap" {
			return nil
		}
	}
	return errors.New("has no bootstrap entry")
}

// zipBootstrap returns a zip with one entry, `bootstrap`, executable, at a fixed time.
func zipBootstrap(exe []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	h := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate, Modified: zipTime()}
	h.SetMode(0o755)
	w, err := zw.CreateHeader(h)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(exe); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func sourceCodeHash(data []byte) string {
	sum := sha256.Sum256(data)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// zipPath is where the cache directory keeps the zip whose SHA-256 is sum (hex). The path
// depends only on the content, which keeps plans stable.
func zipPath(cache, sum string) string {
	return filepath.Join(cache, sum+".zip")
}

// store writes data to <cache>/<sha256>.zip unless it is already there, and returns the path.
func store(cache string, data []byte) (string, error) {
	sum := sha256.Sum256(data)
	path := zipPath(cache, hex.EncodeToString(sum[:]))
	if existing, err := os.ReadFile(path); err == nil && bytes.Equal(existing, data) {
		return path, nil
	}
	return path, writeAtomic(path, data)
}

// writeAtomic writes data to path through a temporary file and a rename, so a concurrent
// reader (another build, another process) never sees a partial file under the final name.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	_, werr := io.Copy(f, bytes.NewReader(data))
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// isDir reports why path is not a directory.
func isDir(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%q does not exist", path)
		}
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%q is not a directory", path)
	}
	return nil
}
