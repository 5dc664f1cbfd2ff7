package engine_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/mod/modfile"

	"github.com/stratum-platform/stratum/platform/plan"
)

// The CLI that `make tools` builds is the engine of the SDK the programs are built with:
// the Makefile's version, the tools module's and the main module's SDK all agree.
func TestPinnedCLIIsTheSDKVersion(t *testing.T) {
	root, err := plan.ModuleRoot(".")
	require.NoError(t, err)
	sdk := required(t, filepath.Join(root, "go.mod"), "github.com/pulumi/pulumi/sdk/v3")
	require.Equal(t, sdk, required(t, filepath.Join(root, "tools", "pulumi", "go.mod"), "github.com/pulumi/pulumi/pkg/v3"))
	makefile, err := os.ReadFile(filepath.Join(root, "Makefile"))
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^PULUMI_VERSION\s*:=\s*(\S+)`).FindSubmatch(makefile)
	require.NotNil(t, m, "the Makefile sets PULUMI_VERSION")
	require.Equal(t, sdk, string(m[1]))
}

func required(t *testing.T, path, module string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	f, err := modfile.Parse(path, b, nil)
	require.NoError(t, err)
	for _, r := range f.Require {
		if r.Mod.Path == module {
			return r.Mod.Version
		}
	}
	t.Fatalf("%s does not require %s", path, module)
	return ""
}
