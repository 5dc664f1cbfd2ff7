package apidiff

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// base is a small API: one operation with a bounded query parameter and a response field.
const base = `openapi: 3.0.3
info: {title: Orders, version: 1.0.0}
paths:
  /orders:
    get:
      operationId: list
      parameters:
        - name: limit
          in: query
          schema: {type: integer, minimum: 1, maximum: 100}
      responses:
        '200':
          description: A page.
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items: {type: array, items: {type: string}}
  /orders/{orderId}:
    delete:
      operationId: cancel
      parameters:
        - {name: orderId, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: Cancelled.}
`

func edit(t *testing.T, old, replacement string) []byte {
	t.Helper()
	require.Contains(t, base, old)
	return []byte(strings.Replace(base, old, replacement, 1))
}

func TestCompare(t *testing.T) {
	tests := []struct {
		name     string
		revision []byte
		want     []Change // only the breaking and warning ones
		info     int
	}{
		{name: "unchanged", revision: []byte(base)},
		{
			name: "an operation removed",
			revision: edit(t, `    delete:
      operationId: cancel
      parameters:
        - {name: orderId, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: Cancelled.}
`, "    get:\n      operationId: get\n      responses:\n        '204': {description: Found.}\n"),
			want: []Change{{Breaking, "api-removed-without-deprecation",
				"error at v1.yaml, in API DELETE /orders/{orderId} API removed without deprecation [api-removed-without-deprecation]."}},
			info: 2, // the new operation, and info.version not bumped

		},
		{
			name:     "a parameter narrowed",
			revision: edit(t, "maximum: 100", "maximum: 50"),
			want: []Change{{Breaking, "request-parameter-max-decreased",
				"error at v1.yaml, in API GET /orders for the `query` request parameter `limit`, the max was decreased from `100.00` to `50.00` [request-parameter-max-decreased]."}},
			info: 1, // info.version not bumped
		},
		{
			name:     "a response field removed",
			revision: edit(t, "required: [items]\n                properties:\n                  items: {type: array, items: {type: string}}", "properties:\n                  count: {type: integer}"),
			want: []Change{{Breaking, "response-required-property-removed",
				"error at v1.yaml, in API GET /orders removed the required property `items` from the response with the `200` status [response-required-property-removed]."}},
			info: 2, // count, and info.version not bumped
		},
		{
			name:     "additions",
			revision: edit(t, "                  items: {type: array, items: {type: string}}\n", "                  items: {type: array, items: {type: string}}\n                  next: {type: string}\n  /health:\n    get:\n      operationId: health\n      responses:\n        '200': {description: Up.}\n"),
			info:     2,
		},
		{
			name:     "a parameter widened",
			revision: edit(t, "minimum: 1, maximum: 100", "minimum: 1, maximum: 200"),
			info:     1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changes, err := Compare("v1.yaml", []byte(base), tt.revision)
			require.NoError(t, err)
			var severe []Change
			info := 0
			for _, c := range changes {
				if c.Level == Compatible {
					info++
					continue
				}
				severe = append(severe, c)
			}
			assert.Equal(t, tt.want, severe)
			assert.Equal(t, tt.info, info, "compatible changes: %v", changes)
		})
	}
}

func TestCompareRefusesInvalidSpecs(t *testing.T) {
	_, err := Compare("v1.yaml", []byte("openapi: ["), []byte(base))
	assert.ErrorContains(t, err, "v1.yaml: base: ")
	_, err = Compare("v1.yaml", []byte(base), []byte("openapi: ["))
	assert.ErrorContains(t, err, "v1.yaml: ")
}

// TestInventoryV2IsAMajorVersion shows why inventory's v2 is a file of its own: as a change to
// v1, it would break v1's clients.
func TestInventoryV2IsAMajorVersion(t *testing.T) {
	v1, err := os.ReadFile("../../stacks/inventory/api/v1.yaml")
	require.NoError(t, err)
	v2, err := os.ReadFile("../../stacks/inventory/api/v2.yaml")
	require.NoError(t, err)
	changes, err := Compare("stacks/inventory/api/v1.yaml", v1, v2)
	require.NoError(t, err)
	r := Result{Path: "stacks/inventory/api/v1.yaml", Status: Compared, Changes: changes}
	assert.Equal(t, 1, r.Count(Breaking))
	assert.Equal(t, "response-required-property-removed", changes[0].ID)
	assert.EqualError(t, Check([]Result{r}), "stacks/inventory/api/v1.yaml (1): breaking changes to a major version of an API; "+
		"publish an incompatible change as a new major version (v<N+1>.yaml) beside the old one")
}

func TestCheck(t *testing.T) {
	assert.NoError(t, Check(nil))
	assert.NoError(t, Check([]Result{
		{Path: "stacks/a/api/v1.yaml", Status: Compared, Changes: []Change{{Level: Compatible}, {Level: Warning}}},
		{Path: "stacks/a/api/v2.yaml", Status: New},
		{Path: "stacks/b/api/v1.yaml", Status: Removed},
	}))
	err := Check([]Result{
		{Path: "stacks/a/api/v1.yaml", Status: Compared, Changes: []Change{{Level: Breaking}, {Level: Breaking}, {Level: Compatible}}},
		{Path: "stacks/b/api/v1.yaml", Status: Compared, Changes: []Change{{Level: Breaking}}},
	})
	assert.ErrorIs(t, err, ErrBreaking)
	assert.ErrorContains(t, err, "stacks/a/api/v1.yaml (2), stacks/b/api/v1.yaml (1): breaking changes")
}
