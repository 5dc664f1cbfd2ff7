// Command stratum plans, draws, orders, selects and deploys Stratum's Pulumi projects, in one
// process:
//
//	stratum plan [--env dev] [--format text|json|markdown] [--out DIR] [project ...]
//	stratum graph [--env dev] [--out FILE]
//	stratum order [--env dev] [--format text|json|dirs]
//	stratum affected --base REF [--format text|json]
//	stratum api-diff --base REF
//	stratum portal --out DIR
//	stratum preview|up|destroy [--env dev] [--local] [--format text|json|markdown] [project ...]
//	stratum release wait [--env dev] [--local] [--timeout 45m] [project ...]
//
// preview, up and destroy run the real Pulumi engine (platform/engine); with --local, against
// a file backend and the local AWS provider, so that nothing reaches AWS. up waits, stack by
// stack, for the CodeDeploy deployments its releases started (--no-wait, --wait-timeout), and
// a deployment that fails or rolls back fails its stack. release wait follows the deployments
// of the functions' last releases, read from the stacks' states, until they end (with --local,
// those the local account emulated).
//
// plan exits 1 when a policy finding is an error; api-diff when an API spec has a breaking
// change since the branch left REF; release wait when a deployment failed or was rolled back,
// or did not end in time.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/stratum-platform/stratum/platform/engine"
)

// errFindings is returned when a plan has error findings: the exit code is 1, and the
// findings were already printed.
var errFindings = errors.New("plans have error findings")

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errFindings) {
			fmt.Fprintln(os.Stderr, "stratum:", err)
		}
		os.Exit(1)
	}
}

const usage = `usage:
  stratum plan [--env dev] [--format text|json|markdown] [--out DIR] [project ...]
  stratum graph [--env dev] [--out FILE]
  stratum order [--env dev] [--format text|json|dirs]
  stratum affected --base REF [--format text|json]
  stratum api-diff --base REF
  stratum portal --out DIR
  stratum preview|up|destroy [--env dev] [--local] [--format text|json|markdown] [project ...]
  stratum release wait [--env dev] [--local] [--timeout 45m] [project ...]`

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	root, err := repoRoot()
	if err != nil {
		return err
	}
	switch args[0] {
	case "plan":
		return planCommand(root, args[1:], stdout, stderr)
	case "graph":
		return graphCommand(root, args[1:], stdout, stderr)
	case "order":
		return orderCommand(root, args[1:], stdout, stderr)
	case "affected":
		return affectedCommand(root, args[1:], stdout)
	case "api-diff":
		return apiDiffCommand(root, args[1:], stdout, stderr)
	case "portal":
		return portalCommand(root, args[1:], stdout, stderr)
	case "preview", "up", "destroy":
		return engineCommand(root, engine.Op(args[0]), args[1:], stdout, stderr)
	case "release":
		return releaseCommand(root, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", args[0], usage)
}
