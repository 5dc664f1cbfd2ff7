package engine

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
)

// CommitTag is the stack tag holding the git commit of the stack's last successful deploy.
const CommitTag = "stratum:commit"

// rollBack redeploys, in reverse order, every stack whose changes this up applied, at the
// commit of its last successful deploy; it returns why any could not be. That includes a
// stack whose release then failed: CodeDeploy put its alias back, but its state, its other
// resources and its published version are the new commit's, and the old code must not run
// with the new configuration and permissions.
func (r *runner) rollBack(ctx context.Context, projects []Project, results []Result) []error {
	byName := map[string]Project{}
	for _, p := range projects {
		byName[p.Name] = p
	}
	var errs []error
	for i := len(results) - 1; i >= 0; i-- {
		res := &results[i]
		if !res.Applied || len(res.Changed) == 0 {
			continue
		}
		res.Rollback = &Rollback{Commit: res.PreviousCommit}
		switch res.PreviousCommit {
		case "":
			res.Rollback.Err = fmt.Errorf("no earlier deploy of %s is recorded, so it stays as this run left it", res.Project)
		case r.opts.Commit:
			res.Rollback.Err = fmt.Errorf("its last deploy was this same commit %s", res.PreviousCommit)
		default:
			fmt.Fprintf(r.opts.Progress, "  %-14s rolling back to %s\n", res.Project, res.PreviousCommit)
			res.Rollback.Err = r.redeploy(ctx, byName[res.Project], res.PreviousCommit)
		}
		if res.Rollback.Err != nil {
			errs = append(errs, fmt.Errorf("%s: rollback: %w", res.Project, res.Rollback.Err))
		}
	}
	return errs
}

// redeploy runs `stratum up` of p with the stratum command, program and handlers of commit:
// from a temporary git worktree of the repository, against the same backend and, in local
// mode, the same local account.
func (r *runner) redeploy(ctx context.Context, p Project, commit string) error {
	tmp, err := os.MkdirTemp("", "stratum-rollback-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	tree := filepath.Join(tmp, "tree")
	if out, err := r.git(ctx, "worktree", "add", "--detach", tree, commit); err != nil {
		return fmt.Errorf("checking out %s: %w\n%s", commit, err, out)
	}
	defer func() { _, _ = r.git(context.WithoutCancel(ctx), "worktree", "remove", "--force", tree) }()

	args := []string{"run", "./cmd/stratum", "up", "--env", r.opts.Env, "--no-rollback", "--work-dir", r.opts.WorkDir}
	if r.opts.Local {
		args = append(args, "--local")
	}
	if r.opts.SecretsProvider != "" {
		args = append(args, "--secrets-provider", r.opts.SecretsProvider)
	}
	cmd := exec.CommandContext(ctx, "go", append(args, p.Name)...)
	cmd.Dir = tree
	// The worktree has no bin/ (it is not in git): the commit's stratum uses this run's CLI.
	cmd.Env = append(slices.Clone(os.Environ()), "PATH="+r.cli+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd.Stdout, cmd.Stderr = r.opts.Progress, r.opts.Progress
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("stratum up of %s at %s: %w", p.Name, commit, err)
	}
	return nil
}

func (r *runner) git(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = r.opts.Root
	return cmd.CombinedOutput()
}
