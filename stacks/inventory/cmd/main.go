// Command inventory is the Pulumi program of the inventory context: `pulumi up` in stacks/inventory builds it.
package main

import (
	"github.com/stratum-platform/stratum/platform/program"
	"github.com/stratum-platform/stratum/stacks/inventory"
)

func main() { program.Main(inventory.Program) }
