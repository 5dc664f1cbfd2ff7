package tags

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/naming"
)

func TestDefault(t *testing.T) {
	got := Default(naming.Scope{Org: "acme", Env: "dev", Context: "accounts"}, "team-accounts", "cc-1234")
	assert.Equal(t, map[string]string{
		"org":         "acme",
		"env":         "dev",
		"context":     "accounts",
		"owner":       "team-accounts",
		"cost-centre": "cc-1234",
		"managed-by":  "stratum",
	}, got)
	require.NoError(t, Validate(got))
}

func TestMerge(t *testing.T) {
	base := Default(naming.Scope{Org: "acme", Env: "dev", Context: "accounts"}, "team-accounts", "cc-1234")
	first := map[string]string{"tier": "gold", "owner": "someone-else", "data": "pii"}
	second := map[string]string{"tier": "silver", "managed-by": "hand", "Owner": "case differs"}

	got := Merge(base, first, nil, second)

	assert.Equal(t, map[string]string{
		"org":         "acme",
		"env":         "dev",
		"context":     "accounts",
		"owner":       "team-accounts",
		"cost-centre": "cc-1234",
		"managed-by":  "stratum",
		"tier":        "silver",
		"data":        "pii",
		"Owner":       "case differs", // tag keys are case-sensitive in AWS: a different key
	}, got)
	assert.Equal(t, "gold", first["tier"], "Merge must not modify its arguments")
	assert.Len(t, base, 6, "Merge must not modify its arguments")
}

func TestMergeNil(t *testing.T) {
	got := Merge(nil)
	require.NotNil(t, got)
	assert.Empty(t, got)
	assert.Equal(t, map[string]string{"a": "1"}, Merge(nil, map[string]string{"a": "1", "org": "x"}))
}

func TestValidate(t *testing.T) {
	many := map[string]string{}
	for i := range 51 {
		many["k"+strconv.Itoa(i)] = "v"
	}
	tests := []struct {
		name string
		tags map[string]string
		want []string
	}{
		{name: "nil", tags: nil},
		{name: "allowed characters", tags: map[string]string{"team name": "Zürich ops", "a_b.c:d/e=f+g-h@i": "１２３", "empty": ""}},
		{name: "fifty", tags: func() map[string]string {
			m := map[string]string{}
			for i := range 50 {
				m["k"+strconv.Itoa(i)] = "v"
			}
			return m
		}()},
		{name: "too many", tags: many, want: []string{`tags: 51 tags; at most 50 allowed`}},
		{name: "empty key", tags: map[string]string{"": "v"}, want: []string{`tags: key "" is 0 characters; 1 to 128 allowed`}},
		{name: "long key and value", tags: map[string]string{strings.Repeat("k", 129): strings.Repeat("v", 257)}, want: []string{
			`tags: key "` + strings.Repeat("k", 129) + `" is 129 characters; 1 to 128 allowed`,
			`tags: value of "` + strings.Repeat("k", 129) + `" is 257 characters; at most 256 allowed`,
		}},
		{name: "limits count characters, not bytes", tags: map[string]string{strings.Repeat("é", 128): strings.Repeat("ü", 256)}},
		{name: "reserved prefix in any case", tags: map[string]string{"aws:cloudformation": "x", "AWS:x": "y", "awsx": "ok"}, want: []string{
			`tags: key "AWS:x" starts with "aws:"; AWS reserves that prefix`,
			`tags: key "aws:cloudformation" starts with "aws:"; AWS reserves that prefix`,
		}},
		{name: "bad characters", tags: map[string]string{"a#b": "ok", "c": "semi;colon", "d": "\xff"}, want: []string{
			`tags: key "a#b" has character '#'; allowed are letters, numbers, spaces and _.:/=+-@`,
			`tags: value "semi;colon" of "c" has character ';'; allowed are letters, numbers, spaces and _.:/=+-@`,
			`tags: value "\xff" of "d" has character '�'; allowed are letters, numbers, spaces and _.:/=+-@`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.tags)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, strings.Join(tt.want, "\n"), err.Error())
		})
	}
}
