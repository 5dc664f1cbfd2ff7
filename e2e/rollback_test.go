package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/engine"
	"github.com/stratum-platform/stratum/platform/local"
)

// TestRollback changes two contexts, makes the second fail, and shows that the first is put
// back as its last successful deploy left it: its function code and its config.
func TestRollback(t *testing.T) {
	root := repo(t)
	tree := copyRepo(t, root)
	git := gitIn(t, tree)
	baseline := git("rev-parse", "HEAD")

	projects := ordered(t, root, "dev", "platform", "accounts", "inventory")
	opts := options(t, tree, "dev")
	opts.PulumiRoot, opts.Commit = root, baseline
	_, err := run(t, engine.Up, projects, opts)
	require.NoError(t, err)
	accounts := find(t, projects, "accounts")
	before := stateOf(t, accounts, opts)

	// Both contexts change: accounts' get handler and log retention, inventory's API handler.
	addCode(t, filepath.Join(tree, "stacks/accounts/handlers/get"))
	addCode(t, filepath.Join(tree, "stacks/inventory/handlers/api"))
	require.NoError(t, os.WriteFile(filepath.Join(tree, "stacks/accounts/Pulumi.dev.yaml"),
		[]byte("config:\n  stratum:logRetentionDays: 14\n"), 0o644))
	git("commit", "-qam", "change two contexts")
	git("add", "-A")
	git("commit", "-qm", "new files")
	opts.Commit = git("rev-parse", "HEAD")

	api, err := find(t, projects, "inventory").Offline.Get("aws:lambda/function:Function", "api")
	require.NoError(t, err)
	faulty := opts
	faulty.Environment = map[string]string{local.EnvFaults: local.FaultsValue(map[string]string{api.URN: "the new code is refused"})}
	results, err := run(t, engine.Up, projects, faulty)
	require.Error(t, err)
	got := byProject(results)
	require.Equal(t, engine.Failed, got["inventory"].Status)
	require.Equal(t, engine.Succeeded, got["accounts"].Status)
	require.NotEmpty(t, got["accounts"].Changed, "accounts changed before inventory failed")
	require.NotNil(t, got["accounts"].Rollback)
	require.NoError(t, got["accounts"].Rollback.Err)
	assert.Equal(t, baseline, got["accounts"].Rollback.Commit)
	assert.Nil(t, got["platform"].Rollback, "the platform did not change, so it is not rolled back")
	assert.Contains(t, engine.Text(engine.Up, "dev", results), "accounts was rolled back to "+baseline)

	// The function runs the baseline's code again (as a newly published version, as in AWS),
	// and its log group has the baseline's retention.
	after := stateOf(t, accounts, opts)
	fn := urnOf(t, accounts.Offline, "aws:lambda/function:Function", "get")
	assert.Equal(t, before[fn]["sourceCodeHash"], after[fn]["sourceCodeHash"])
	assert.NotEqual(t, before[fn]["version"], after[fn]["version"])
	logs := urnOf(t, accounts.Offline, "aws:cloudwatch/logGroup:LogGroup", "get-logs")
	assert.EqualValues(t, 30, after[logs]["retentionInDays"])
	assert.Equal(t, before[logs], after[logs])
}

// addCode adds a file to a handler's package: a code change that compiles into its binary.
func addCode(t *testing.T, dir string) {
	t.Helper()
	src := "package main\n\nimport \"os\"\n\nfunc init() {\n\tif len(os.Args) > 99 {\n\t\tprintln(\"edited\")\n\t}\n}\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "edited.go"), []byte(src), 0o644))
}

// stateOf is the outputs of every resource in p's stack, by URN.
func stateOf(t *testing.T, p engine.Project, opts engine.Options) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, r := range state(t, p, opts) {
		out[r.URN] = r.Outputs
	}
	return out
}
