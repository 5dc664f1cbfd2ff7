package service

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/codedeploy"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/release"
)

// applicationName is the logical and short name of the context's CodeDeploy application.
const applicationName = "releases"

// releaseOf completes a function's release settings: the environment's traffic shift unless
// the function chose one (a zero Traffic chooses none), the context's CodeDeploy application (created with the first
// function), the platform's release function and, with smoke checks, the platform's smoke
// hook.
func (s *Service) releaseOf(r *function.Release) (*function.Release, error) {
	out := &function.Release{}
	if r != nil {
		c := *r
		out = &c
	}
	if out.Traffic == (release.Traffic{}) {
		out.Traffic = s.traffic
	}
	if s.Application == nil {
		app, err := codedeploy.NewApplication(s.ctx, applicationName, &codedeploy.ApplicationArgs{
			Name:            pulumi.String(s.Scope.Name(release.ApplicationKind(), applicationName)),
			ComputePlatform: pulumi.String("Lambda"),
			Tags:            s.Scope.TagMap(),
		}, pulumi.Parent(s))
		if err != nil {
			return nil, fmt.Errorf("release application: %w", err)
		}
		s.Application = app
	}
	if out.Application == nil {
		out.Application = s.Application.Name
	}
	if out.Releaser == nil {
		out.Releaser = s.releaser
	}
	if len(out.Smoke) > 0 && out.SmokeSource == "" {
		dir, err := s.platformHandler("smoke")
		if err != nil {
			return nil, err
		}
		out.SmokeSource = dir
	}
	return out, nil
}

// platformHandler is the directory of one of the platform's shared handler mains
// (contract.PlatformHandlers), found from the context's handlers directory upwards: the
// module root is the directory with go.mod.
func (s *Service) platformHandler(name string) (string, error) {
	dir, err := filepath.Abs(s.handlers)
	if err != nil {
		return "", fmt.Errorf("platform handler %s: %w", name, err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, filepath.FromSlash(contract.PlatformHandlers), name), nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("platform handler " + name + ": no go.mod above " + s.handlers)
		}
		dir = up
	}
}
