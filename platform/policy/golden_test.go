package policy_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
)

// TestGoldenPlans runs every rule over the golden plans of the repository. Component
// goldens are partial plans (no owner tags, no alarm topic of their own, resources wired to
// others that are not in the plan), so their findings are only logged; the stacks'
// goldens are what gets deployed, and the platform stack must have no error finding.
func TestGoldenPlans(t *testing.T) {
	var files []string
	for _, pattern := range []string{"../../components/*/testdata/*.plan.json", "../../stacks/*/testdata/*.plan.json"} {
		found, err := filepath.Glob(pattern)
		require.NoError(t, err)
		files = append(files, found...)
	}
	require.NotEmpty(t, files)
	platform := 0
	for _, file := range files {
		name := strings.TrimPrefix(filepath.ToSlash(file), "../../")
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(file)
			require.NoError(t, err)
			p, err := plan.Parse(b)
			require.NoError(t, err)
			require.NoError(t, policy.Evaluate(p, nil))
			for _, f := range p.Findings {
				t.Logf("[%s] %s %s: %s", f.Severity, f.Rule, f.URN, f.Message)
			}
			if strings.HasPrefix(name, "stacks/platform/") {
				platform++
				assert.False(t, policy.HasErrors(p), "the platform stack's plan has error findings")
			}
		})
	}
	assert.Equal(t, 2, platform, "the platform stack has a dev and a prod golden plan")
}
