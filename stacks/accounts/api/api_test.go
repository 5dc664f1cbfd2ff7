package api_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/lambdakit/openapi/openapitest"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/stacks/accounts/api"
)

// TestExamples keeps every operation of the accounts API shown by examples that match their
// schemas.
func TestExamples(t *testing.T) {
	openapitest.CheckExamples(t, openapitest.Load(t, api.V1))
}

// TestRoutes keeps version 1 the contract of the routes the program deploys: the route keys
// and scopes of the gateway in each golden plan are the spec's operations and their scopes.
func TestRoutes(t *testing.T) {
	spec := openapitest.Load(t, api.V1)
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			p, err := plan.ReadGolden("../testdata/" + env + ".plan.json")
			require.NoError(t, err)
			routes := map[string][]string{}
			for _, r := range p.Resources {
				if r.Type != "aws:apigatewayv2/route:Route" {
					continue
				}
				var scopes []string
				listed, _ := r.Inputs["authorizationScopes"].([]any) // none on a public route
				for _, s := range listed {
					scopes = append(scopes, s.(string))
				}
				routes[r.Inputs["routeKey"].(string)] = scopes
			}
			openapitest.CheckRoutes(t, spec, routes)
		})
	}
}
