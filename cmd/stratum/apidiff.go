package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/stratum-platform/stratum/platform/apidiff"
)

// apiDiffCommand compares every API spec with the same file where the branch left --base and
// fails on a breaking change, with oasdiff's message for each.
func apiDiffCommand(root string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("api-diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("base", "", "git revision to compare with, e.g. origin/main")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *base == "" {
		return errors.New("api-diff: --base is required")
	}
	results, err := apidiff.Repo(root, *base)
	if err != nil {
		return fmt.Errorf("api-diff: %w", err)
	}
	writeAPIDiff(stdout, *base, results)
	if err := apidiff.Check(results); err != nil {
		return fmt.Errorf("api-diff: %w", err)
	}
	return nil
}

// writeAPIDiff prints one line per spec, then oasdiff's message for every breaking change and
// warning; compatible changes are only counted.
func writeAPIDiff(w io.Writer, base string, results []apidiff.Result) {
	fmt.Fprintf(w, "API specs compared with %s (where this branch left it):\n", base)
	if len(results) == 0 {
		fmt.Fprintln(w, "  no spec (stacks/<context>/api/v<N>.yaml) on either side")
	}
	for _, r := range results {
		switch r.Status {
		case apidiff.New:
			fmt.Fprintf(w, "  %s: new, nothing to break\n", r.Path)
		case apidiff.Removed:
			fmt.Fprintf(w, "  %s: removed: the major version is retired\n", r.Path)
		default:
			breaking, warnings, compatible := r.Count(apidiff.Breaking), r.Count(apidiff.Warning), r.Count(apidiff.Compatible)
			verdict := "compatible"
			if breaking > 0 {
				verdict = "BREAKING"
			}
			fmt.Fprintf(w, "  %s: %s (%d breaking, %d warnings, %d compatible changes)\n", r.Path, verdict, breaking, warnings, compatible)
			for _, c := range r.Changes {
				if c.Level != apidiff.Compatible {
					fmt.Fprintf(w, "    %s\n", c.Message)
				}
			}
		}
	}
}
