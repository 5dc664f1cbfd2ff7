package secret

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/project"
)

// rotationPackage is the Go main package of the platform's rotation function.
const rotationPackage = "github.com/stratum-platform/stratum/components/secret/handlers/rotate"

// rotationSource returns the directory of rotationPackage. A program runs from its project's
// directory (or says where it is with project.WithDir), which is inside this module or in a
// module that requires it, so the go command finds the package in either, as the function
// component's build will.
func rotationSource(ctx *pulumi.Context) (string, error) {
	cmd := exec.Command("go", "list", "-f", "{{.Dir}}", rotationPackage)
	if dir, err := project.Dir(ctx); err == nil {
		cmd.Dir = dir
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("finding %s: %w: %s", rotationPackage, err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}
