package local

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReplacingChanges(t *testing.T) {
	const table = "aws:dynamodb/table:Table"
	base := func() map[string]any {
		return map[string]any{
			"name": "acme-dev-accounts-accounts", "hashKey": "tenantId", "rangeKey": "accountId",
			"billingMode":           "PAY_PER_REQUEST",
			"localSecondaryIndexes": []any{map[string]any{"name": "byCreated", "rangeKey": "createdAt", "projectionType": "ALL"}},
		}
	}
	tests := []struct {
		name   string
		change func(map[string]any)
		want   []string
	}{
		{"nothing", func(map[string]any) {}, nil},
		{"in place", func(m map[string]any) { m["billingMode"] = "PROVISIONED" }, nil},
		{"key", func(m map[string]any) { m["hashKey"] = "accountId"; delete(m, "rangeKey") }, []string{"hashKey", "rangeKey"}},
		{"rename", func(m map[string]any) { m["name"] = "acme-dev-accounts-accounts-g2" }, []string{"name"}},
		{"index", func(m map[string]any) {
			m["localSecondaryIndexes"] = []any{map[string]any{"name": "byCreated", "rangeKey": "updatedAt", "projectionType": "ALL"}}
		}, []string{"localSecondaryIndexes[].rangeKey"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := base()
			tt.change(n)
			got, err := ReplacingChanges(table, base(), n)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	_, err := ReplacingChanges("aws:nope/nope:Nope", nil, nil)
	assert.EqualError(t, err, "local: unknown resource type aws:nope/nope:Nope (not in aws-replace-on-change.json)")
}
