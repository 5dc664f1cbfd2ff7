package api_test

import (
	"testing"

	"github.com/stratum-platform/stratum/platform/lambdakit/openapi/openapitest"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/stacks/inventory/api"
)

// TestExamples keeps every operation of each version of the inventory API shown by examples
// that match their schemas.
func TestExamples(t *testing.T) {
	for name, spec := range map[string][]byte{"v1": api.V1, "v2": api.V2} {
		t.Run(name, func(t *testing.T) {
			openapitest.CheckExamples(t, openapitest.Load(t, spec))
		})
	}
}

// TestRoutes keeps each version the contract of the API the program deploys: the routes and
// scopes of the definition each API of the golden plans is created from are the spec's
// operations and their scopes.
func TestRoutes(t *testing.T) {
	plantest.APIRoutes(t, "../testdata", map[string][]byte{"api": api.V1, "api-v2": api.V2})
}
