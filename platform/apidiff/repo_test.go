package apidiff

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gitRepo is a temporary repository for Repo's tests.
type gitRepo struct {
	t   *testing.T
	dir string
}

func newRepo(t *testing.T) *gitRepo {
	r := &gitRepo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	r.git("config", "user.email", "test@example.com")
	r.git("config", "user.name", "test")
	return r
}

func (r *gitRepo) git(args ...string) {
	r.t.Helper()
	out, err := exec.Command("git", append([]string{"-C", r.dir}, args...)...).CombinedOutput()
	require.NoError(r.t, err, "git %s: %s", strings.Join(args, " "), out)
}

func (r *gitRepo) write(rel, content string) {
	r.t.Helper()
	path := filepath.Join(r.dir, filepath.FromSlash(rel))
	require.NoError(r.t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(r.t, os.WriteFile(path, []byte(content), 0o644))
}

func (r *gitRepo) commit(msg string) {
	r.t.Helper()
	r.git("add", "-A")
	r.git("commit", "-q", "-m", msg)
}

// summary shows results as "path status breaking/warning/compatible".
func summary(results []Result) []string {
	var out []string
	for _, r := range results {
		out = append(out, strings.Join([]string{r.Path, string(r.Status),
			fmt.Sprintf("%d/%d/%d", r.Count(Breaking), r.Count(Warning), r.Count(Compatible))}, " "))
	}
	return out
}

func TestRepo(t *testing.T) {
	r := newRepo(t)
	r.write("stacks/orders/api/v1.yaml", base)
	r.write("stacks/billing/api/v1.yaml", base)
	r.write("stacks/orders/testdata/v1.yaml", "not a spec")
	r.commit("base")
	r.git("checkout", "-q", "-b", "feature")

	// Nothing changed.
	results, err := Repo(r.dir, "main")
	require.NoError(t, err)
	assert.Equal(t, []string{"stacks/billing/api/v1.yaml compared 0/0/0", "stacks/orders/api/v1.yaml compared 0/0/0"}, summary(results))
	require.NoError(t, Check(results))

	// main moves on with an operation that this branch does not have: it is no removal here,
	// because the branch is compared with where it left main.
	r.git("checkout", "-q", "main")
	r.write("stacks/billing/api/v1.yaml", strings.Replace(base, "paths:\n", "paths:\n  /health:\n    get:\n      operationId: health\n      responses:\n        '200': {description: Up.}\n", 1))
	r.commit("health")
	r.git("checkout", "-q", "feature")
	results, err = Repo(r.dir, "main")
	require.NoError(t, err)
	assert.Equal(t, []string{"stacks/billing/api/v1.yaml compared 0/0/0", "stacks/orders/api/v1.yaml compared 0/0/0"}, summary(results))

	// An addition committed, a new major version and a retired one in the working tree: all pass.
	r.write("stacks/orders/api/v1.yaml", strings.Replace(base, "maximum: 100", "maximum: 200", 1))
	r.commit("widen")
	r.write("stacks/orders/api/v2.yaml", base)
	require.NoError(t, os.Remove(filepath.Join(r.dir, "stacks/billing/api/v1.yaml")))
	results, err = Repo(r.dir, "main")
	require.NoError(t, err)
	assert.Equal(t, []string{
		"stacks/billing/api/v1.yaml removed 0/0/0",
		"stacks/orders/api/v1.yaml compared 0/0/1",
		"stacks/orders/api/v2.yaml new 0/0/0",
	}, summary(results))
	require.NoError(t, Check(results))

	// A narrowing in the working tree fails, with oasdiff's message.
	r.write("stacks/orders/api/v1.yaml", strings.Replace(base, "maximum: 100", "maximum: 50", 1))
	results, err = Repo(r.dir, "main")
	require.NoError(t, err)
	assert.Equal(t, []string{
		"stacks/billing/api/v1.yaml removed 0/0/0",
		"stacks/orders/api/v1.yaml compared 1/0/1",
		"stacks/orders/api/v2.yaml new 0/0/0",
	}, summary(results))
	assert.Equal(t, "error at stacks/orders/api/v1.yaml, in API GET /orders for the `query` request parameter `limit`, the max was decreased from `100.00` to `50.00` [request-parameter-max-decreased].",
		results[1].Changes[0].Message)
	assert.ErrorIs(t, Check(results), ErrBreaking)
}

func TestRepoErrors(t *testing.T) {
	r := newRepo(t)
	r.write("stacks/orders/api/v1.yaml", base)
	r.commit("base")
	for baseRef, want := range map[string]string{
		"":        `base "": want a git revision`,
		"--all":   `base "--all": want a git revision`,
		"nowhere": "git merge-base nowhere HEAD: ",
	} {
		_, err := Repo(r.dir, baseRef)
		assert.ErrorContains(t, err, want, baseRef)
	}
	r.write("stacks/orders/api/v1.yaml", "openapi: [")
	_, err := Repo(r.dir, "main")
	assert.ErrorContains(t, err, "stacks/orders/api/v1.yaml: ")
}
