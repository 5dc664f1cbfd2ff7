//go:build tools

// Package tools pins the Pulumi CLI that `make tools` builds into ./bin/pulumi: the engine at
// the exact version of the SDK in the main go.mod, kept in a module of its own so that the
// CLI's dependencies stay out of the main module.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
