package inventory_test

import (
	"testing"

	"github.com/stratum-platform/stratum/platform/lambdakit/openapi/openapitest"
	"github.com/stratum-platform/stratum/stacks/inventory"
	"github.com/stratum-platform/stratum/stacks/inventory/api"
)

// TestBindings keeps each version's contract, the program's bindings and the HTTP handlers in
// step: deleting an operation from a spec, or the handler that serves one, fails here.
func TestBindings(t *testing.T) {
	for major, spec := range map[string][]byte{"1": api.V1, "2": api.V2} {
		t.Run("v"+major, func(t *testing.T) {
			openapitest.CheckBindings(t, openapitest.Load(t, spec), inventory.Bindings(major), "handlers")
		})
	}
}
