package portal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/stratum-platform/stratum/platform/apispec"
)

// Read returns every API spec of the repository at root (stacks/<context>/api/v<N>.yaml), by
// context and major version, for Render: the `stratum portal` command and the platform
// stack, which publishes the portal, read the same specs.
func Read(root string) ([]Spec, error) {
	files, err := apispec.Find(root)
	if err != nil {
		return nil, fmt.Errorf("portal: %w", err)
	}
	if len(files) == 0 {
		return nil, errors.New("portal: no API spec (stacks/<context>/api/v<N>.yaml)")
	}
	specs := make([]Spec, 0, len(files))
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.Path)))
		if err != nil {
			return nil, fmt.Errorf("portal: %w", err)
		}
		specs = append(specs, Spec{Context: f.Context, Version: f.Version, Data: data})
	}
	return specs, nil
}
