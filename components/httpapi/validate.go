package httpapi

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
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

	switch {
	case len(a.Routes) == 0:
		fail("Routes", "at least one route is required")
	case len(a.Routes) > maxRoutes:
		fail("Routes", "%d routes; at most %d allowed", len(a.Routes), maxRoutes)
	}
	shapes := map[string]int{}
	var authorized []string
	for i, r := range a.Routes {
		field := fmt.Sprintf("Routes[%d]", i)
		p, problems := parseRouteKey(r.Key)
		for _, msg := range problems {
			fail(field+".Key", "%s", msg)
		}
		if len(problems) == 0 {
			if first, dup := shapes[p.shape()]; dup {
				fail(field+".Key", "%q is the same route as Routes[%d] (%q); API Gateway ignores parameter names",
					r.Key, first, a.Routes[first].Key)
			} else {
				shapes[p.shape()] = i
			}
		}
		if r.Function == nil {
			fail(field+".Function", "is required")
		}
		if r.Public && len(r.Scopes) > 0 {
			fail(field+".Scopes", "are set on a Public route, which takes no token; remove them or Public")
		}
		seen := map[string]int{}
		for j, sc := range r.Scopes {
			f := fmt.Sprintf("%s.Scopes[%d]", field, j)
			switch first, dup := seen[sc]; {
			case sc == "" || strings.ContainsAny(sc, " \t\n"):
				fail(f, "%q is not a scope; a scope is one non-empty word", sc)
			case dup:
				fail(f, "%q is also Scopes[%d]; list a scope once", sc, first)
			default:
				seen[sc] = j
			}
		}
		if !r.Public {
			authorized = append(authorized, r.Key)
		}
	}

	switch {
	case a.Authorizer == nil && len(authorized) > 0:
		fail("Authorizer", "is required because these routes are not Public: %s", quoteList(authorized))
	case a.Authorizer != nil:
		errs = append(errs, a.Authorizer.validate()...)
	}
	if a.CORS != nil {
		errs = append(errs, a.CORS.validate()...)
	}
	if a.Throttle.Burst < 0 {
		fail("Throttle.Burst", "%d is not greater than 0", a.Throttle.Burst)
	}
	if r := a.Throttle.Rate; r < 0 || math.IsNaN(r) || math.IsInf(r, 0) {
		fail("Throttle.Rate", "%v is not a number of requests per second greater than 0", r)
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
		if a.Domain.CertificateArn == nil {
			fail("Domain.CertificateArn", "is required (an ACM certificate for the domain, in the API's region)")
		} else if lit, ok := a.Domain.CertificateArn.(pulumi.String); ok && !strings.HasPrefix(string(lit), "arn:") {
			fail("Domain.CertificateArn", "%q is not an ARN", string(lit))
		}
	}
	return errors.Join(errs...)
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
