package main

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
)

// TestArchitecture keeps docs/architecture.md what `stratum graph` generates (make docs).
func TestArchitecture(t *testing.T) {
	root, err := repoRoot()
	require.NoError(t, err)
	doc, err := architecture(root, "dev", io.Discard)
	require.NoError(t, err)
	plantest.GoldenBytes(t, root+"/docs/architecture.md", []byte(doc))
	assert.Contains(t, doc, "```mermaid\nflowchart LR")
	assert.Contains(t, doc, "## Deploy order\n\n1. platform\n2. accounts\n3. inventory\n4. notifications\n")
}

// TestPlanProd is the acceptance check of the whole repository: every project plans offline
// for prod, in one process, with no error finding.
func TestPlanProd(t *testing.T) {
	var out, progress bytes.Buffer
	require.NoError(t, run([]string{"plan", "--env", "prod", "--format", "json"}, &out, &progress))
	var plans []*plan.Plan
	require.NoError(t, json.Unmarshal(out.Bytes(), &plans))
	var projects []string
	for _, p := range plans {
		projects = append(projects, p.Project)
		assert.Equal(t, "prod", p.Stack)
		for _, f := range p.Findings {
			assert.NotEqual(t, "error", f.Severity, "%s: %s %s", p.Project, f.Rule, f.Message)
		}
	}
	assert.Equal(t, []string{"platform", "accounts", "inventory", "notifications"}, projects)
	assert.Equal(t, 4, strings.Count(progress.String(), "planned "), progress.String())

	// A consumer's references resolve to its producer's plan from the same run.
	accounts, inventory := plans[1], plans[2]
	sub, err := inventory.Get("aws:sns/topicSubscription:TopicSubscription", "inbox-accounts")
	require.NoError(t, err)
	assert.Equal(t, accounts.Outputs["eventsTopicArn"], sub.Inputs["topic"])
}

func TestPlanOneProjectAsMarkdown(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run([]string{"plan", "--format", "markdown", "platform"}, &out, io.Discard))
	assert.True(t, strings.HasPrefix(out.String(), "## Offline plan (dev)\n\n| project | resources |"), out.String())
	assert.Contains(t, out.String(), "| platform | 114 | 0 | 0 | 0 |")
}

func TestUsageErrors(t *testing.T) {
	for args, want := range map[string]string{
		"":                      "usage:",
		"deploy":                `unknown command "deploy"`,
		"plan --format yaml":    `plan: --format "yaml" is not text, json or markdown`,
		"plan billing":          `no project "billing" in the registry`,
		"affected":              "affected: --base is required",
		"order --format csv":    `order: --format "csv" is not text, json or dirs`,
		"affected --base nope1": "nope1",
	} {
		err := run(strings.Fields(args), io.Discard, io.Discard)
		assert.ErrorContains(t, err, want, args)
	}
}
