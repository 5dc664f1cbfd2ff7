package project_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/project"
)

type noMocks struct{}

func (noMocks) NewResource(a pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	return a.Name, a.Inputs, nil
}
func (noMocks) Call(pulumi.MockCallArgs) (resource.PropertyMap, error) { return nil, nil }

func run(t *testing.T, root string, fn func(*pulumi.Context) error) error {
	t.Helper()
	return pulumi.RunErr(fn, pulumi.WithMocks("p", "dev", noMocks{}), func(info *pulumi.RunInfo) {
		info.RootDirectory = root
	})
}

func TestDirPrefersWhatTheDriverSays(t *testing.T) {
	require.NoError(t, run(t, "/engine/root", func(ctx *pulumi.Context) error {
		dir, err := project.Dir(project.WithDir(ctx, "/repo/stacks/accounts"))
		require.NoError(t, err)
		require.Equal(t, "/repo/stacks/accounts", dir)
		return nil
	}))
}

func TestDirFallsBackToTheEngineRoot(t *testing.T) {
	require.NoError(t, run(t, "/engine/root", func(ctx *pulumi.Context) error {
		dir, err := project.Dir(ctx)
		require.NoError(t, err)
		require.Equal(t, "/engine/root", dir)
		return nil
	}))
}

// An Automation API inline program gets no root directory from the engine.
func TestDirFailsWhenNobodySays(t *testing.T) {
	require.NoError(t, run(t, "", func(ctx *pulumi.Context) error {
		_, err := project.Dir(ctx)
		require.EqualError(t, err, "the project directory is unknown: the engine reports none (an Automation API "+
			"inline program), so the driver must name it with project.WithDir")
		return nil
	}))
}
