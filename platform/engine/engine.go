// Package engine runs Stratum's projects under the real Pulumi engine through the Automation
// API: preview, up and destroy of every project in deploy order, each with the same Program
// that `pulumi up` runs for it and with its own Pulumi.yaml and Pulumi.<env>.yaml.
//
// The stack files are never rewritten: each project runs in a work directory under
// `.stratum/` that holds a copy of them, where the engine keeps what it writes (the
// passphrase salt, the secrets provider's key) from one run to the next.
//
// In local mode nothing reaches AWS: the state is a file backend under
// `.stratum/local/<env>/`, the secrets use a fixed passphrase that only that backend knows,
// and the engine finds the local AWS provider (platform/local) on its PATH.
//
// Before a stack changes, the policy rules run on what the engine is about to do (the
// preview's resource inputs); an error finding stops that stack. After an up of a stack, the
// run waits for the CodeDeploy deployments that its release invocations started (in local
// mode, those the local account emulated); one that fails or rolls back fails the stack.
package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/graph"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
	"github.com/stratum-platform/stratum/platform/release"
)

// Op is what a run does to every stack.
type Op string

// The operations of a run.
const (
	Preview Op = "preview"
	Up      Op = "up"
	Destroy Op = "destroy"
)

// Project is one Pulumi project of a run.
type Project struct {
	// Name is the project name in its Pulumi.yaml. Required.
	Name string
	// Dir holds its Pulumi.yaml, relative to Options.Root or absolute. Required.
	Dir string
	// Program is what `pulumi up` runs for it. Required.
	Program pulumi.RunFunc
	// Rules are the policy rules its plans are checked against: policy.Builtin() and the
	// rules of the extensions the registry uses. Required.
	Rules []policy.Rule
	// Suppressions are the policy suppressions of its plans. Default: none.
	Suppressions []policy.Suppression
	// DependsOn names the projects whose stacks it references; those in the run come first,
	// and their failure skips it (for destroy, the other way round).
	DependsOn []string
	// Offline is its offline plan from the same code. Where the engine cannot know a value
	// before deploying (an ARN AWS has not assigned yet), the policy rules read the offline
	// plan's value for the same resource. Default: none (such values are findings).
	Offline *plan.Plan
}

// Options configure a run.
type Options struct {
	// Root is the repository root. Required.
	Root string
	// Env is the environment: the stack of every project. Required.
	Env string
	// Local runs against a file backend and the local AWS provider. Default: the user's
	// backend, credentials and the real provider.
	Local bool
	// WorkDir holds the work directories, and in local mode the state, the local account and
	// the provider. Default: <Root>/.stratum/local/<Env> in local mode, else
	// <Root>/.stratum/deploy/<Env>.
	WorkDir string
	// PulumiRoot is the directory whose bin/pulumi is the Pulumi CLI. Default: Root when
	// <Root>/bin/pulumi exists (`make tools` builds the pinned CLI there), else the `pulumi`
	// on the PATH.
	PulumiRoot string
	// SecretsProvider encrypts the secrets of stacks the run creates, for example
	// `awskms://alias/acme-pulumi-state` (the key the bootstrap project creates). Default: the
	// passphrase provider (PULUMI_CONFIG_PASSPHRASE); local mode always uses its own passphrase.
	SecretsProvider string
	// Environment is added to the engine's environment (for example fault injection in
	// local mode). Default: none.
	Environment map[string]string
	// Commit is the git commit this run deploys, recorded on every stack an up deploys (the
	// stack tag CommitTag), so that a later failed run can roll the stack back to it. Default:
	// none recorded.
	Commit string
	// NoRollback leaves the stacks a failed up already changed as they are. Default: they are
	// redeployed at the commit recorded by their last successful deploy, in reverse order.
	NoRollback bool
	// NoWait ends an up's stack when the engine is done with it. Default: the stack then
	// waits for the CodeDeploy deployments its release invocations started (in local mode,
	// those the local account emulated), and fails when one fails or is rolled back, which
	// rolls back the run as any failed stack does.
	NoWait bool
	// WaitTimeout bounds that wait, per stack; a stack whose deployments are still running
	// then fails. Default: DefaultWaitTimeout.
	WaitTimeout time.Duration
	// Progress receives one line per resource step. Default: discarded.
	Progress io.Writer
}

// Status is how one stack's part of a run ended.
type Status string

// Statuses of a stack.
const (
	// Succeeded means the operation finished.
	Succeeded Status = "succeeded"
	// Failed means the engine or the program failed.
	Failed Status = "failed"
	// Refused means a policy error finding stopped the stack before any change.
	Refused Status = "refused by policy"
	// Skipped means a stack it depends on did not succeed, so it was not attempted.
	Skipped Status = "skipped"
)

// Result is what happened to one stack.
type Result struct {
	// Project and Stack name the stack; Stack is fully qualified.
	Project, Stack string
	// Status says how it ended; Err says why it did not succeed.
	Status Status
	Err    error
	// Counts of resource steps by kind.
	Creates, Updates, Replaces, Deletes, Unchanged int
	// Replaced and Deleted name the resources (by URN) the run replaces or deletes.
	Replaced, Deleted []string
	// Changed is the operation on every resource that does not stay the same, by URN:
	// create, update, replace or delete.
	Changed map[string]string
	// Findings are the policy findings on what the engine was about to do.
	Findings []plan.Finding
	// Outputs are the stack outputs after an up.
	Outputs map[string]any
	// Duration is the wall time of the stack's part of the run.
	Duration time.Duration
	// PreviousCommit is the commit of the stack's last successful deploy, before this run.
	PreviousCommit string
	// Applied is true when the engine applied every change of an up, even if the stack then
	// failed because a release did not succeed.
	Applied bool
	// Deployments are the deployments that the up's releases started, as the wait left them.
	Deployments []release.Deployment
	// Rollback says what happened when a later stack's failure rolled this one back; nil when
	// it was not rolled back.
	Rollback *Rollback
}

// Rollback is the redeploy of a stack at the commit of its last successful deploy.
type Rollback struct {
	// Commit is the commit it was redeployed at; empty when there was none to go back to.
	Commit string
	// Err says why the rollback failed; nil when the stack is back at Commit.
	Err error
}

// Run runs op on every project, in the given deploy order (destroy: in reverse), one stack
// at a time. A failure skips the stacks that depend on the failed one, and the run goes on
// with the others; the error then names every stack that did not succeed.
func Run(ctx context.Context, op Op, projects []Project, opts Options) ([]Result, error) {
	if err := opts.validate(op, projects); err != nil {
		return nil, err
	}
	r, err := newRunner(ctx, opts)
	if err != nil {
		return nil, err
	}
	order := slices.Clone(projects)
	blockers := dependencies(projects)
	if op == Destroy {
		slices.Reverse(order)
		blockers = dependents(projects)
	}
	var results []Result
	status := map[string]Status{}
	var failed []error
	for _, p := range order {
		var res Result
		if blocked := blockedBy(blockers[p.Name], status); blocked != "" {
			res = Result{Project: p.Name, Status: Skipped,
				Err: fmt.Errorf("not attempted: %s did not succeed", blocked)}
		} else {
			res = r.run(ctx, op, p)
		}
		status[p.Name] = res.Status
		if res.Status != Succeeded {
			failed = append(failed, fmt.Errorf("%s: %s: %w", p.Name, res.Status, res.Err))
		}
		results = append(results, res)
	}
	if op == Up && len(failed) > 0 && !opts.NoRollback {
		failed = append(failed, r.rollBack(ctx, projects, results)...)
	}
	return results, errors.Join(failed...)
}

func (o *Options) validate(op Op, projects []Project) error {
	var errs []error
	if !slices.Contains([]Op{Preview, Up, Destroy}, op) {
		errs = append(errs, fmt.Errorf("operation %q is not preview, up or destroy", op))
	}
	if o.Root == "" {
		errs = append(errs, errors.New("Root: is required (the repository root)"))
	}
	if o.Env == "" {
		errs = append(errs, errors.New("Env: is required (the stack of every project)"))
	}
	index := map[string]int{}
	for i, p := range projects {
		if _, dup := index[p.Name]; !dup {
			index[p.Name] = i
		}
	}
	for i, p := range projects {
		if p.Name == "" || p.Dir == "" || p.Program == nil || len(p.Rules) == 0 {
			errs = append(errs, fmt.Errorf("projects[%d] %q: Name, Dir, Program and Rules are required", i, p.Name))
		}
		if index[p.Name] != i {
			errs = append(errs, fmt.Errorf("projects[%d]: %q appears twice", i, p.Name))
		}
		for _, d := range p.DependsOn {
			if at, in := index[d]; in && at > i {
				errs = append(errs, fmt.Errorf("projects[%d] %q: depends on %q, which comes after it", i, p.Name, d))
			}
		}
	}
	if len(projects) == 0 {
		errs = append(errs, errors.New("no projects to run"))
	}
	if o.WaitTimeout < 0 {
		errs = append(errs, fmt.Errorf("WaitTimeout: must be positive (0 is the default, %s), got %s", DefaultWaitTimeout, o.WaitTimeout))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("engine: %w", err)
	}
	o.defaults()
	return nil
}

func (o *Options) defaults() {
	if o.WorkDir == "" {
		mode := "deploy"
		if o.Local {
			mode = "local"
		}
		o.WorkDir = filepath.Join(o.Root, ".stratum", mode, o.Env)
	}
	if o.WaitTimeout == 0 {
		o.WaitTimeout = DefaultWaitTimeout
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
}

func dependencies(projects []Project) map[string][]string {
	out := map[string][]string{}
	for _, p := range projects {
		out[p.Name] = p.DependsOn
	}
	return out
}

func dependents(projects []Project) map[string][]string {
	out := map[string][]string{}
	for _, p := range projects {
		for _, d := range p.DependsOn {
			out[d] = append(out[d], p.Name)
		}
	}
	return out
}

// blockedBy returns the first of names that ran and did not succeed.
func blockedBy(names []string, status map[string]Status) string {
	for _, n := range names {
		if s, ran := status[n]; ran && s != Succeeded {
			return n
		}
	}
	return ""
}

// Order returns the projects in deploy order, derived from the stack references of their
// offline plans (one per project, as `stratum order` reads them), each with its plan and the
// projects it references. With names, only those projects are returned, depending only on
// each other.
func Order(projects []Project, plans []*plan.Plan, names ...string) ([]Project, error) {
	order, err := graph.Order(plans)
	if err != nil {
		return nil, err
	}
	byName := map[string]Project{}
	for _, p := range projects {
		byName[p.Name] = p
	}
	offline := map[string]*plan.Plan{}
	for _, p := range plans {
		offline[p.Project] = p
	}
	for _, n := range append(slices.Clone(names), order...) {
		if _, ok := byName[n]; !ok {
			return nil, fmt.Errorf("engine: no project %q among the projects (%d given)", n, len(projects))
		}
	}
	selected := func(n string) bool { return len(names) == 0 || slices.Contains(names, n) }
	var out []Project
	for _, name := range order {
		if !selected(name) {
			continue
		}
		p := byName[name]
		p.Offline, p.DependsOn = offline[name], nil
		for _, d := range graph.References(offline[name]) {
			if selected(d) {
				p.DependsOn = append(p.DependsOn, d)
			}
		}
		out = append(out, p)
	}
	return out, nil
}
