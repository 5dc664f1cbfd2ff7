package release

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The environment variables of the smoke-check hook (stacks/platform/handlers/smoke).
const (
	// EnvSmokeChecks holds the checks as JSON, as EncodeChecks writes them. Required.
	EnvSmokeChecks = "SMOKE_CHECKS"
	// EnvSmokeBaseURL is the URL the checks' paths are appended to, such as the HTTP API's
	// stage URL: the checks then go through the API, as clients do.
	EnvSmokeBaseURL = "SMOKE_BASE_URL"
	// EnvSmokeInvoke set to "true" invokes the deployment's target version directly with an
	// API Gateway (payload 2.0) request for each check: the only way to test the new version
	// before any traffic reaches it, as a BeforeAllowTraffic hook.
	EnvSmokeInvoke = "SMOKE_INVOKE"
)

// DefaultCheckTimeout bounds one check, a request or an invocation.
const DefaultCheckTimeout = 10 * time.Second

// Check is one smoke check: a request and the status it must answer.
type Check struct {
	// Method is the HTTP method: GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS. Required.
	Method string `json:"method"`
	// Path is the request's path and query, starting with "/". Required.
	Path string `json:"path"`
	// ExpectedStatus is the one status that passes, 100 to 599. Required.
	ExpectedStatus int `json:"expectedStatus"`
	// Body is the request body, sent as JSON. Default: none.
	Body string `json:"body,omitempty"`
	// Claims are the JWT claims a direct invocation (EnvSmokeInvoke) carries, as the API's
	// authorizer passes them ("sub", "scope", a tenant claim), so that a check can reach a
	// route that needs a token; give it a synthetic subject and tenant, and read-only
	// scopes. Requests over HTTP carry no token. Default: none.
	Claims map[string]string `json:"claims,omitempty"`
}

// String names the check in reports: "GET /health -> 200".
func (c Check) String() string {
	return fmt.Sprintf("%s %s -> %d", c.Method, c.Path, c.ExpectedStatus)
}

// methods are the methods a check may use, in the order error messages list them.
func methods() []string {
	return []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions}
}

// validate returns what is wrong with c, each prefixed by its field within checks[i].
func (c Check) validate(i int) []string {
	var problems []string
	at := fmt.Sprintf("checks[%d]", i)
	ok := false
	for _, m := range methods() {
		ok = ok || c.Method == m
	}
	if !ok {
		problems = append(problems, fmt.Sprintf("%s.method: must be one of %s, got %q", at, strings.Join(methods(), ", "), c.Method))
	}
	if !strings.HasPrefix(c.Path, "/") {
		problems = append(problems, fmt.Sprintf("%s.path: must start with /, got %q", at, c.Path))
	}
	if c.ExpectedStatus < 100 || c.ExpectedStatus > 599 {
		problems = append(problems, fmt.Sprintf("%s.expectedStatus: must be an HTTP status from 100 to 599, got %d", at, c.ExpectedStatus))
	}
	if c.Body != "" && !json.Valid([]byte(c.Body)) {
		problems = append(problems, fmt.Sprintf("%s.body: must be JSON, got %q", at, c.Body))
	}
	for k, v := range c.Claims {
		if strings.TrimSpace(k) == "" || strings.TrimSpace(v) == "" {
			problems = append(problems, fmt.Sprintf("%s.claims: names and values must not be empty, got %q: %q", at, k, v))
		}
	}
	return problems
}

// validateChecks reports every problem of checks at once.
func validateChecks(checks []Check) error {
	if len(checks) == 0 {
		// A hook without checks would pass every release.
		return errors.New("checks: at least one check is required")
	}
	var problems []string
	for i, c := range checks {
		problems = append(problems, c.validate(i)...)
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// EncodeChecks validates checks and returns them as the value of EnvSmokeChecks.
func EncodeChecks(checks []Check) (string, error) {
	if err := validateChecks(checks); err != nil {
		return "", err
	}
	b, err := json.Marshal(checks)
	if err != nil {
		return "", fmt.Errorf("checks: %w", err)
	}
	return string(b), nil
}

// ParseChecks reads the value of EnvSmokeChecks, refusing unknown fields and reporting every
// invalid check at once.
func ParseChecks(s string) ([]Check, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.DisallowUnknownFields()
	var checks []Check
	if err := dec.Decode(&checks); err != nil {
		return nil, fmt.Errorf("checks: not a JSON list of {method, path, expectedStatus, body, claims}: %w", err)
	}
	if err := validateChecks(checks); err != nil {
		return nil, err
	}
	return checks, nil
}
