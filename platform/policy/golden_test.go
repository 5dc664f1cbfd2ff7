package policy_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
)

// TestGoldenPlans runs every rule over the golden plans of the repository. The stacks'
// goldens are what gets deployed: they must have no error finding. Component goldens are
// partial plans (no owner tags, no alarm topic of their own, resources wired to others that
// are not in the plan), so their findings are only logged, except that no IAM statement
// anywhere may have a wildcard action.
func TestGoldenPlans(t *testing.T) {
	var files []string
	// The environments' stacks; the state backend's plan (stacks/bootstrap, in no environment)
	// is checked by its own test, with the suppressions its registry entry writes.
	for _, pattern := range []string{"../../components/*/testdata/*.plan.json", "../../stacks/*/testdata/dev.plan.json",
		"../../stacks/*/testdata/prod.plan.json"} {
		found, err := filepath.Glob(pattern)
		require.NoError(t, err)
		files = append(files, found...)
	}
	require.NotEmpty(t, files)
	stacks := 0
	for _, file := range files {
		name := strings.TrimPrefix(filepath.ToSlash(file), "../../")
		t.Run(name, func(t *testing.T) {
			p, err := plan.ReadGolden(file)
			require.NoError(t, err)
			require.NoError(t, policy.Evaluate(p, policy.Builtin()))
			for _, f := range p.Findings {
				t.Logf("[%s] %s %s: %s", f.Severity, f.Rule, f.URN, f.Message)
				assert.NotEqual(t, "iam-no-wildcards", f.Rule, f.Message)
				// Every AWS type a component creates is covered by a rule or reviewed. A stack
				// also uses extensions, whose rules policy does not know: stacks' tests check
				// the stacks' plans against stacks.Rules().
				if !strings.HasPrefix(name, "stacks/") {
					assert.NotEqual(t, policy.Coverage, f.Rule, f.Message)
				}
			}
			if strings.HasPrefix(name, "stacks/") {
				stacks++
				assert.False(t, policy.HasErrors(p), "a stack's plan has error findings")
			}
		})
	}
	assert.Equal(t, 8, stacks, "four stacks, each with a dev and a prod golden plan")
}
