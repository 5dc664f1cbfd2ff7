// Package program is the entrypoint of every Stratum project. Main runs the project's program
// under the Pulumi engine, or, with `plan`, offline under the plan engine with the project's
// real Pulumi.yaml and Pulumi.<env>.yaml.
package program

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/plan"
)

// Main runs program: with no arguments under the Pulumi engine (`pulumi up`, `pulumi
// preview`), with `plan [--env dev] [--format text|json] [--out FILE] [--dir DIR]` offline.
// Any error exits non-zero with one message.
func Main(program pulumi.RunFunc) {
	if len(os.Args) < 2 {
		pulumi.Run(program)
		return
	}
	if err := Command(os.Args[1:], os.Stdout, program); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// Command runs one command of Main with its arguments (without the program name).
func Command(args []string, stdout io.Writer, program pulumi.RunFunc) error {
	if args[0] != "plan" {
		return fmt.Errorf("unknown command %q: run without arguments under Pulumi, or `plan [--env dev] [--format text|json] [--out FILE] [--dir DIR]`", args[0])
	}
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	env := fs.String("env", "dev", "environment (stack) to plan")
	format := fs.String("format", "text", "output format: text or json")
	out := fs.String("out", "", "write the plan to this file instead of standard output")
	dir := fs.String("dir", ".", "directory holding the project's Pulumi.yaml")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("plan: unexpected argument %q", fs.Arg(0))
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("plan: --format %q is not text or json", *format)
	}
	p, err := Plan(*dir, *env, program)
	if err != nil {
		return err
	}
	var b []byte
	if *format == "json" {
		if b, err = p.JSON(); err != nil {
			return err
		}
	} else {
		b = []byte(p.Text())
	}
	if *out == "" {
		_, err = stdout.Write(b)
		return err
	}
	return os.WriteFile(*out, b, 0o644)
}

// Plan runs program offline for the project in dir and the environment env, with the
// project's own config files. Config problems are reported, all at once, before the program
// runs. Stack references resolve to the referenced projects' golden plans.
func Plan(dir, env string, program pulumi.RunFunc) (*plan.Plan, error) {
	return PlanWithReferences(dir, env, program, nil)
}

// PlanWithReferences is Plan with stack references answered by reference; nil means the
// referenced projects' golden plans (plan.GoldenReferences).
func PlanWithReferences(dir, env string, program pulumi.RunFunc, reference func(string) (map[string]any, error)) (*plan.Plan, error) {
	proj, err := config.ReadProject(dir, env)
	if err != nil {
		return nil, err
	}
	cfg, err := config.Parse(proj.Name, env, proj.Raw)
	if err != nil {
		return nil, fmt.Errorf("project %s, stack %s: invalid config:\n%w", proj.Name, env, indent(err))
	}
	opts := plan.Options{Project: proj.Name, Stack: env, Dir: dir, Region: cfg.Region, Account: cfg.AccountID, Config: proj.Raw}
	opts.Reference = reference
	if reference == nil {
		if root, err := plan.ModuleRoot(dir); err == nil {
			opts.Reference = plan.GoldenReferences(root)
		}
	}
	return plan.Run(opts, program)
}

// indent puts each joined error on its own indented line.
func indent(err error) error {
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) {
		return fmt.Errorf("  %w", err)
	}
	var out []error
	for _, e := range joined.Unwrap() {
		out = append(out, fmt.Errorf("  %w", e))
	}
	return errors.Join(out...)
}
