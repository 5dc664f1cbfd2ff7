package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
	"github.com/stratum-platform/stratum/platform/program"
	"github.com/stratum-platform/stratum/platform/tablelock"
	"github.com/stratum-platform/stratum/stacks"
)

// planner plans the registered projects of one environment in one process. A stack
// reference resolves to the referenced project's plan from this run (planned first when it
// was not yet), so a consumer's ARNs are its producer's as they are now.
type planner struct {
	root     string
	env      string
	projects map[string]stacks.Project
	plans    map[string]*plan.Plan
	active   map[string]bool
	progress io.Writer
	// builder builds the handlers of every project: one cache, one bound on parallel builds
	// and one look at the Go toolchain for the whole run.
	builder *function.Builder
}

func newPlanner(root, env string, progress io.Writer) *planner {
	pl := &planner{root: root, env: env, projects: map[string]stacks.Project{},
		plans: map[string]*plan.Plan{}, active: map[string]bool{}, progress: progress,
		builder: function.NewBuilder(function.BuilderOptions{})}
	for _, p := range stacks.All() {
		pl.projects[p.Name] = p
	}
	return pl
}

// plan returns the plan of the named project, with its policy findings.
func (pl *planner) plan(name string) (*plan.Plan, error) {
	if p, ok := pl.plans[name]; ok {
		return p, nil
	}
	proj, ok := pl.projects[name]
	if !ok {
		return nil, fmt.Errorf("no project %q in the registry (stacks/stacks.go); known: %s",
			name, strings.Join(slices.Sorted(maps.Keys(pl.projects)), ", "))
	}
	if pl.active[name] {
		return nil, fmt.Errorf("stack references form a cycle through %s", name)
	}
	pl.active[name] = true
	defer delete(pl.active, name)

	start := time.Now()
	withBuilder := func(ctx *pulumi.Context) error {
		return proj.Program(function.WithBuilder(ctx, pl.builder))
	}
	p, err := program.PlanWithReferences(filepath.Join(pl.root, proj.Dir), pl.env, withBuilder, pl.reference)
	var build *function.BuildError
	if errors.As(err, &build) {
		// The SDK wraps it in what awaited the code, which says nothing to the reader.
		return nil, fmt.Errorf("plan %s/%s: %w", name, pl.env, build)
	}
	if err != nil {
		return nil, err
	}
	// A change that replaces a locked table fails every command that plans (plan, preview,
	// up) before anything runs.
	if err := tablelock.CheckProject(filepath.Join(pl.root, proj.Dir), p); err != nil {
		return nil, err
	}
	if err := policy.Evaluate(p, stacks.Rules(), proj.Suppressions...); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	errs, warns := severities(p)
	fmt.Fprintf(pl.progress, "planned %-14s %-5s %4d resources  %d errors  %d warnings  (%s)\n",
		name, pl.env, len(p.Resources), errs, warns, time.Since(start).Round(10*time.Millisecond))
	pl.plans[name] = p
	return p, nil
}

// reference answers a stack reference "<org>/<project>/<env>" from this run's plans.
func (pl *planner) reference(stack string) (map[string]any, error) {
	parts := strings.Split(stack, "/")
	if len(parts) < 2 {
		return nil, fmt.Errorf("stack reference %q: want <org>/<project>/<env>", stack)
	}
	project, env := parts[len(parts)-2], parts[len(parts)-1]
	if env != pl.env {
		return nil, fmt.Errorf("stack reference %q: a %s stack references environment %s", stack, pl.env, env)
	}
	p, err := pl.plan(project)
	if err != nil {
		return nil, fmt.Errorf("stack reference %q: %w", stack, err)
	}
	return p.Outputs, nil
}

// all plans the named projects, or every registered one, in registry order.
func (pl *planner) all(names []string) ([]*plan.Plan, error) {
	if len(names) == 0 {
		for _, p := range stacks.All() {
			names = append(names, p.Name)
		}
	}
	var out []*plan.Plan
	for _, n := range names {
		p, err := pl.plan(n)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func severities(p *plan.Plan) (errs, warns int) {
	for _, f := range p.Findings {
		switch {
		case f.Suppressed != "":
		case f.Severity == string(policy.Error):
			errs++
		default:
			warns++
		}
	}
	return errs, warns
}

func planCommand(root string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := fs.String("env", "dev", "environment (stack) to plan")
	format := fs.String("format", "text", "text, json or markdown")
	out := fs.String("out", "", "also write each plan as <project>.<env>.plan.json into this directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !slices.Contains([]string{"text", "json", "markdown"}, *format) {
		return fmt.Errorf("plan: --format %q is not text, json or markdown", *format)
	}
	plans, err := newPlanner(root, *env, stderr).all(fs.Args())
	if err != nil {
		return err
	}
	if *out != "" {
		if err := writePlans(*out, plans); err != nil {
			return err
		}
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(plans); err != nil {
			return err
		}
	case "markdown":
		fmt.Fprint(stdout, markdown(*env, plans))
	default:
		for _, p := range plans {
			fmt.Fprintln(stdout, p.Text())
		}
		fmt.Fprint(stdout, summary(plans))
	}
	for _, p := range plans {
		if policy.HasErrors(p) {
			return errFindings
		}
	}
	return nil
}

func writePlans(dir string, plans []*plan.Plan) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, p := range plans {
		b, err := p.JSON()
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, p.Project+"."+p.Stack+".plan.json"), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// summary is the closing table of a text plan: per project, then per resource type.
func summary(plans []*plan.Plan) string {
	var b strings.Builder
	b.WriteString("Summary\n")
	fmt.Fprintf(&b, "  %-16s %9s %7s %9s %11s\n", "project", "resources", "errors", "warnings", "suppressed")
	types := map[string]int{}
	for _, p := range plans {
		errs, warns := severities(p)
		fmt.Fprintf(&b, "  %-16s %9d %7d %9d %11d\n", p.Project, len(p.Resources), errs, warns, len(p.Findings)-errs-warns)
		for t, n := range p.CountByType() {
			types[t] += n
		}
	}
	b.WriteString("\n  resources by type\n")
	for _, t := range slices.Sorted(maps.Keys(types)) {
		fmt.Fprintf(&b, "  %5d  %s\n", types[t], t)
	}
	return b.String()
}

// markdown renders the plans for a pull request comment: the summary as tables, each plan's
// findings, and each plan's text in a collapsed block.
func markdown(env string, plans []*plan.Plan) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Offline plan (%s)\n\n| project | resources | errors | warnings | suppressed |\n| --- | ---: | ---: | ---: | ---: |\n", env)
	for _, p := range plans {
		errs, warns := severities(p)
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d |\n", p.Project, len(p.Resources), errs, warns, len(p.Findings)-errs-warns)
	}
	for _, p := range plans {
		if len(p.Findings) > 0 {
			fmt.Fprintf(&b, "\n### Findings in %s\n\n| rule | severity | resource | message |\n| --- | --- | --- | --- |\n", p.Project)
			for _, f := range p.Findings {
				sev := f.Severity
				if f.Suppressed != "" {
					sev = "suppressed: " + f.Suppressed
				}
				fmt.Fprintf(&b, "| %s | %s | `%s` | %s |\n", f.Rule, sev, f.URN, strings.ReplaceAll(f.Message, "|", "\\|"))
			}
		}
		fmt.Fprintf(&b, "\n<details><summary>%s: %d resources</summary>\n\n```\n%s```\n</details>\n", p.Project, len(p.Resources), p.Text())
	}
	return b.String()
}

// repoRoot is the module root above the working directory.
func repoRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	return plan.ModuleRoot(wd)
}
