package plantest

import (
	"path/filepath"
	"testing"

	"github.com/stratum-platform/stratum/platform/apidef"
	"github.com/stratum-platform/stratum/platform/lambdakit/openapi/openapitest"
	"github.com/stratum-platform/stratum/platform/plan"
)

// APIRoutes keeps the golden plans of a context (every <env>.plan.json in testdata) the
// contract of its APIs: each HTTP API of apis (logical name to OpenAPI spec) is created from
// a definition whose routes and their scopes are exactly the spec's operations and theirs.
func APIRoutes(t *testing.T, testdata string, apis map[string][]byte) {
	t.Helper()
	goldens, err := filepath.Glob(filepath.Join(testdata, "*.plan.json"))
	if err != nil || len(goldens) == 0 {
		t.Fatalf("plantest: no golden plan in %s (%v)", testdata, err)
	}
	for _, golden := range goldens {
		p, err := plan.ReadGolden(golden)
		if err != nil {
			t.Fatalf("plantest: %v", err)
		}
		for name, spec := range apis {
			t.Run(filepath.Base(golden)+"/"+name, func(t *testing.T) {
				r, err := p.Get("aws:apigatewayv2/api:Api", name)
				if err != nil {
					t.Fatal(err)
				}
				d, err := apidef.Parse(r.String("body"))
				if err != nil {
					t.Fatal(err)
				}
				routes := map[string][]string{}
				for _, route := range d.Routes {
					routes[route.Key] = route.Scopes
				}
				openapitest.CheckRoutes(t, openapitest.Load(t, spec), routes)
			})
		}
	}
}
