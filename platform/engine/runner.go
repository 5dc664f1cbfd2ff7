package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/local"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
	"github.com/stratum-platform/stratum/platform/project"
	"github.com/stratum-platform/stratum/platform/stackref"
)

// LocalPassphrase encrypts the secrets of local-mode stacks. It protects nothing: the local
// backend holds no real secret, and no other backend uses it.
const LocalPassphrase = "stratum-local-rehearsal"

// runner holds what every stack of one run shares.
type runner struct {
	opts Options
	cmd  auto.PulumiCommand
	// cli is the directory of the Pulumi CLI, for the stratum of another commit (rollback).
	cli string
	env map[string]string
}

func newRunner(ctx context.Context, opts Options) (*runner, error) {
	cmd, cli, err := pulumiCommand(opts)
	if err != nil {
		return nil, err
	}
	r := &runner{opts: opts, cmd: cmd, cli: cli, env: map[string]string{"PULUMI_SKIP_UPDATE_CHECK": "true"}}
	if opts.Local {
		if err := r.localMode(ctx); err != nil {
			return nil, err
		}
	}
	for k, v := range opts.Environment {
		r.env[k] = v
	}
	return r, nil
}

// pulumiCommand finds the pinned CLI that `make tools` builds, else the one on the PATH, and
// returns the directory that holds it.
func pulumiCommand(opts Options) (auto.PulumiCommand, string, error) {
	root := opts.PulumiRoot
	if _, err := os.Stat(filepath.Join(opts.Root, "bin", "pulumi")); err == nil && root == "" {
		root = opts.Root
	}
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: root})
	if err != nil {
		return nil, "", fmt.Errorf("engine: the Pulumi CLI: %w (run `make tools` to build the pinned CLI into ./bin)", err)
	}
	if root != "" {
		return cmd, filepath.Join(root, "bin"), nil
	}
	path, err := exec.LookPath("pulumi")
	if err != nil {
		return nil, "", fmt.Errorf("engine: the Pulumi CLI: %w", err)
	}
	return cmd, filepath.Dir(path), nil
}

// localMode points the engine at a file backend and the local AWS and awsx providers, built
// from this repository into the run's own directory, so that they are never on a PATH a real
// deploy uses.
func (r *runner) localMode(ctx context.Context) error {
	bin := filepath.Join(r.opts.WorkDir, "bin")
	state := filepath.Join(r.opts.WorkDir, "state")
	for _, d := range []string{bin, state} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("engine: local mode: %w", err)
		}
	}
	// The awsx plugin serves remote components by registering children the aws one serves.
	build := exec.CommandContext(ctx, "go", "build", "-o", bin+string(os.PathSeparator),
		"./cmd/pulumi-resource-aws", "./cmd/pulumi-resource-awsx")
	build.Dir = r.opts.Root
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("engine: building the local providers: %w\n%s", err, out)
	}
	r.env["PULUMI_BACKEND_URL"] = "file://" + filepath.ToSlash(state)
	r.env["PULUMI_CONFIG_PASSPHRASE"] = LocalPassphrase
	r.env["PULUMI_HOME"] = filepath.Join(r.opts.WorkDir, "home")
	r.env["PATH"] = bin + string(os.PathListSeparator) + os.Getenv("PATH")
	r.env[local.EnvAccount] = filepath.Join(r.opts.WorkDir, "account.json")
	return nil
}

// run runs op on one project's stack.
func (r *runner) run(ctx context.Context, op Op, p Project) Result {
	start := time.Now()
	res := Result{Project: p.Name}
	finish := func(status Status, err error) Result {
		res.Status, res.Err, res.Duration = status, err, time.Since(start)
		return res
	}
	stack, err := r.stack(ctx, p, true)
	if err != nil {
		return finish(Failed, err)
	}
	res.Stack = stack.Name()
	progress := r.opts.Progress
	if op != Preview {
		progress = io.Discard // the operation itself reports the steps its preview foresaw
	}
	w := newWatcher(progress, p.Name)

	if op == Destroy {
		// The preview refuses what the destroy would refuse (a protected resource) before
		// anything is deleted; the destroy itself would delete what it can first.
		_, err := stack.PreviewDestroy(ctx, optdestroy.EventStreams(w.events()), optdestroy.SuppressProgress())
		w.wait()
		if err != nil {
			return finish(Failed, errors.Join(protected(ctx, stack), w.failure(err)))
		}
		w = newWatcher(r.opts.Progress, p.Name)
		_, err = stack.Destroy(ctx, optdestroy.EventStreams(w.events()), optdestroy.SuppressProgress())
		w.wait()
		w.count(&res)
		if err != nil {
			return finish(Failed, w.failure(err))
		}
		return finish(Succeeded, nil)
	}

	_, err = stack.Preview(ctx, optpreview.EventStreams(w.events()), optpreview.SuppressProgress())
	w.wait()
	w.count(&res)
	if err != nil {
		if op != Preview { // nothing happened: only say what the engine meant to replace
			res = Result{Project: res.Project, Stack: res.Stack, Replaced: res.Replaced}
		}
		return finish(Failed, w.failure(err))
	}
	planned := w.plan(p.Name, r.opts.Env, p.Offline)
	if err := policy.Evaluate(planned, p.Rules, p.Suppressions...); err != nil {
		return finish(Refused, err)
	}
	res.Findings = planned.Findings
	if policy.HasErrors(planned) {
		return finish(Refused, findingsError(planned.Findings))
	}
	if op == Preview {
		return finish(Succeeded, nil)
	}

	if res.PreviousCommit, err = stack.Workspace().GetTag(ctx, stack.Name(), CommitTag); err != nil {
		res.PreviousCommit = "" // a stack never deployed by stratum has no tag
	}
	w = newWatcher(r.opts.Progress, p.Name)
	up, err := stack.Up(ctx, optup.EventStreams(w.events()), optup.SuppressProgress())
	w.wait()
	res.Replaced, res.Deleted = nil, nil
	w.count(&res)
	if err != nil {
		return finish(Failed, w.failure(err))
	}
	res.Applied = true
	res.Outputs = map[string]any{}
	for k, v := range up.Outputs {
		res.Outputs[k] = v.Value
		if v.Secret {
			res.Outputs[k] = plan.Secret
		}
	}
	if !r.opts.NoWait {
		// The commit is recorded only once its releases succeeded: it is what a rollback
		// returns to.
		resources, err := export(ctx, stack)
		if err == nil {
			err = r.awaitReleases(ctx, p, resources, &res)
		}
		if err != nil {
			return finish(Failed, err)
		}
	}
	if r.opts.Commit != "" {
		if err := stack.Workspace().SetTag(ctx, stack.Name(), CommitTag, r.opts.Commit); err != nil {
			return finish(Failed, fmt.Errorf("deployed, but recording commit %s on the stack failed: %w", r.opts.Commit, err))
		}
	}
	return finish(Succeeded, nil)
}

// stack selects the project's stack in its work directory (creating it when new and create
// is set, else failing with ErrNoStack), with the project's program told where the project's
// files are.
func (r *runner) stack(ctx context.Context, p Project, create bool) (auto.Stack, error) {
	dir := p.Dir
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(r.opts.Root, dir)
	}
	proj, err := config.ReadProject(dir, r.opts.Env)
	if err != nil {
		return auto.Stack{}, err
	}
	cfg, err := config.Parse(proj.Name, r.opts.Env, proj.Raw)
	if err != nil {
		return auto.Stack{}, fmt.Errorf("stack %s: invalid config:\n%w", r.opts.Env, err)
	}
	if proj.Name != p.Name {
		return auto.Stack{}, fmt.Errorf("%s/Pulumi.yaml names project %q, not %q", p.Dir, proj.Name, p.Name)
	}
	work := filepath.Join(r.opts.WorkDir, "projects", p.Name)
	if err := copyProject(dir, work, r.opts.Env); err != nil {
		return auto.Stack{}, err
	}
	env := map[string]string{}
	for k, v := range r.env {
		env[k] = v
	}
	if r.opts.Local {
		env[local.EnvAccountID] = cfg.AccountID
		if cfg.AccountID == "" {
			env[local.EnvAccountID] = plan.DefaultAccount
		}
	}
	program := func(ctx *pulumi.Context) error { return p.Program(project.WithDir(ctx, dir)) }
	options := []auto.LocalWorkspaceOption{auto.Program(program), auto.WorkDir(work), auto.Pulumi(r.cmd), auto.EnvVars(env)}
	if r.opts.SecretsProvider != "" && !r.opts.Local {
		options = append(options, auto.SecretsProvider(r.opts.SecretsProvider))
	}
	ws, err := auto.NewLocalWorkspace(ctx, options...)
	if err != nil {
		return auto.Stack{}, fmt.Errorf("workspace of %s: %w", p.Name, err)
	}
	name := stackref.StackName(cfg.PlatformStack, p.Name)
	if !create {
		stack, err := auto.SelectStack(ctx, name, ws)
		if auto.IsSelectStack404Error(err) {
			return auto.Stack{}, fmt.Errorf("stack %s of %s: %w", name, p.Name, ErrNoStack)
		}
		if err != nil {
			return auto.Stack{}, fmt.Errorf("stack of %s: %w", p.Name, err)
		}
		return stack, nil
	}
	stack, err := auto.UpsertStack(ctx, name, ws)
	if err != nil {
		return auto.Stack{}, fmt.Errorf("stack of %s: %w", p.Name, err)
	}
	return stack, nil
}

func findingsError(findings []plan.Finding) error {
	var errs []error
	for _, f := range findings {
		if f.Severity == string(policy.Error) && f.Suppressed == "" {
			errs = append(errs, fmt.Errorf("%s: %s: %s", f.Rule, f.URN, f.Message))
		}
	}
	return errors.Join(errs...)
}

// protected names every protected resource in the stack's state: the engine stops at the
// first it meets.
func protected(ctx context.Context, stack auto.Stack) error {
	resources, err := export(ctx, stack)
	if err != nil {
		return err
	}
	var names []string
	for _, r := range resources {
		if r.Protect {
			names = append(names, r.URN)
		}
	}
	if len(names) == 0 {
		return nil
	}
	return fmt.Errorf("%d resources are protected, so the stack cannot be destroyed:\n  %s",
		len(names), strings.Join(names, "\n  "))
}

// StateResource is one resource in a stack's state, as the engine recorded it.
type StateResource struct {
	URN, Type, ID string
	Protect       bool
	Outputs       map[string]any
}

// ErrNoStack is State's error when the project has no stack in the environment.
var ErrNoStack = errors.New("no such stack")

// State returns the resources the engine holds in the state of p's stack, without the
// engine's own (the stack and its providers). It reads and never creates: a project without a
// stack in the environment is an error that wraps ErrNoStack.
func State(ctx context.Context, p Project, opts Options) ([]StateResource, error) {
	p.DependsOn = nil
	if err := opts.validate(Preview, []Project{p}); err != nil {
		return nil, err
	}
	r, err := newRunner(ctx, opts)
	if err != nil {
		return nil, err
	}
	stack, err := r.stack(ctx, p, false)
	if err != nil {
		return nil, err
	}
	return export(ctx, stack)
}

func export(ctx context.Context, stack auto.Stack) ([]StateResource, error) {
	exported, err := stack.Export(ctx)
	if err != nil {
		return nil, fmt.Errorf("exporting the state of %s: %w", stack.Name(), err)
	}
	var d apitype.DeploymentV3
	if err := json.Unmarshal(exported.Deployment, &d); err != nil {
		return nil, fmt.Errorf("reading the state of %s: %w", stack.Name(), err)
	}
	var out []StateResource
	for _, res := range d.Resources {
		if internalType(string(res.Type)) {
			continue
		}
		out = append(out, StateResource{URN: string(res.URN), Type: string(res.Type), ID: string(res.ID),
			Protect: res.Protect, Outputs: res.Outputs})
	}
	return out, nil
}
