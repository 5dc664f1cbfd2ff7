// Command notifications is the Pulumi program of the notifications context: `pulumi up` in stacks/notifications builds it.
package main

import (
	"github.com/stratum-platform/stratum/platform/program"
	"github.com/stratum-platform/stratum/stacks/notifications"
)

func main() { program.Main(notifications.Program) }
