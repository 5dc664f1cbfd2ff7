package release

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

func validRequest() Request {
	return Request{
		FunctionName: "acme-dev-accounts-register", Alias: "live", TargetVersion: "7",
		Application: "acme-dev-accounts", DeploymentGroup: "register",
	}
}

func TestRequestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Request)
		want   string
	}{
		{"valid", func(*Request) {}, ""},
		{"valid with hooks", func(r *Request) { r.AfterAllowTraffic = "acme-dev-accounts-smoke"; r.KeepVersions = 2 }, ""},
		{"everything missing", func(r *Request) { *r = Request{} },
			"alias: is required; application: is required; deploymentGroup: is required; functionName: is required; targetVersion: is required"},
		{"latest", func(r *Request) { r.TargetVersion = "$LATEST" },
			`targetVersion: must be a published version number such as "7" ($LATEST cannot be released), got "$LATEST"`},
		{"leading zero", func(r *Request) { r.TargetVersion = "07" },
			`targetVersion: must be a published version number such as "7" ($LATEST cannot be released), got "07"`},
		{"arn, numeric alias, bad hook, negative keep", func(r *Request) {
			r.FunctionName = "arn:aws:lambda:eu-west-1:111111111111:function:f"
			r.Alias = "3"
			r.BeforeAllowTraffic = "a b"
			r.KeepVersions = -1
		}, `alias: must be an alias name (letters, digits, - and _, not only digits), got "3"; ` +
			`beforeAllowTraffic: must be a function name (letters, digits, - and _, up to 64), got "a b"; ` +
			`functionName: must be a function name (letters, digits, - and _, up to 64), got "arn:aws:lambda:eu-west-1:111111111111:function:f"; ` +
			`keepVersions: must be 0 (the default, 5) or more, got -1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validRequest()
			tt.change(&r)
			err := r.Validate()
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.EqualError(t, err, tt.want)
			_, ok := errors.AsType[*lambdakit.ValidationError](err)
			assert.True(t, ok, "a validation error")
		})
	}
}

func TestKeep(t *testing.T) {
	assert.Equal(t, DefaultKeepVersions, Request{}.Keep())
	assert.Equal(t, 2, Request{KeepVersions: 2}.Keep())
}

func TestVersionNumber(t *testing.T) {
	for s, want := range map[string]uint64{"1": 1, "42": 42, "$LATEST": 0, "0": 0, "-1": 0, "": 0, "1.0": 0} {
		n, ok := VersionNumber(s)
		assert.Equal(t, want, n, s)
		assert.Equal(t, want != 0, ok, s)
	}
}
