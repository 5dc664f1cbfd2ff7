// Package stacks is the registry of every Pulumi project in the repository: its name, its
// directory (relative to the repository root) and its program. Tools import it to plan, graph
// and order every project in one process; a project's own `main` imports only its program.
package stacks

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/stacks/platform"
)

// Project is one Pulumi project.
type Project struct {
	// Name is the project name in its Pulumi.yaml.
	Name string
	// Dir is the directory holding its Pulumi.yaml, relative to the repository root.
	Dir string
	// Program is what `pulumi up` runs for it.
	Program pulumi.RunFunc
}

// All returns every project, the platform first.
func All() []Project {
	return []Project{
		{Name: "platform", Dir: ".", Program: platform.Program},
	}
}
