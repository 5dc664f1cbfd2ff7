package openapi

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// orders loads the test spec, testdata/orders.yaml.
func orders(t *testing.T) *Spec {
	t.Helper()
	data, err := os.ReadFile("testdata/orders.yaml")
	require.NoError(t, err)
	s, err := Load(data)
	require.NoError(t, err)
	return s
}

func TestOperations(t *testing.T) {
	s := orders(t)
	var got []string
	for _, o := range s.Operations() {
		got = append(got, o.RouteKey()+" "+o.ID+" ["+strings.Join(o.Scopes, " ")+"]")
		if o.Public {
			got[len(got)-1] += " public"
		}
	}
	assert.Equal(t, []string{
		"GET /health health [] public",
		"GET /orders list [orders:read]",
		"POST /orders place [orders:write]",
		"GET /orders/{orderId} get [orders:read]",
		"DELETE /orders/{orderId} cancel [orders:read orders:write]",
	}, got)

	o, ok := s.Operation("DELETE /orders/{orderId}")
	require.True(t, ok)
	assert.Equal(t, "cancel", o.ID)
	_, ok = s.Operation("PUT /orders/{orderId}")
	assert.False(t, ok)
	assert.Equal(t, "Orders", s.Document().Info.Title)
}

func TestLoadRefuses(t *testing.T) {
	valid, err := os.ReadFile("testdata/orders.yaml")
	require.NoError(t, err)
	for name, tc := range map[string]struct {
		data string
		want []string
	}{
		"not YAML":     {data: "openapi: [", want: []string{"openapi: parse:"}},
		"OpenAPI 3.1":  {data: strings.Replace(string(valid), "openapi: 3.0.3", "openapi: 3.1.0", 1), want: []string{`openapi: version "3.1.0": want 3.0.x`}},
		"Swagger 2":    {data: "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n", want: []string{`openapi: version "": want 3.0.x`}},
		"invalid spec": {data: strings.Replace(string(valid), "title: Orders\n", "", 1), want: []string{"openapi: invalid:", "title"}},
		"operations without operationId": {
			data: strings.NewReplacer("      operationId: place\n", "", "      operationId: cancel\n", "").Replace(string(valid)),
			want: []string{
				"POST /orders: operationId is required: it names the handler that serves the operation",
				"DELETE /orders/{orderId}: operationId is required",
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Load([]byte(tc.data))
			require.Error(t, err)
			for _, want := range tc.want {
				assert.Contains(t, err.Error(), want)
			}
		})
	}
}
