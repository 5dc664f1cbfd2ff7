// Package project tells a program where its Pulumi project's files are, whatever runs it.
// Under `pulumi up` the Go language host reports the directory that holds Pulumi.yaml; an
// inline program of the Automation API (`stratum preview|up|destroy`) and the offline plan
// engine run in another process or directory and say it with WithDir.
package project

import (
	"errors"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

type dirKey struct{}

// WithDir returns a context whose project directory is dir, whatever the engine reports.
func WithDir(ctx *pulumi.Context, dir string) *pulumi.Context {
	return ctx.WithValue(dirKey{}, dir)
}

// Dir returns the directory holding the running project's Pulumi.yaml: the one given to
// WithDir, else the root directory the engine reports.
func Dir(ctx *pulumi.Context) (string, error) {
	if dir, ok := ctx.Value(dirKey{}).(string); ok && dir != "" {
		return dir, nil
	}
	if dir := ctx.RootDirectory(); dir != "" {
		return dir, nil
	}
	return "", errors.New("the project directory is unknown: the engine reports none (an Automation API inline " +
		"program), so the driver must name it with project.WithDir")
}
