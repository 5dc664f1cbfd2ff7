package local

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/plan"
)

// TestEveryPlannedTypeIsCovered keeps aws-replace-on-change.json ahead of the programs: every
// AWS type in a golden plan has its replacement rules.
func TestEveryPlannedTypeIsCovered(t *testing.T) {
	r, err := loadRules()
	require.NoError(t, err)
	var files []string
	for _, pattern := range []string{"../../stacks/*/testdata/*.plan.json", "../../components/*/testdata/*.plan.json",
		"../../extensions/*/testdata/*.plan.json"} {
		found, err := filepath.Glob(pattern)
		require.NoError(t, err)
		files = append(files, found...)
	}
	require.NotEmpty(t, files)
	seen := map[string]bool{}
	for _, f := range files {
		p, err := plan.ReadGolden(f)
		require.NoError(t, err)
		for _, res := range p.Resources {
			if strings.HasPrefix(res.Type, "aws:") && !seen[res.Type] {
				seen[res.Type] = true
				_, err := r.lookup(res.Type)
				assert.NoError(t, err, "%s (first seen in %s)", res.Type, f)
			}
		}
	}
	assert.Greater(t, len(seen), 20, "the goldens use the types Stratum deploys")
}

func TestRulesAreWellFormed(t *testing.T) {
	r, err := loadRules()
	require.NoError(t, err)
	for typ, tr := range r {
		assert.True(t, strings.HasPrefix(typ, "aws:"), typ)
		assert.NotEmpty(t, tr.Terraform, typ)
		assert.NotEmpty(t, tr.Notes, typ)
		for _, p := range slices.Concat(tr.ReplaceOnChange, tr.ConditionalReplaceOnChange) {
			assert.NotContains(t, p, " ", "%s: %q", typ, p)
			assert.False(t, strings.HasPrefix(p, ".") || strings.HasSuffix(p, "."), "%s: %q", typ, p)
		}
	}
}

func TestIdentify(t *testing.T) {
	r, err := loadRules()
	require.NoError(t, err)
	assert.Equal(t, identity{name: "acme-q", unique: true},
		r.identify(queue, "q", "https://sqs/acme-q", map[string]any{"name": "acme-q"}, nil))
	assert.Equal(t, identity{name: "q", unique: true}, r.identify(queue, "q", "id", map[string]any{}, nil),
		"without a name the logical name is the physical name")
	assert.Equal(t, identity{name: "$default", scope: "apiId=abc", unique: true},
		r.identify("aws:apigatewayv2/stage:Stage", "stage", "$default", map[string]any{"name": "$default", "apiId": "abc"}, nil))
	assert.Equal(t, identity{name: "p-1234", scope: "function=f,qualifier=live"},
		r.identify("aws:lambda/permission:Permission", "p", "p-1234", map[string]any{"function": "f", "qualifier": "live"}, nil),
		"a permission without a statement id is known by its id")
	assert.Equal(t, identity{name: "k-1"}, r.identify("aws:kms/key:Key", "k", "k-1", map[string]any{}, nil))
	assert.Equal(t, identity{name: "api"}, r.identify("aws:apigatewayv2/api:Api", "a", "id1", map[string]any{"name": "api"}, nil),
		"API names need not be unique")
}
