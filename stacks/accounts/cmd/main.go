// Command accounts is the Pulumi program of the accounts context: `pulumi up` in stacks/accounts builds it.
package main

import (
	"github.com/stratum-platform/stratum/platform/program"
	"github.com/stratum-platform/stratum/stacks/accounts"
)

func main() { program.Main(accounts.Program) }
