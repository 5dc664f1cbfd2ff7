// Package components_test holds the checks that apply to every component package.
package components_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/anatomy"
)

// TestArgsFieldsDocumentDefaults fails when an exported field of an Args type has no doc
// comment that states its default (anatomy.CheckDocs): a reviewer must be able to read
// every default off the code.
func TestArgsFieldsDocumentDefaults(t *testing.T) {
	dirs, err := filepath.Glob("*")
	require.NoError(t, err)
	checked := 0
	for _, dir := range dirs {
		problems, n, err := anatomy.CheckDocs(dir)
		require.NoError(t, err)
		for _, p := range problems {
			t.Error(p)
		}
		checked += n
	}
	if checked < 100 {
		t.Fatalf("only %d Args fields found: the check is not looking at the components", checked)
	}
}
