package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/engine"
	"github.com/stratum-platform/stratum/platform/local"
)

// TestReleaseRollback changes a handler and makes its release roll back, as CodeDeploy does
// when an alarm goes off: `up` fails naming the function, the deployment and the reason, the
// alias never points at the failed version, and the stack is redeployed at its last commit.
// Without the fault, the same change is released and the alias moves to the new version.
func TestReleaseRollback(t *testing.T) {
	root := repo(t)
	tree := copyRepo(t, root)
	git := gitIn(t, tree)
	baseline := git("rev-parse", "HEAD")

	projects := ordered(t, root, "dev", "platform", "accounts")
	opts := options(t, tree, "dev")
	opts.PulumiRoot, opts.Commit = root, baseline
	_, err := run(t, engine.Up, projects, opts)
	require.NoError(t, err)
	accounts := find(t, projects, "accounts")
	get, err := accounts.Offline.Get("aws:lambda/function:Function", "get")
	require.NoError(t, err)
	fn, name := get.URN, get.String("name")
	before := stateOf(t, accounts, opts)
	require.Equal(t, before[fn]["version"], aliasVersion(t, opts, name), "the first deploy creates the alias at the version")

	addCode(t, filepath.Join(tree, "stacks/accounts/handlers/get"))
	git("add", "-A")
	git("commit", "-qm", "edit the get handler")
	opts.Commit = git("rev-parse", "HEAD")

	faulty := opts
	faulty.Environment = map[string]string{local.EnvFaults: local.FaultsValue(map[string]string{
		local.ReleaseFault(name): "alarm acme-dev-accounts-get-version-errors is in ALARM",
	})}
	results, err := run(t, engine.Up, projects, faulty)
	require.Error(t, err)
	got := byProject(results)["accounts"]
	require.Equal(t, engine.Failed, got.Status)
	require.Len(t, got.Deployments, 1)
	failed := got.Deployments[0]
	assert.Equal(t, "Stopped", failed.Status)
	assert.Equal(t, before[fn]["version"], failed.CurrentVersion)
	assert.NotEqual(t, failed.CurrentVersion, failed.TargetVersion)
	assert.ErrorContains(t, got.Err, "deployment "+failed.ID+" of "+name+" (version "+failed.CurrentVersion+" -> "+failed.TargetVersion+")")
	assert.ErrorContains(t, got.Err, "stopped: ALARM_ACTIVE: injected fault: alarm acme-dev-accounts-get-version-errors is in ALARM")

	// The failed stack is redeployed at the baseline: its function runs the baseline's code
	// again, as a newly published version that its own (successful) release moved the alias to.
	require.NotNil(t, got.Rollback)
	require.NoError(t, got.Rollback.Err)
	assert.Equal(t, baseline, got.Rollback.Commit)
	assert.Contains(t, engine.Text(engine.Up, "dev", results), "accounts was rolled back to "+baseline)
	after := stateOf(t, accounts, opts)
	assert.Equal(t, before[fn]["sourceCodeHash"], after[fn]["sourceCodeHash"])
	assert.Equal(t, after[fn]["version"], aliasVersion(t, opts, name))
	assert.NotEqual(t, failed.TargetVersion, aliasVersion(t, opts, name), "the alias never points at the rolled-back version")
	deployments := loadAccount(t, opts).Deployments
	require.Len(t, deployments, 2, "the failed release and the rollback's")
	assert.Equal(t, failed.ID, deployments[0].ID)
	assert.Equal(t, "Succeeded", deployments[1].Status)

	// Without the fault the edited handler is released and the alias moves to it.
	results, err = run(t, engine.Up, projects, opts)
	require.NoError(t, err)
	got = byProject(results)["accounts"]
	require.Len(t, got.Deployments, 1)
	assert.Equal(t, "Succeeded", got.Deployments[0].Status)
	final := stateOf(t, accounts, opts)
	assert.NotEqual(t, before[fn]["sourceCodeHash"], final[fn]["sourceCodeHash"])
	assert.Equal(t, final[fn]["version"], aliasVersion(t, opts, name))
	assert.Equal(t, got.Deployments[0].TargetVersion, aliasVersion(t, opts, name))

	// `stratum release wait --local` follows the same deployment, read from the local state
	// and account.
	wait := exec.Command("go", "run", "./cmd/stratum", "release", "wait", "--env", "dev", "--local",
		"--work-dir", opts.WorkDir, "accounts")
	wait.Dir = tree
	wait.Env = append(os.Environ(), "PATH="+filepath.Join(root, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"))
	var stdout, stderr bytes.Buffer
	wait.Stdout, wait.Stderr = &stdout, &stderr
	require.NoError(t, wait.Run(), stderr.String())
	assert.Regexp(t, `accounts\s+`+name+`\s+`+got.Deployments[0].ID+`\s+Succeeded\n`, stdout.String())
}

// aliasVersion is the version the live alias of function points at in the local account.
func aliasVersion(t *testing.T, opts engine.Options, function string) string {
	t.Helper()
	for _, e := range loadAccount(t, opts).Resources {
		if e.Type == "aws:lambda/alias:Alias" && e.Name == "live" && e.Scope == "functionName="+function {
			v, _ := e.Outputs["functionVersion"].(string)
			return v
		}
	}
	t.Fatalf("the local account has no live alias of %s", function)
	return ""
}
