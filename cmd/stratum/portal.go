package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"

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
	specs, err := portal.Read(root)
	if err != nil {
		return err
	}
	files, err := portal.Write(*out, specs)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "portal: %d files, a page for each of %d specs and an index, in %s; open %s\n",
		len(files), len(specs), *out, filepath.Join(*out, "index.html"))
	return nil
}
