package naming

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScopeValidate(t *testing.T) {
	tests := []struct {
		name  string
		scope Scope
		want  []string
	}{
		{name: "valid", scope: Scope{Org: "acme", Env: "dev", Context: "accounts"}},
		{name: "digits and hyphens", scope: Scope{Org: "a1", Env: "prod-2", Context: "order-history"}},
		{name: "at the limits", scope: Scope{Org: strings.Repeat("o", 12), Env: strings.Repeat("e", 8), Context: strings.Repeat("c", 24)}},
		{
			name:  "all empty",
			scope: Scope{},
			want: []string{
				`naming: org is empty; it is required`,
				`naming: env is empty; it is required`,
				`naming: context is empty; it is required`,
			},
		},
		{
			name:  "uppercase",
			scope: Scope{Org: "Acme", Env: "dev", Context: "accounts"},
			want:  []string{`naming: org "Acme" must match [a-z][a-z0-9-]* with no trailing or double hyphen`},
		},
		{
			name:  "leading digit, trailing and double hyphen",
			scope: Scope{Org: "1acme", Env: "dev-", Context: "order--history"},
			want: []string{
				`naming: org "1acme" must match [a-z][a-z0-9-]* with no trailing or double hyphen`,
				`naming: env "dev-" must match [a-z][a-z0-9-]* with no trailing or double hyphen`,
				`naming: context "order--history" must match [a-z][a-z0-9-]* with no trailing or double hyphen`,
			},
		},
		{
			name:  "other characters",
			scope: Scope{Org: "acme", Env: "dev_1", Context: "accounts.v2"},
			want: []string{
				`naming: env "dev_1" must match [a-z][a-z0-9-]* with no trailing or double hyphen`,
				`naming: context "accounts.v2" must match [a-z][a-z0-9-]* with no trailing or double hyphen`,
			},
		},
		{
			name:  "too long, and badly formed at once",
			scope: Scope{Org: "acme-corporation", Env: "development", Context: strings.Repeat("c", 24) + "-"},
			want: []string{
				`naming: org "acme-corporation" is 16 characters; at most 12 allowed`,
				`naming: env "development" is 11 characters; at most 8 allowed`,
				`naming: context "cccccccccccccccccccccccc-" must match [a-z][a-z0-9-]* with no trailing or double hyphen`,
				`naming: context "cccccccccccccccccccccccc-" is 25 characters; at most 24 allowed`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.scope.Validate()
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, strings.Join(tt.want, "\n"), err.Error())
		})
	}
}

func TestChild(t *testing.T) {
	tests := []struct{ parent, name, want string }{
		{"orders", "dlq", "orders-dlq"},
		{"orders-dlq", "alarm", "orders-dlq-alarm"},
		{"", "orders", "orders"},
		{"orders", "", "orders"},
		{"", "", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Child(tt.parent, tt.name), "Child(%q, %q)", tt.parent, tt.name)
	}
}

func TestKinds(t *testing.T) {
	kinds := Kinds()
	require.Len(t, kinds, 16)
	seen := map[string]bool{}
	for _, k := range kinds {
		b, ok := k.(Builtin)
		require.True(t, ok, "kind %v is not a Builtin", k)
		r := k.Rule()
		require.NoError(t, r.Validate(), "kind %d", int(b))
		assert.Equal(t, r.Name, b.String())
		assert.False(t, seen[b.String()], "duplicate kind name %q", b)
		seen[b.String()] = true
		assert.GreaterOrEqual(t, r.Max-len(r.Prefix)-len(r.Suffix), 2*hashLen,
			"%s leaves too little room for a name and a hash", b)
	}
	assert.Equal(t, "Kind(0)", Builtin(0).String())
	assert.Equal(t, "Kind(99)", Builtin(99).String())
}
