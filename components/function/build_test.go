package function_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
)

// The first build cross-compiles the standard library for linux/arm64 (about 30s on a cold
// cache); later builds are served by Go's build cache.
func TestBuildIsReproducible(t *testing.T) {
	first, err := function.Build("testdata/hello")
	require.NoError(t, err)
	firstZip, err := os.ReadFile(first.Path)
	require.NoError(t, err)
	require.NoError(t, os.Remove(first.Path)) // the second build must write it again

	second, err := function.Build("testdata/hello")
	require.NoError(t, err)
	secondZip, err := os.ReadFile(second.Path)
	require.NoError(t, err)

	assert.Equal(t, first, second)
	assert.True(t, bytes.Equal(firstZip, secondZip), "two builds of the same source differ")

	sum := sha256.Sum256(secondZip)
	assert.Equal(t, base64.StdEncoding.EncodeToString(sum[:]), second.Hash)
	assert.Equal(t, hex.EncodeToString(sum[:])+".zip", filepath.Base(second.Path))
}

func TestBuildZipLayout(t *testing.T) {
	pkg, err := function.Build("testdata/hello")
	require.NoError(t, err)
	r, err := zip.OpenReader(pkg.Path)
	require.NoError(t, err)
	defer r.Close()

	require.Len(t, r.File, 1)
	f := r.File[0]
	assert.Equal(t, "bootstrap", f.Name)
	assert.Equal(t, zip.Deflate, f.Method)
	assert.Equal(t, os.FileMode(0o755), f.Mode().Perm())
	assert.True(t, f.Mode().IsRegular())
	assert.True(t, f.Modified.Equal(time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)), "modified %s", f.Modified)

	rc, err := f.Open()
	require.NoError(t, err)
	defer rc.Close()
	magic := make([]byte, 20)
	_, err = rc.Read(magic)
	require.NoError(t, err)
	assert.Equal(t, "\x7fELF", string(magic[:4]), "not an ELF executable")
	assert.Equal(t, byte(0xb7), magic[18], "not built for arm64 (EM_AARCH64)")
}

func TestBuildReportsCompilerOutput(t *testing.T) {
	_, err := function.Build("testdata/broken")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "build testdata/broken: exit status 1")
	assert.Contains(t, err.Error(), `cannot use "not a number" (untyped string constant) as int value in variable declaration`)
}

func TestNewBuildsSource(t *testing.T) {
	pkg, err := function.Build("testdata/hello")
	require.NoError(t, err)
	p := run(t, &function.Args{Source: "testdata/hello"})
	fn := get(t, p, "aws:lambda/function:Function", "api")
	assert.Equal(t, pkg.Hash, fn.Inputs["sourceCodeHash"])
	assert.Equal(t, "[archive "+filepath.Base(pkg.Path)+"]", fn.Inputs["code"])
}

// The build runs in the background, so its failure fails the program, not New; errors.As
// finds it under what the SDK wraps it in.
func TestNewReportsBuildFailure(t *testing.T) {
	err := runErr(&function.Args{Source: "testdata/broken"})
	require.Error(t, err)
	var build *function.BuildError
	require.ErrorAs(t, err, &build)
	assert.Equal(t, "api", build.Function)
	assert.True(t, strings.HasPrefix(build.Error(), `function "api": build testdata/broken: exit status 1:`), build.Error())
	assert.Contains(t, build.Error(), "cannot use")
}
