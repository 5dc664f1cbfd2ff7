// Command platform is the root Pulumi project: the shared foundation of one environment.
package main

import (
	"github.com/stratum-platform/stratum/platform/program"
	"github.com/stratum-platform/stratum/stacks/platform"
)

func main() { program.Main(platform.Program) }
