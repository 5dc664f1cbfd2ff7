package engine

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/sig"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
	"github.com/stratum-platform/stratum/platform/release"
)

func noop(*pulumi.Context) error { return nil }

func TestOptionsReportEveryProblem(t *testing.T) {
	opts := Options{WaitTimeout: -time.Second}
	err := opts.validate("apply", []Project{
		{Name: "accounts", Dir: "stacks/accounts", Program: noop, Rules: policy.Builtin(), DependsOn: []string{"platform"}},
		{Name: "platform", Dir: ".", Program: noop, Rules: policy.Builtin()},
		{Name: "platform", Dir: ".", Program: noop, Rules: policy.Builtin()},
		{Name: "", Dir: "x"},
	})
	require.Error(t, err)
	assert.Equal(t, strings.Join([]string{
		`engine: operation "apply" is not preview, up or destroy`,
		"Root: is required (the repository root)",
		"Env: is required (the stack of every project)",
		`projects[0] "accounts": depends on "platform", which comes after it`,
		`projects[2]: "platform" appears twice`,
		`projects[3] "": Name, Dir, Program and Rules are required`,
		"WaitTimeout: must be positive (0 is the default, 45m0s), got -1s",
	}, "\n"), err.Error())
}

func TestOptionsDefaults(t *testing.T) {
	opts := Options{Root: "/repo", Env: "dev", Local: true}
	require.NoError(t, opts.validate(Up, []Project{{Name: "platform", Dir: ".", Program: noop, Rules: policy.Builtin(), DependsOn: []string{"elsewhere"}}}))
	assert.Equal(t, "/repo/.stratum/local/dev", opts.WorkDir)
	assert.Equal(t, DefaultWaitTimeout, opts.WaitTimeout)
	assert.Equal(t, "/repo/.stratum/local/dev/account.json", LocalAccount(Options{Root: "/repo", Env: "dev"}))
	opts = Options{Root: "/repo", Env: "prod"}
	require.NoError(t, opts.validate(Preview, []Project{{Name: "platform", Dir: ".", Program: noop, Rules: policy.Builtin()}}))
	assert.Equal(t, "/repo/.stratum/deploy/prod", opts.WorkDir, "a real backend's work copies live apart from the local ones")
}

// A failed stack skips what depends on it; destroy goes the other way round.
func TestBlockedBy(t *testing.T) {
	projects := []Project{
		{Name: "platform"}, {Name: "accounts", DependsOn: []string{"platform"}},
		{Name: "inventory", DependsOn: []string{"platform", "accounts"}},
	}
	status := map[string]Status{"platform": Succeeded, "accounts": Failed}
	assert.Equal(t, "accounts", blockedBy(dependencies(projects)["inventory"], status))
	assert.Empty(t, blockedBy(dependencies(projects)["accounts"], map[string]Status{"platform": Succeeded}))
	assert.Equal(t, "inventory", blockedBy(dependents(projects)["platform"], map[string]Status{"inventory": Failed}))
	assert.Empty(t, blockedBy(dependents(projects)["inventory"], status), "nothing depends on inventory")
}

func stackRef(project, stack string) plan.Resource {
	return plan.Resource{URN: "urn:pulumi:dev::" + project + "::pulumi:pulumi:StackReference::" + stack,
		Type: "pulumi:pulumi:StackReference", Name: stack, Inputs: map[string]any{"name": stack}}
}

func TestOrderFollowsStackReferences(t *testing.T) {
	plans := []*plan.Plan{
		{Project: "notifications", Resources: []plan.Resource{stackRef("notifications", "organization/accounts/dev"), stackRef("notifications", "organization/platform/dev")}},
		{Project: "accounts", Resources: []plan.Resource{stackRef("accounts", "organization/platform/dev")}},
		{Project: "platform"},
	}
	projects := []Project{{Name: "notifications", Dir: "n"}, {Name: "accounts", Dir: "a"}, {Name: "platform", Dir: "."}}
	all, err := Order(projects, plans)
	require.NoError(t, err)
	require.Len(t, all, 3)
	assert.Equal(t, []string{"platform", "accounts", "notifications"}, []string{all[0].Name, all[1].Name, all[2].Name})
	assert.Equal(t, []string{"accounts", "platform"}, all[2].DependsOn)
	assert.Same(t, plans[0], all[2].Offline)

	some, err := Order(projects, plans, "notifications", "accounts")
	require.NoError(t, err)
	require.Len(t, some, 2)
	assert.Equal(t, "accounts", some[0].Name)
	assert.Empty(t, some[0].DependsOn, "platform is not in the run")
	assert.Equal(t, []string{"accounts"}, some[1].DependsOn)

	_, err = Order(projects, plans, "billing")
	assert.EqualError(t, err, `engine: no project "billing" among the projects (3 given)`)
}

// What the engine cannot know yet comes from the offline plan; nothing else does.
func TestFillTakesOnlyUnknownsFromTheOfflinePlan(t *testing.T) {
	unknown := sig.UnknownStringValue
	engine := map[string]any{
		"name":   "acme-dev-accounts-get",
		"role":   unknown,
		"policy": map[string]any{"Statement": []any{map[string]any{"Resource": unknown}}},
		"tags":   map[string]any{"env": "dev"},
		"other":  unknown,
	}
	offline := map[string]any{
		"name":   "offline-name",
		"role":   "arn:aws:iam::111111111111:role/acme-dev-accounts-get",
		"policy": map[string]any{"Statement": []any{map[string]any{"Resource": "arn:aws:dynamodb:eu-west-1:111111111111:table/t"}}},
	}
	assert.Equal(t, map[string]any{
		"name":   "acme-dev-accounts-get",
		"role":   "arn:aws:iam::111111111111:role/acme-dev-accounts-get",
		"policy": map[string]any{"Statement": []any{map[string]any{"Resource": "arn:aws:dynamodb:eu-west-1:111111111111:table/t"}}},
		"tags":   map[string]any{"env": "dev"},
		"other":  plan.Unknown,
	}, fill(engine, offline))
	assert.Equal(t, map[string]any{"arn": "known", "url": "offline"},
		withMissing(map[string]any{"arn": "known"}, map[string]any{"arn": "offline", "url": "offline"}))
}

func write(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// The engine writes its salt into the work copy, never into the project's files, and keeps
// it across runs while the project's settings change.
func TestCopyProjectKeepsWhatTheEngineWrote(t *testing.T) {
	dir, work := t.TempDir(), filepath.Join(t.TempDir(), "accounts")
	project := "name: accounts\nruntime: go\nmain: cmd/\n"
	write(t, filepath.Join(dir, "Pulumi.yaml"), project)
	write(t, filepath.Join(dir, "Pulumi.dev.yaml"), "config:\n  stratum:logRetentionDays: 14\n")

	require.NoError(t, copyProject(dir, work, "dev"))
	assert.Equal(t, "name: accounts\nruntime: go\n", read(t, filepath.Join(work, "Pulumi.yaml")), "an inline program has no main")
	write(t, filepath.Join(work, "Pulumi.dev.yaml"), read(t, filepath.Join(work, "Pulumi.dev.yaml"))+"encryptionsalt: v1:abc\n")

	write(t, filepath.Join(dir, "Pulumi.dev.yaml"), "config:\n  stratum:logRetentionDays: 30\n")
	require.NoError(t, copyProject(dir, work, "dev"))
	assert.Equal(t, "config:\n    stratum:logRetentionDays: 30\nencryptionsalt: v1:abc\n", read(t, filepath.Join(work, "Pulumi.dev.yaml")))
	assert.Equal(t, project, read(t, filepath.Join(dir, "Pulumi.yaml")))
	assert.Equal(t, "config:\n  stratum:logRetentionDays: 30\n", read(t, filepath.Join(dir, "Pulumi.dev.yaml")))

	err := copyProject(dir, work, "prod")
	require.ErrorIs(t, err, os.ErrNotExist)
	assert.ErrorContains(t, err, "Pulumi.prod.yaml")
}

func results() []Result {
	table := "urn:pulumi:prod::accounts::stratum:service:Service$stratum:table:Table$aws:dynamodb/table:Table::accounts"
	return []Result{
		{Project: "platform", Stack: "organization/platform/prod", Status: Succeeded, Unchanged: 6, Duration: 1500 * time.Millisecond},
		{Project: "accounts", Stack: "organization/accounts/prod", Status: Failed, Replaces: 1, Unchanged: 100,
			Replaced: []string{table}, Err: errors.New("unable to replace resource\nas it is protected"),
			Deployments: []release.Deployment{
				{ID: "d-1", Status: "Succeeded", Function: "acme-prod-accounts-get"},
				{ID: "d-2", Status: "Stopped", Function: "acme-prod-accounts-register", ErrorCode: "ALARM_ACTIVE", ErrorMessage: "alarm x"},
			}},
		{Project: "inventory", Status: Skipped, Err: errors.New("not attempted: accounts did not succeed")},
	}
}

func TestText(t *testing.T) {
	assert.Equal(t, `
up (prod)
  stack            creates updates replaces deletes unchanged  duration  result
  platform               0       0        0       0         6      1.5s  succeeded
  accounts               0       0        1       0       100        0s  failed
  inventory              0       0        0       0         0        0s  skipped

accounts replaces: accounts (aws:dynamodb/table:Table)

accounts releases:
  acme-prod-accounts-get d-1 Succeeded
  acme-prod-accounts-register d-2 Stopped: ALARM_ACTIVE: alarm x

accounts failed:
  unable to replace resource
  as it is protected

inventory skipped:
  not attempted: accounts did not succeed
`, Text(Up, "prod", results()))
}

func TestMarkdown(t *testing.T) {
	got := Markdown(Preview, "prod", false, results())
	assert.True(t, strings.HasPrefix(got, "## Pulumi preview (prod)\n\n| stack | creates | updates | replaces | deletes | unchanged | result |\n"), got)
	assert.Contains(t, got, "| accounts | 0 | 0 | 1 | 0 | 100 | failed |\n")
	assert.Contains(t, got, "### accounts\n\n**Replaces** (the old resource is deleted): `accounts (aws:dynamodb/table:Table)`")
	assert.Contains(t, got, "### inventory\n\n```\nnot attempted: accounts did not succeed\n```")
	assert.Contains(t, Markdown(Up, "dev", true, nil), "## Pulumi up (dev, local rehearsal)")
}

// Only stacks this run changed are rolled back, newest first, and only to a recorded commit
// other than the one that failed.
func TestRollBackWithoutAnEarlierDeploy(t *testing.T) {
	r := &runner{opts: Options{Commit: "c2", Progress: io.Discard}}
	results := []Result{
		{Project: "platform", Status: Succeeded, Applied: true, PreviousCommit: "c1"},
		{Project: "accounts", Status: Succeeded, Applied: true, Changed: map[string]string{"urn": "update"}},
		{Project: "billing", Status: Succeeded, Applied: true, Changed: map[string]string{"urn": "create"}, PreviousCommit: "c2"},
		{Project: "inventory", Status: Failed, Changed: map[string]string{"urn": "update"}, PreviousCommit: "c1"},
	}
	errs := r.rollBack(t.Context(), nil, results)
	assert.Nil(t, results[0].Rollback, "platform did not change")
	assert.Nil(t, results[3].Rollback, "the stack the engine failed is the engine's to report, not rolled back")
	require.NotNil(t, results[1].Rollback)
	assert.EqualError(t, results[1].Rollback.Err, "no earlier deploy of accounts is recorded, so it stays as this run left it")
	require.NotNil(t, results[2].Rollback)
	assert.EqualError(t, results[2].Rollback.Err, "its last deploy was this same commit c2")
	require.Len(t, errs, 2)
	assert.EqualError(t, errs[0], "billing: rollback: its last deploy was this same commit c2", "newest first")
	assert.Contains(t, Text(Up, "dev", results), "accounts was not rolled back: no earlier deploy of accounts is recorded")
}

// A stack whose release failed after the engine applied it is rolled back like the stacks
// before it: its state, resources and published version are the new commit's.
func TestRollBackIncludesAStackWhoseReleaseFailed(t *testing.T) {
	r := &runner{opts: Options{Commit: "c2", Progress: io.Discard}}
	results := []Result{{Project: "accounts", Status: Failed, Applied: true, Changed: map[string]string{"urn": "replace"}}}
	errs := r.rollBack(t.Context(), nil, results)
	require.NotNil(t, results[0].Rollback)
	assert.EqualError(t, results[0].Rollback.Err, "no earlier deploy of accounts is recorded, so it stays as this run left it")
	assert.Len(t, errs, 1)
}

// State reads a stack and never creates one: `stratum release wait` must not leave empty
// stacks in a real backend for projects never deployed in the environment.
func TestStateNeverCreatesAStack(t *testing.T) {
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	tmp := t.TempDir()
	state := filepath.Join(tmp, "state")
	require.NoError(t, os.MkdirAll(state, 0o755))
	opts := Options{Root: root, Env: "dev", WorkDir: filepath.Join(tmp, "work"), Environment: map[string]string{
		"PULUMI_BACKEND_URL": "file://" + filepath.ToSlash(state), "PULUMI_CONFIG_PASSPHRASE": "test",
		"PULUMI_HOME": filepath.Join(tmp, "home"),
	}}
	if _, _, err := pulumiCommand(opts); err != nil {
		t.Skipf("no Pulumi CLI (make tools): %v", err)
	}
	_, err = State(t.Context(), Project{Name: "accounts", Dir: "stacks/accounts", Program: noop, Rules: policy.Builtin()}, opts)
	require.ErrorIs(t, err, ErrNoStack)
	assert.ErrorContains(t, err, "stack organization/accounts/dev of accounts: no such stack")
	stacks, err := filepath.Glob(filepath.Join(state, ".pulumi", "stacks", "*", "*"))
	require.NoError(t, err)
	assert.Empty(t, stacks)
}
