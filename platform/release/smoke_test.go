package release

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChecksRoundTrip(t *testing.T) {
	checks := []Check{
		{Method: "GET", Path: "/health", ExpectedStatus: 200},
		{Method: "POST", Path: "/accounts", ExpectedStatus: 401, Body: `{"name":"x"}`},
	}
	s, err := EncodeChecks(checks)
	require.NoError(t, err)
	assert.Equal(t, `[{"method":"GET","path":"/health","expectedStatus":200},`+
		`{"method":"POST","path":"/accounts","expectedStatus":401,"body":"{\"name\":\"x\"}"}]`, s)
	got, err := ParseChecks(s)
	require.NoError(t, err)
	assert.Equal(t, checks, got)
	assert.Equal(t, "GET /health -> 200", got[0].String())
}

func TestParseChecksRefuses(t *testing.T) {
	tests := map[string]string{
		``:   "checks: not a JSON list of {method, path, expectedStatus, body, claims}: EOF",
		`[]`: "checks: at least one check is required",
		`[{"method":"GET","path":"/","expectedStatus":200,"status":1}]`: `checks: not a JSON list of {method, path, expectedStatus, body, claims}: json: unknown field "status"`,
		`[{"method":"FETCH","path":"health","expectedStatus":99,"body":"{"},{"method":"GET","path":"/ok","expectedStatus":600}]`: `checks[0].method: must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, got "FETCH"; ` +
			`checks[0].path: must start with /, got "health"; ` +
			`checks[0].expectedStatus: must be an HTTP status from 100 to 599, got 99; ` +
			`checks[0].body: must be JSON, got "{"; ` +
			`checks[1].expectedStatus: must be an HTTP status from 100 to 599, got 600`,
	}
	for in, want := range tests {
		_, err := ParseChecks(in)
		assert.EqualError(t, err, want, in)
	}
	_, err := EncodeChecks(nil)
	assert.EqualError(t, err, "checks: at least one check is required")
}

func TestCheckClaims(t *testing.T) {
	_, err := EncodeChecks([]Check{{Method: "GET", Path: "/", ExpectedStatus: 200, Claims: map[string]string{"sub": ""}}})
	assert.EqualError(t, err, `checks[0].claims: names and values must not be empty, got "sub": ""`)
	s, err := EncodeChecks([]Check{{Method: "GET", Path: "/", ExpectedStatus: 200, Claims: map[string]string{"sub": "smoke"}}})
	require.NoError(t, err)
	checks, err := ParseChecks(s)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"sub": "smoke"}, checks[0].Claims)
}
