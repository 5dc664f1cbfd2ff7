package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/stratum-platform/stratum/platform/apispec"
	"github.com/stratum-platform/stratum/platform/portal"
)

// portalCommand builds the developer portal from every API spec of the repository.
func portalCommand(root string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("portal", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "directory to write the portal into (created when missing)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("portal: --out is required")
	}
	specs, err := repoSpecs(root)
	if err != nil {
		return fmt.Errorf("portal: %w", err)
	}
	files, err := portal.Write(*out, specs)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "portal: %d files, a page for each of %d specs and an index, in %s; open %s\n",
		len(files), len(specs), *out, filepath.Join(*out, "index.html"))
	return nil
}

// repoSpecs reads every API spec of the repository at root, by context and major version.
func repoSpecs(root string) ([]portal.Spec, error) {
	files, err := apispec.Find(root)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, errors.New("no API spec (stacks/<context>/api/v<N>.yaml)")
	}
	specs := make([]portal.Spec, 0, len(files))
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.Path)))
		if err != nil {
			return nil, err
		}
		specs = append(specs, portal.Spec{Context: f.Context, Version: f.Version, Data: data})
	}
	return specs, nil
}
