package release

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppSpecContent(t *testing.T) {
	spec := AppSpec{
		Function: "acme-dev-accounts-register", Alias: "live", CurrentVersion: "6", TargetVersion: "7",
		BeforeAllowTraffic: "acme-dev-accounts-pre", AfterAllowTraffic: "acme-dev-accounts-smoke",
	}
	content, sha := spec.Content()
	want := `{"version":0.0,"Resources":[{"acmedevaccountsregister":{"Type":"AWS::Lambda::Function",` +
		`"Properties":{"Name":"acme-dev-accounts-register","Alias":"live","CurrentVersion":"6","TargetVersion":"7"}}}],` +
		`"Hooks":[{"BeforeAllowTraffic":"acme-dev-accounts-pre"},{"AfterAllowTraffic":"acme-dev-accounts-smoke"}]}`
	assert.Equal(t, want, content)
	sum := sha256.Sum256([]byte(want))
	assert.Equal(t, hex.EncodeToString(sum[:]), sha)

	parsed, err := ParseAppSpec(content)
	require.NoError(t, err)
	assert.Equal(t, spec, parsed)
}

func TestAppSpecWithoutHooks(t *testing.T) {
	content, _ := AppSpec{Function: "f", Alias: "live", CurrentVersion: "1", TargetVersion: "2"}.Content()
	assert.Equal(t, `{"version":0.0,"Resources":[{"f":{"Type":"AWS::Lambda::Function","Properties":`+
		`{"Name":"f","Alias":"live","CurrentVersion":"1","TargetVersion":"2"}}}]}`, content)
}

func TestParseAppSpecRefuses(t *testing.T) {
	tests := map[string]string{
		"version: 0.0\nResources: []":                          "appspec: not JSON: invalid character 'v' looking for beginning of value",
		`{"Resources":[]}`:                                     "appspec: must name exactly one resource",
		`{"Resources":[{"a":{},"b":{}}]}`:                      "appspec: must name exactly one resource",
		`{"Resources":[{"svc":{"Type":"AWS::ECS::Service"}}]}`: `appspec: resource type is "AWS::ECS::Service", not AWS::Lambda::Function`,
	}
	for content, want := range tests {
		_, err := ParseAppSpec(content)
		assert.EqualError(t, err, want, content)
	}
}
