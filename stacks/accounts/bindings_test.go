package accounts_test

import (
	"testing"

	"github.com/stratum-platform/stratum/platform/lambdakit/openapi/openapitest"
	"github.com/stratum-platform/stratum/stacks/accounts"
	"github.com/stratum-platform/stratum/stacks/accounts/api"
)

// TestBindings keeps the API's contract, the program's bindings and the HTTP handlers in
// step: deleting an operation from the spec, or the handler that serves one, fails here.
func TestBindings(t *testing.T) {
	openapitest.CheckBindings(t, openapitest.Load(t, api.V1), accounts.Bindings(), "handlers")
}
