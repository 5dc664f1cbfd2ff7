package docs_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// workflow is the part of a GitHub Actions workflow these rules read.
type workflow struct {
	Permissions any `yaml:"permissions"`
	Jobs        map[string]struct {
		Permissions any `yaml:"permissions"`
		Steps       []struct {
			Uses string `yaml:"uses"`
			Run  string `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

var pinned = regexp.MustCompile(`^[\w.-]+/[\w./-]+@[0-9a-f]{40}$`)

// The workflows run with what each job needs: no permissions at the workflow level, every
// action pinned to a full commit SHA (a tag can be moved under us), and no Pulumi CLI but the
// one tools/pulumi pins.
func TestWorkflowsArePinnedAndLeastPrivileged(t *testing.T) {
	files, err := filepath.Glob("../.github/workflows/*.yml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		var w workflow
		require.NoError(t, yaml.Unmarshal(b, &w), f)
		name := filepath.Base(f)
		assert.Equal(t, map[string]any{}, w.Permissions, "%s: permissions: {} at the workflow level; jobs ask for their own", name)
		for id, job := range w.Jobs {
			assert.NotNil(t, job.Permissions, "%s: job %s states its permissions", name, id)
			for _, s := range job.Steps {
				if s.Uses != "" {
					assert.Regexp(t, pinned, s.Uses, "%s: job %s: actions are pinned by commit SHA", name, id)
					assert.False(t, strings.HasPrefix(s.Uses, "pulumi/actions"), "%s: the CLI comes from `make pulumi`", name)
				}
			}
		}
	}
}
