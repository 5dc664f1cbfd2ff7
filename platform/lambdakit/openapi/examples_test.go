package openapi

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckExamples(t *testing.T) {
	require.NoError(t, orders(t).CheckExamples())

	valid, err := os.ReadFile("testdata/orders.yaml")
	require.NoError(t, err)
	broken := strings.NewReplacer(
		// A request example with a wrong type and a missing field.
		"              item: tea\n              quantity: 2\n              address:\n                city: Lyon\n",
		"              item: tea\n              quantity: two\n",
		// A parameter without an example.
		"            maximum: 50\n          example: 10\n", "            maximum: 50\n",
		// A response example with a field the schema does not have.
		"                    items:\n                      - orderId: o-1\n",
		"                    items:\n                      - orderId: o-1\n                        price: 3\n",
		// A response without an example.
		"          example:\n            status: 400\n", "",
	).Replace(string(valid))
	s, err := Load([]byte(broken))
	require.NoError(t, err)
	err = s.CheckExamples()
	require.Error(t, err)
	assert.Equal(t, strings.Join([]string{
		`GET /orders (list): parameter "limit": has no example`,
		`GET /orders (list): response 200 application/json: example "one": items.0.price: is not a known field`,
		`POST /orders (place): request body application/json: example "example": address: is required; quantity: must be an integer, got "two"`,
		`POST /orders (place): response 400 application/problem+json: has no example`,
		`POST /orders (place): response 403 application/problem+json: has no example`,
		`GET /orders/{orderId} (get): response 404 application/problem+json: has no example`,
	}, "\n"), err.Error())
}

func TestCheckExamplesInSchemas(t *testing.T) {
	valid, err := os.ReadFile("testdata/orders.yaml")
	require.NoError(t, err)
	// An example kin-openapi finds inside a schema, where no operation shows it.
	broken := strings.Replace(string(valid), "        orderId:\n          type: string\n", "        orderId:\n          type: string\n          example: 7\n", 1)
	s, err := Load([]byte(broken))
	require.NoError(t, err)
	err = s.CheckExamples()
	require.Error(t, err)
	assert.Contains(t, err.Error(), `examples: invalid components: schema "Order": invalid example: value must be a string`)
}

func TestCheckBindings(t *testing.T) {
	s := orders(t)
	all := map[string]string{"place": "place", "list": "list", "get": "read", "cancel": "cancel", "health": "read"}
	require.NoError(t, s.CheckBindings(all, []string{"cancel", "list", "place", "read"}))

	without := func(m map[string]string, id string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			if k != id {
				out[k] = v
			}
		}
		return out
	}
	with := func(m map[string]string, id, handler string) map[string]string {
		out := without(m, id)
		out[id] = handler
		return out
	}
	for name, tc := range map[string]struct {
		bindings map[string]string
		handlers []string
		want     string
	}{
		"an operation without handler": {
			bindings: without(all, "cancel"), handlers: []string{"list", "place", "read"},
			want: `operation "cancel" (DELETE /orders/{orderId}) has no handler: bind it to the handler that serves it`,
		},
		"a handler that is gone": {
			bindings: all, handlers: []string{"list", "place", "read"},
			want: `operation "cancel" (DELETE /orders/{orderId}) is bound to handler "cancel", which is not an HTTP handler of the context (list, place, read)`,
		},
		"a handler without operation": {
			bindings: without(all, "cancel"), handlers: []string{"cancel", "list", "place", "read"},
			want: `operation "cancel" (DELETE /orders/{orderId}) has no handler: bind it to the handler that serves it` + "\n" +
				`handler "cancel" serves no operation of the spec: bind an operation to it, or remove it`,
		},
		"an operation that is gone": {
			bindings: with(all, "refund", "refund"), handlers: []string{"cancel", "list", "place", "read", "refund"},
			want: `binding "refund" -> "refund": the spec has no operation "refund" (operations: cancel, get, health, list, place)` + "\n" +
				`handler "refund" serves no operation of the spec: bind an operation to it, or remove it`,
		},
		"nothing at all": {
			bindings: nil, handlers: nil,
			want: strings.Join([]string{
				`operation "health" (GET /health) has no handler: bind it to the handler that serves it`,
				`operation "list" (GET /orders) has no handler: bind it to the handler that serves it`,
				`operation "place" (POST /orders) has no handler: bind it to the handler that serves it`,
				`operation "get" (GET /orders/{orderId}) has no handler: bind it to the handler that serves it`,
				`operation "cancel" (DELETE /orders/{orderId}) has no handler: bind it to the handler that serves it`,
			}, "\n"),
		},
	} {
		t.Run(name, func(t *testing.T) {
			assert.EqualError(t, s.CheckBindings(tc.bindings, tc.handlers), tc.want)
		})
	}
}
