package bucket_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/extensions/bucket"
	"github.com/stratum-platform/stratum/platform/naming"
)

func TestKind(t *testing.T) {
	require.NoError(t, bucket.Kind().Validate())
	acme := naming.Scope{Org: "acme", Env: "dev", Context: "orders"}
	tests := []struct{ in, want string }{
		{"exports-111111111111-eu-west-1", "acme-dev-orders-exports-111111111111-eu-west-1"},
		// Uppercase and periods are not allowed: the name changes, so it ends in a hash.
		{"Exports", "acme-dev-orders-exports-df0e5758"},
		{"audit.logs", "acme-dev-orders-audit-logs-15d34a1f"},
		{"logs-s3alias", "acme-dev-orders-logs-s3alias-7d561ff7"},
		{strings.Repeat("x", 60), "acme-dev-orders-" + strings.Repeat("x", 38) + "-b71bee94"},
	}
	for _, tt := range tests {
		got := acme.Physical(bucket.Kind(), tt.in)
		assert.Equal(t, tt.want, got, tt.in)
		assert.NoError(t, naming.Valid(bucket.Kind(), got), got)
	}
	assert.Equal(t, strings.Join([]string{
		`naming: S3 bucket name "xn--Acme..1-s3alias" has character 'A'; allowed are [a-z0-9-]`,
		`naming: S3 bucket name "xn--Acme..1-s3alias" must not start with "xn--"; AWS reserves it`,
		`naming: S3 bucket name "xn--Acme..1-s3alias" must not end with "-s3alias"; AWS reserves it`,
	}, "\n"), naming.Valid(bucket.Kind(), "xn--Acme..1-s3alias").Error())
	assert.Error(t, naming.Valid(bucket.Kind(), "ab"), "3 characters at least")
	assert.Error(t, naming.Valid(bucket.Kind(), "-ab"), "starts with a letter or digit")
}

// FuzzKind checks that any scope and name give a name S3 accepts, the same every time, and
// distinct names distinct buckets.
func FuzzKind(f *testing.F) {
	f.Add("acme", "dev", "orders", "exports", "Exports")
	f.Add("xn--", "", "", "-s3alias", "--ol-s3")
	f.Add("-", ".", "sthree-", "amzn-s3-demo-", strings.Repeat("y", 70))
	f.Fuzz(func(t *testing.T, org, env, context, a, b string) {
		s := naming.Scope{Org: org, Env: env, Context: context}
		pa := s.Physical(bucket.Kind(), a)
		if err := naming.Valid(bucket.Kind(), pa); err != nil {
			t.Fatalf("Physical(%q) = %q is not valid: %v", a, pa, err)
		}
		if again := s.Physical(bucket.Kind(), a); again != pa {
			t.Fatalf("Physical(%q) gave %q, then %q", a, pa, again)
		}
		if a != b && s.Physical(bucket.Kind(), b) == pa {
			t.Fatalf("names %q and %q both give %q", a, b, pa)
		}
	})
}
