package platform

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestANewContextAppearsOnTheDashboard: the dashboard is drawn from whatever contexts have
// a golden plan, so a context added under stacks/ is on it without a change to the platform.
func TestANewContextAppearsOnTheDashboard(t *testing.T) {
	root := t.TempDir()
	golden, err := os.ReadFile("../notifications/testdata/dev.plan.json")
	require.NoError(t, err)
	for _, name := range []string{"notifications", "shipping"} {
		dir := filepath.Join(root, "stacks", name)
		require.NoError(t, os.MkdirAll(filepath.Join(dir, "testdata"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte("name: "+name+"\n"), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.dev.yaml"), []byte("config: {}\n"), 0o644))
		renamed := strings.ReplaceAll(string(golden), "acme-dev-notifications-", "acme-dev-"+name+"-")
		renamed = strings.Replace(renamed, `"project": "notifications"`, `"project": "`+name+`"`, 1)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "testdata", "dev.plan.json"), []byte(renamed), 0o644))
	}
	views, err := contextViews(root, "dev", "eu-west-1", "222222222222")
	require.NoError(t, err)
	require.Len(t, views, 2)
	shipping := views[1]
	assert.Equal(t, "shipping", shipping.name)
	assert.NotEmpty(t, shipping.functions)
	require.NotEmpty(t, shipping.alarms)
	for _, a := range shipping.alarms {
		assert.True(t, strings.HasPrefix(a, "arn:aws:cloudwatch:eu-west-1:222222222222:alarm:acme-dev-shipping-"), a)
	}

	body, err := overviewBody(views, "eu-west-1")
	require.NoError(t, err)
	var dashboard struct {
		Widgets []widget `json:"widgets"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &dashboard))
	var titles []string
	for _, w := range dashboard.Widgets {
		if title, ok := w.Properties["title"].(string); ok {
			titles = append(titles, title)
		}
		assert.LessOrEqual(t, w.X+w.Width, dashboardWidth)
	}
	assert.Contains(t, titles, "shipping alarms")
	assert.Contains(t, titles, "shipping function errors")

	require.NoError(t, os.MkdirAll(filepath.Join(root, "stacks", "billing"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "stacks", "billing", "Pulumi.yaml"), []byte("name: billing\n"), 0o644))
	// A project without a stack of the environment (the account's bootstrap) is not a context of it.
	views, err = contextViews(root, "dev", "eu-west-1", "222222222222")
	require.NoError(t, err)
	assert.Len(t, views, 2)
	require.NoError(t, os.WriteFile(filepath.Join(root, "stacks", "billing", "Pulumi.dev.yaml"), []byte("config: {}\n"), 0o644))
	_, err = contextViews(root, "dev", "eu-west-1", "222222222222")
	assert.ErrorContains(t, err, "stacks/billing/testdata/dev.plan.json is missing")
}
