package httpapi

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/lambdakit/openapi"
)

// API Gateway's limits that Validate checks.
const (
	maxRoutes     = 300 // routes (and integrations) per API, the default quota
	maxLatency    = 30 * time.Second
	maxCORSMaxAge = 24 * time.Hour
)

// Validate reports every problem with args at once.
func (a *Args) Validate() error {
	var errs []error
	fail := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf(field+": "+format, args...))
	}
	if err := a.Scope.Validate(); err != nil {
		errs = append(errs, err)
	}

	spec, secured := a.validateSpec(fail)
	switch {
	case a.Authorizer == nil && len(secured) > 0:
		fail("Authorizer", "is required because these operations have security: %s", quoteList(secured))
	case a.Authorizer != nil:
		errs = append(errs, a.Authorizer.validate()...)
	}
	if a.CORS != nil {
		errs = append(errs, a.CORS.validate()...)
	}
	errs = append(errs, a.Throttle.validate("Throttle")...)
	for _, id := range slices.Sorted(maps.Keys(a.RouteThrottles)) {
		field := fmt.Sprintf("RouteThrottles[%q]", id)
		if _, ok := operation(spec, id); spec != nil && !ok {
			fail(field, "the spec has no operation %q (operations: %s)", id, operationIDs(spec))
		}
		errs = append(errs, a.RouteThrottles[id].validate(field)...)
	}
	if l := a.LatencyThreshold; l < 0 || l > maxLatency || (l > 0 && l%time.Millisecond != 0) {
		fail("LatencyThreshold", "%s is not whole milliseconds between 1ms and %s (the longest an HTTP API waits for an integration)",
			l, maxLatency)
	}
	if a.Domain != nil {
		if !domainName(a.Domain.Name) {
			fail("Domain.Name", "%q is not a fully qualified domain name (lowercase labels of [a-z0-9-], at least two, at most 253 characters)",
				a.Domain.Name)
		}
		if a.Domain.Path != "" && !mappingPath(a.Domain.Path) {
			fail("Domain.Path", "%q is not a mapping path: segments of [A-Za-z0-9._~-] separated by /, at most 300 characters",
				a.Domain.Path)
		}
	}
	return errors.Join(errs...)
}

// validateSpec checks the spec and the bindings of its operations, and returns the loaded
// spec (nil when it does not load) and the operations that have security.
func (a *Args) validateSpec(fail func(field, format string, args ...any)) (*openapi.Spec, []string) {
	if len(a.Spec) == 0 {
		fail("Spec", "is required (the API's OpenAPI 3.0 contract, such as the context's api.V1)")
		return nil, nil
	}
	spec, err := openapi.Load(a.Spec)
	if err != nil {
		fail("Spec", "%v", err)
		return nil, nil
	}
	ops := spec.Operations()
	switch {
	case len(ops) == 0:
		fail("Spec", "has no operation; an API serves one at least")
	case len(ops) > maxRoutes:
		fail("Spec", "%d operations; at most %d routes allowed", len(ops), maxRoutes)
	}
	if _, err := majorVersion(spec); err != nil {
		fail("Spec", "%v", err)
	}
	var secured []string
	shapes := map[string]string{}
	for _, op := range ops {
		for _, p := range pathProblems(op.Method, op.Path) {
			fail("Spec", "%s: %s", op.RouteKey(), p)
		}
		if first, dup := shapes[shape(op.Method, op.Path)]; dup {
			fail("Spec", "%s is the same route as %s; API Gateway ignores parameter names", op.RouteKey(), first)
		} else {
			shapes[shape(op.Method, op.Path)] = op.RouteKey()
		}
		if !op.Public {
			secured = append(secured, op.ID)
			if op.Requirements() > 1 {
				fail("Spec", "operation %q (%s) has %d security requirements; an API Gateway route has one list of "+
					"scopes, of which it accepts any one, so give the operation one requirement", op.ID, op.RouteKey(), op.Requirements())
			}
		}
		if fn, ok := a.Operations[op.ID]; !ok {
			fail("Operations", "operation %q (%s) has no function; bind it to the function that serves it", op.ID, op.RouteKey())
		} else if fn == nil {
			fail(fmt.Sprintf("Operations[%q]", op.ID), "is nil")
		}
	}
	for _, id := range slices.Sorted(maps.Keys(a.Operations)) {
		if _, ok := operation(spec, id); !ok {
			fail(fmt.Sprintf("Operations[%q]", id), "the spec has no operation %q (operations: %s)", id, operationIDs(spec))
		}
	}
	return spec, secured
}

func operation(spec *openapi.Spec, id string) (*openapi.Operation, bool) {
	if spec == nil {
		return nil, false
	}
	for _, op := range spec.Operations() {
		if op.ID == id {
			return op, true
		}
	}
	return nil, false
}

func operationIDs(spec *openapi.Spec) string {
	var ids []string
	for _, op := range spec.Operations() {
		ids = append(ids, op.ID)
	}
	slices.Sort(ids)
	return strings.Join(ids, ", ")
}

func (t Throttle) validate(field string) []error {
	var errs []error
	if t.Burst < 0 {
		errs = append(errs, fmt.Errorf("%s.Burst: %d is not greater than 0", field, t.Burst))
	}
	if r := t.Rate; r < 0 || math.IsNaN(r) || math.IsInf(r, 0) {
		errs = append(errs, fmt.Errorf("%s.Rate: %v is not a number of requests per second greater than 0", field, r))
	}
	return errs
}

func (j *JWT) validate() []error {
	var errs []error
	switch lit, ok := j.Issuer.(pulumi.String); {
	case j.Issuer == nil:
		errs = append(errs, errors.New("Authorizer.Issuer: is required (the https URL of the token issuer)"))
	case ok && !httpsURL(string(lit)):
		errs = append(errs, fmt.Errorf("Authorizer.Issuer: %q is not an https URL", string(lit)))
	}
	if lit, ok := j.Audiences.(pulumi.StringArray); j.Audiences == nil || ok && len(lit) == 0 {
		errs = append(errs, errors.New("Authorizer.Audiences: at least one audience is required"))
	}
	return errs
}

func httpsURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != ""
}

// quoteList quotes the first few keys and counts the others.
func quoteList(keys []string) string {
	const shown = 3
	var quoted []string
	for _, k := range keys[:min(len(keys), shown)] {
		quoted = append(quoted, fmt.Sprintf("%q", k))
	}
	if len(keys) > shown {
		quoted = append(quoted, fmt.Sprintf("and %d more", len(keys)-shown))
	}
	return strings.Join(quoted, ", ")
}
