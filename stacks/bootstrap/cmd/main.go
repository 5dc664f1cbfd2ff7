// Command bootstrap is the state backend project: `pulumi up` in stacks/bootstrap builds it,
// once per AWS account, with local state.
package main

import (
	"github.com/stratum-platform/stratum/platform/program"
	"github.com/stratum-platform/stratum/stacks/bootstrap"
)

func main() { program.Main(bootstrap.Program) }
