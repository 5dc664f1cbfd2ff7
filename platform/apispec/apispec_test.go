package apispec

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	for rel, want := range map[string]File{
		"stacks/inventory/api/v2.yaml":  {Path: "stacks/inventory/api/v2.yaml", Context: "inventory", Version: "v2", Major: 2},
		"stacks/accounts/api/v10.yaml":  {Path: "stacks/accounts/api/v10.yaml", Context: "accounts", Version: "v10", Major: 10},
		"stacks/accounts/api/v0.yaml":   {},
		"stacks/accounts/api/v01.yaml":  {},
		"stacks/accounts/api/v.yaml":    {},
		"stacks/accounts/api/v1.yml":    {},
		"stacks/accounts/api/v1b.yaml":  {},
		"stacks/accounts/api/x/v1.yaml": {},
		"stacks/accounts/v1.yaml":       {},
		"other/accounts/api/v1.yaml":    {},
		"stacks//api/v1.yaml":           {},
	} {
		got, ok := Parse(rel)
		assert.Equal(t, want.Path != "", ok, rel)
		assert.Equal(t, want, got, rel)
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	for _, rel := range []string{
		"stacks/inventory/api/v10.yaml", "stacks/inventory/api/v2.yaml", "stacks/inventory/api/v1.yaml",
		"stacks/accounts/api/v1.yaml", "stacks/accounts/api/draft.yaml", "stacks/accounts/testdata/v1.yaml",
	} {
		path := filepath.Join(root, filepath.FromSlash(rel))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, nil, 0o644))
	}
	files, err := Find(root)
	require.NoError(t, err)
	var paths []string
	for _, f := range files {
		paths = append(paths, f.Path)
	}
	assert.Equal(t, []string{
		"stacks/accounts/api/v1.yaml", "stacks/inventory/api/v1.yaml", "stacks/inventory/api/v2.yaml", "stacks/inventory/api/v10.yaml",
	}, paths)
}
