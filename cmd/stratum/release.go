package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy/types"

	"github.com/stratum-platform/stratum/platform/engine"
	"github.com/stratum-platform/stratum/platform/release"
	"github.com/stratum-platform/stratum/stacks"
)

const releaseWaitHelp = `usage: stratum release wait [--env dev] [--local] [--timeout 45m] [project ...]

Follows the CodeDeploy deployment of each function's last release (the deployment that the
release invocation <function>-release reported in the stack's state) until it ends, and
prints one line per deployment: project, function, deployment, final status and, when it
failed or was stopped, CodeDeploy's reason and rollback. It exits non-zero when one failed or
was rolled back, or when --timeout passes first. ` + "`stratum up`" + ` already waits for the
deployments it started (unless --no-wait); this command follows them again, or after an up
--no-wait.

With --local it reads the deployments that the local account emulated.`

// releaseCommand runs `stratum release wait`.
func releaseCommand(root string, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "wait" {
		return errors.New("release: the one subcommand is wait\n" + releaseWaitHelp)
	}
	fs := flag.NewFlagSet("release wait", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, releaseWaitHelp)
		fs.PrintDefaults()
	}
	env := fs.String("env", "dev", "environment (stack)")
	local := fs.Bool("local", false, "local mode: the deployments the local account emulated")
	timeout := fs.Duration("timeout", engine.DefaultWaitTimeout, "how long to wait for the deployments to end, reading the states included")
	workDir := fs.String("work-dir", "", "where the work copies live (default .stratum/deploy/<env>, with --local .stratum/local/<env>)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *timeout <= 0 {
		return fmt.Errorf("release wait: --timeout must be positive, got %s", *timeout)
	}
	projects, err := registered(fs.Args())
	if err != nil {
		return fmt.Errorf("release wait: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	opts := engine.Options{Root: root, Env: *env, Local: *local, WorkDir: *workDir, Progress: stderr}
	var all []engine.Awaited
	route := byDeployment{}
	clients := map[string]release.DeploymentGetter{}
	for _, p := range projects {
		ep := engine.Project{Name: p.Name, Dir: p.Dir, Program: p.Program, Rules: stacks.Rules()}
		resources, err := engine.State(ctx, ep, opts)
		if errors.Is(err, engine.ErrNoStack) {
			fmt.Fprintf(stderr, "stratum release wait: %s has no %s stack; nothing to wait for there\n", p.Name, *env)
			continue
		}
		if err != nil {
			return fmt.Errorf("release wait: the state of %s: %w", p.Name, err)
		}
		found, err := engine.Releases(p.Name, resources)
		if err != nil {
			return fmt.Errorf("release wait: %w", err)
		}
		if len(found) == 0 {
			continue
		}
		region, err := engine.Region(root, ep, *env)
		if err != nil {
			return fmt.Errorf("release wait: %w", err)
		}
		if clients[region] == nil {
			if clients[region], err = engine.Deployments(ctx, opts, region); err != nil {
				return fmt.Errorf("release wait: %w", err)
			}
		}
		for _, a := range found {
			route[a.DeploymentID] = clients[region]
		}
		all = append(all, found...)
	}
	if len(all) == 0 {
		fmt.Fprintf(stdout, "stratum release wait: no release invocation of %s reported a deployment; nothing to wait for\n", *env)
		return nil
	}
	fmt.Fprintf(stderr, "stratum release wait: following %d deployments (timeout %s)\n", len(all), *timeout)
	return follow(ctx, route, all, release.WaitOptions{Progress: func(d release.Deployment) {
		fmt.Fprintf(stderr, "%s %s: %s\n", d.ID, d.Function, d.Status)
	}}, stdout)
}

// registered returns the registry's projects in its order, or the named ones.
func registered(names []string) ([]stacks.Project, error) {
	all := stacks.All()
	var known []string
	for _, p := range all {
		known = append(known, p.Name)
	}
	for _, n := range names {
		if !slices.Contains(known, n) {
			return nil, fmt.Errorf("no project %q in the registry (stacks/stacks.go); known: %s", n, strings.Join(known, ", "))
		}
	}
	if len(names) == 0 {
		return all, nil
	}
	return slices.DeleteFunc(all, func(p stacks.Project) bool { return !slices.Contains(names, p.Name) }), nil
}

// byDeployment sends each GetDeployment to the client of the deployment's region.
type byDeployment map[string]release.DeploymentGetter

func (b byDeployment) GetDeployment(ctx context.Context, in *codedeploy.GetDeploymentInput, optFns ...func(*codedeploy.Options)) (*codedeploy.GetDeploymentOutput, error) {
	client, ok := b[aws.ToString(in.DeploymentId)]
	if !ok {
		return nil, fmt.Errorf("no client for deployment %s", aws.ToString(in.DeploymentId))
	}
	return client.GetDeployment(ctx, in, optFns...)
}

// follow waits for the deployments, prints one line per deployment to w and returns nil only
// when every one succeeded.
func follow(ctx context.Context, client release.DeploymentGetter, all []engine.Awaited, opts release.WaitOptions, w io.Writer) error {
	ids := make([]string, len(all))
	for i, a := range all {
		ids[i] = a.DeploymentID
	}
	got, err := release.Wait(ctx, client, ids, opts)
	return report(w, all, got, err)
}

// report prints project, function, deployment and status of each awaited deployment, with
// CodeDeploy's reason when it failed or stopped, and returns the verdict: an error when one
// did not succeed, when one could not be read, or when the wait ran out of time (waitErr).
func report(w io.Writer, all []engine.Awaited, got []release.Deployment, waitErr error) error {
	byID := map[string]release.Deployment{}
	for _, d := range got {
		byID[d.ID] = d
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	failed := 0
	for _, a := range all {
		status := "unknown"
		d, ok := byID[a.DeploymentID]
		if ok {
			status = d.Status
		}
		line := fmt.Sprintf("%s\t%s\t%s\t%s", a.Project, a.Function, a.DeploymentID, status)
		if ok && d.Done() && types.DeploymentStatus(d.Status) != types.DeploymentStatusSucceeded {
			failed++
			if reason := d.Reason(); reason != "" {
				line += ": " + reason
			}
		}
		fmt.Fprintln(tw, line)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var errs []error
	if failed > 0 {
		errs = append(errs, fmt.Errorf("release wait: %d of %d deployments failed or were stopped", failed, len(all)))
	}
	// Wait's other errors: a deployment it could not read, or the timeout.
	for _, err := range unjoin(waitErr) {
		if _, ok := errors.AsType[*release.DeploymentError](err); ok {
			continue
		}
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("release wait: timed out: %w", err)
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// unjoin returns the errors that errors.Join joined into err, or err itself.
func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
