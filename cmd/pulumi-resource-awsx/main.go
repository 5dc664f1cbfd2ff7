// Command pulumi-resource-awsx is Stratum's local awsx provider (platform/local), served to the
// Pulumi engine as the `awsx` plugin for local rehearsals only: it constructs the awsx
// components Stratum uses from children the local AWS provider serves. Stratum's local mode
// puts it on the engine's PATH; it must never be installed where a real deploy could pick it
// up.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"

	"github.com/stratum-platform/stratum/platform/local"
)

func main() {
	if err := provider.ComponentMain("awsx", local.AWSXVersion, nil, local.ConstructAWSX); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-awsx (stratum local): %v\n", err)
		os.Exit(1)
	}
}
