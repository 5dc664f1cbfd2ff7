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
// handler is never redeployed. The zip is stored in the user cache directory (or the
// temporary directory), named by its SHA-256.
func Build(dir string) (Package, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Package{}, fmt.Errorf("build %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp("", "stratum-build-")
	if err != nil {
		return Package{}, fmt.Errorf("build %s: %w", dir, err)
	}
	defer os.RemoveAll(tmp)

	bin := filepath.Join(tmp, "bootstrap")
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-tags", "lambda.norpc",
		"-ldflags=-s -w -buildid=", "-o", bin, ".")
	cmd.Dir = abs
	// Everything that changes the binary is fixed here rather than taken from the
	// developer's environment, so two machines with the same toolchain agree on the hash.
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "GOARM64=v8.0", "CGO_ENABLED=0", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		return Package{}, fmt.Errorf("build %s: %w:\n%s", dir, err, strings.TrimSpace(string(out)))
	}
	exe, err := os.ReadFile(bin)
	if err != nil {
		return Package{}, fmt.Errorf("build %s: %w", dir, err)
	}
	data, err := zipBootstrap(exe)
	if err != nil {
		return Package{}, fmt.Errorf("build %s: %w", dir, err)
	}
	path, err := store(data)
	if err != nil {
		return Package{}, fmt.Errorf("build %s: %w", dir, err)
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
	r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Package{}, fmt.Errorf("%q is not a zip file: %w", path, err)
	}
	for _, f := range r.File {
		if f.Name == "bootstrap" {
			return Package{Path: path, Hash: sourceCodeHash(data)}, nil
		}
	}
	return Package{}, fmt.Errorf("%q has no bootstrap entry", path)
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

// store writes data to <cache>/stratum/lambda/<sha256>.zip unless it is already there, and
// returns the path. The path depends only on the content, which keeps plans stable.
func store(data []byte) (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	dir := filepath.Join(base, "stratum", "lambda")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	path := filepath.Join(dir, hex.EncodeToString(sum[:])+".zip")
	if existing, err := os.ReadFile(path); err == nil && bytes.Equal(existing, data) {
		return path, nil
	}
	// Write then rename, so a concurrent build never sees a partial zip under the final name.
	f, err := os.CreateTemp(dir, ".tmp-*.zip")
	if err != nil {
		return "", err
	}
	_, werr := io.Copy(f, bytes.NewReader(data))
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return path, nil
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
