package stacks_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUndeclaredOutputDoesNotCompile compiles small consumers of the accounts contract
// through a build overlay (nothing is written into the repository): reading a declared
// output compiles; an output the producer does not declare, or a bare name, does not.
func TestUndeclaredOutputDoesNotCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles code")
	}
	const header = `package consumer

import (
	accounts "github.com/stratum-platform/stratum/stacks/accounts/contract"
	"github.com/stratum-platform/stratum/platform/stackref"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

var _ = accounts.Project

func read(r *stackref.Reference) pulumi.StringOutput { return r.String(%s) }
`
	for read, wantErr := range map[string]string{
		"accounts.EventsTopicArn":  "",
		"accounts.BillingTopicArn": "undefined: accounts.BillingTopicArn",
		`"eventsTopicArn"`:         `cannot use "eventsTopicArn"`,
	} {
		t.Run(read, func(t *testing.T) {
			out, err := compile(t, fmt.Sprintf(header, read))
			if wantErr == "" {
				assert.NoError(t, err, out)
				return
			}
			assert.Error(t, err)
			assert.Contains(t, out, wantErr)
		})
	}
}

// compile builds one file as package stacks/zz_consumer through an overlay.
func compile(t *testing.T, src string) (string, error) {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join(".", "zz_consumer"))
	require.NoError(t, err)
	tmp := t.TempDir()
	file := filepath.Join(tmp, "consumer.go")
	require.NoError(t, os.WriteFile(file, []byte(src), 0o644))
	overlay, err := json.Marshal(map[string]map[string]string{"Replace": {filepath.Join(dir, "consumer.go"): file}})
	require.NoError(t, err)
	overlayFile := filepath.Join(tmp, "overlay.json")
	require.NoError(t, os.WriteFile(overlayFile, overlay, 0o644))
	cmd := exec.Command("go", "build", "-overlay", overlayFile, "./zz_consumer")
	b, err := cmd.CombinedOutput()
	return string(b), err
}
