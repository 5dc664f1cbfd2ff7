package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/engine"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
	"github.com/stratum-platform/stratum/stacks"
)

// engineCommand runs preview, up or destroy of the registered projects (or the named ones)
// under the real Pulumi engine, in the deploy order of their stack references.
func engineCommand(root string, op engine.Op, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet(string(op), flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := fs.String("env", "dev", "environment (stack)")
	local := fs.Bool("local", false, "rehearse offline: a file backend under .stratum/local/<env> and the local AWS provider")
	format := fs.String("format", "text", "text, json or markdown")
	workDir := fs.String("work-dir", "", "where the work copies (and in local mode the state and account) live (default .stratum/<local|deploy>/<env>)")
	noRollback := fs.Bool("no-rollback", false, "after a failed up, leave the stacks it changed as they are instead of redeploying their last recorded commit")
	secrets := fs.String("secrets-provider", "", "secrets provider of stacks this run creates, e.g. awskms://alias/<org>-pulumi-state (default: passphrase)")
	noWait := fs.Bool("no-wait", false, "up: do not wait for the CodeDeploy deployments of each stack's releases (follow them later with `stratum release wait`)")
	waitTimeout := fs.Duration("wait-timeout", engine.DefaultWaitTimeout, "up: how long each stack waits for its releases' deployments before it fails")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *waitTimeout <= 0 {
		return fmt.Errorf("%s: --wait-timeout must be positive, got %s", op, *waitTimeout)
	}
	if !slices.Contains([]string{"text", "json", "markdown"}, *format) {
		return fmt.Errorf("%s: --format %q is not text, json or markdown", op, *format)
	}
	if *local {
		fmt.Fprintf(stderr, "stratum %s: LOCAL MODE: file backend under .stratum/local/%s, local AWS provider; nothing reaches AWS\n", op, *env)
	}
	projects, err := engineProjects(root, *env, fs.Args(), stderr)
	if err != nil {
		return err
	}
	if op == engine.Up {
		// The offline plans run the same rules; an error there stops the run before any
		// stack changes.
		for _, p := range projects {
			if policy.HasErrors(p.Offline) {
				fmt.Fprint(stdout, findingsText(p.Offline))
				return fmt.Errorf("up: the offline plan of %s has policy errors; nothing was changed", p.Name)
			}
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opts := engine.Options{Root: root, Env: *env, Local: *local, WorkDir: *workDir, NoRollback: *noRollback,
		NoWait: *noWait, WaitTimeout: *waitTimeout, SecretsProvider: *secrets, Progress: stderr}
	if op == engine.Up {
		opts.Commit = commit(root, stderr)
	}
	results, runErr := engine.Run(ctx, op, projects, opts)
	switch *format {
	case "json":
		if err := writeJSON(stdout, engine.JSON(results)); err != nil {
			return err
		}
	case "markdown":
		fmt.Fprint(stdout, engine.Markdown(op, *env, *local, results))
	default:
		fmt.Fprint(stdout, engine.Text(op, *env, results))
	}
	return runErr
}

// engineProjects plans every registered project offline (checking each one's config and
// policy the way `stratum plan` does) and returns the named ones, or all, in deploy order.
func engineProjects(root, env string, names []string, progress io.Writer) ([]engine.Project, error) {
	plans, err := newPlanner(root, env, progress).all(nil)
	if err != nil {
		return nil, err
	}
	var projects []engine.Project
	for _, p := range stacks.All() {
		projects = append(projects, engine.Project{Name: p.Name, Dir: p.Dir, Program: p.Program,
			Rules: stacks.Rules(), Suppressions: p.Suppressions})
	}
	return engine.Order(projects, plans, names...)
}

// commit is the checked-out commit when the working tree is clean: a rollback redeploys the
// recorded commit, so a run with uncommitted changes records nothing (and says so).
func commit(root string, progress io.Writer) string {
	head, err := exec.Command("git", "-C", root, "rev-parse", "HEAD").Output()
	if err != nil {
		fmt.Fprintln(progress, "stratum up: not a git checkout; the deploy records no commit to roll back to")
		return ""
	}
	if dirty, err := exec.Command("git", "-C", root, "status", "--porcelain").Output(); err != nil || len(dirty) > 0 {
		fmt.Fprintln(progress, "stratum up: the working tree has uncommitted changes; the deploy records no commit to roll back to")
		return ""
	}
	return strings.TrimSpace(string(head))
}

func findingsText(p *plan.Plan) string {
	out := ""
	for _, f := range p.Findings {
		if f.Severity == string(policy.Error) && f.Suppressed == "" {
			out += fmt.Sprintf("%s: %s %s: %s\n", p.Project, f.Rule, f.URN, f.Message)
		}
	}
	return out
}
