package stacks_test

import (
	"archive/zip"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/function"
)

// maxHandlerBytes is the size a handler binary must stay under: small binaries start fast.
const maxHandlerBytes = 15 << 20

// TestHandlerBinariesAreSmall builds every handler exactly as a deployment does (linux/arm64,
// stripped) and checks the size of its binary.
func TestHandlerBinariesAreSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every handler")
	}
	mains, err := filepath.Glob("*/handlers/*/main.go")
	require.NoError(t, err)
	require.NotEmpty(t, mains)
	for _, main := range mains {
		dir := filepath.Dir(main)
		t.Run(dir, func(t *testing.T) {
			pkg, err := function.Build(dir)
			require.NoError(t, err)
			r, err := zip.OpenReader(pkg.Path)
			require.NoError(t, err)
			defer r.Close()
			require.Len(t, r.File, 1)
			size := r.File[0].UncompressedSize64
			assert.Less(t, size, uint64(maxHandlerBytes), "%s is %d bytes", dir, size)
			t.Logf("%s: %.1f MiB", dir, float64(size)/(1<<20))
		})
	}
}
