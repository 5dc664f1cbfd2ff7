// Command pulumi-resource-aws is Stratum's local AWS provider (platform/local), served to the
// Pulumi engine as the `aws` plugin for local rehearsals only: Stratum's local mode puts it on
// the engine's PATH; it must never be installed where a real deploy could pick it up.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/stratum-platform/stratum/platform/local"
)

func main() {
	err := provider.Main("aws", func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		p, err := local.New(local.OptionsFromEnv())
		if err != nil {
			return nil, err
		}
		return local.NewServer(p), nil
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-aws (stratum local): %v\n", err)
		os.Exit(1)
	}
}
