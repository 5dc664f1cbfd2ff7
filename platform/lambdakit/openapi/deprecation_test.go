package openapi

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/api"
)

// sunsetSpec has one deprecated operation with a sunset date and one current operation.
const sunsetSpec = `openapi: 3.0.3
info: {title: Items, version: 1.0.0}
paths:
  /items:
    get:
      operationId: list
      deprecated: true
      x-deprecated-since: '2026-07-01'
      x-sunset: '2027-03-31'
      externalDocs: {url: 'https://developer.example.com/items/v2.html'}
      parameters:
        - {name: limit, in: query, schema: {type: integer, maximum: 10}}
      responses:
        '200': {description: Items., content: {application/json: {schema: {type: object}}}}
        '400': {description: Invalid., content: {application/problem+json: {schema: {type: object}}}}
    post:
      operationId: add
      responses:
        '201': {description: Added.}
`

func TestDeprecationHeaders(t *testing.T) {
	s, err := Load([]byte(sunsetSpec))
	require.NoError(t, err)
	op, _ := s.Operation("GET /items")
	require.NotNil(t, op.Deprecation)
	want := map[string]string{
		"Deprecation": "@1782864000", // 2026-07-01T00:00:00Z
		"Sunset":      "Wed, 31 Mar 2027 00:00:00 GMT",
		"Link": `<https://developer.example.com/items/v2.html>; rel="deprecation"; type="text/html", ` +
			`<https://developer.example.com/items/v2.html>; rel="sunset"; type="text/html"`,
	}
	assert.Equal(t, want, op.Deprecation.Headers())

	add, _ := s.Operation("POST /items")
	assert.Nil(t, add.Deprecation, "a current operation announces nothing")

	ok := func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		resp := api.JSON(http.StatusOK, map[string]any{})
		resp.Headers["sunset"] = "kept: the handler knows better"
		return resp, nil
	}
	ctx := lambdakit.WithLogger(context.Background(), slog.New(slog.DiscardHandler))
	h := s.Wrap(ok)

	resp, err := h(ctx, events.APIGatewayV2HTTPRequest{RouteKey: "GET /items"})
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, want["Deprecation"], resp.Headers["Deprecation"])
	assert.Equal(t, "kept: the handler knows better", resp.Headers["Sunset"])
	assert.Equal(t, want["Link"], resp.Headers["Link"])

	resp, err = h(ctx, events.APIGatewayV2HTTPRequest{RouteKey: "GET /items", RawQueryString: "limit=99"})
	require.NoError(t, err)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Equal(t, want["Deprecation"], resp.Headers["Deprecation"], "an invalid request learns of the end too")

	resp, err = h(ctx, events.APIGatewayV2HTTPRequest{RouteKey: "POST /items"})
	require.NoError(t, err)
	assert.NotContains(t, resp.Headers, "Deprecation")
}

func TestDeprecationRefused(t *testing.T) {
	for name, tc := range map[string]struct {
		from, to string
		want     []string
	}{
		"sunset on a current operation": {"      deprecated: true\n", "",
			[]string{"GET /items: x-sunset is set, but the operation is not deprecated"}},
		"no deprecation date": {"      x-deprecated-since: '2026-07-01'\n", "",
			[]string{"GET /items: x-deprecated-since is required with x-sunset"}},
		"not a date": {"'2027-03-31'", "'next spring'",
			[]string{`GET /items: x-sunset: "next spring" is not a date such as "2027-03-31"`}},
		"sunset before deprecation": {"'2027-03-31'", "'2026-01-01'",
			[]string{"GET /items: x-deprecated-since 2026-07-01 is not before x-sunset 2026-01-01"}},
		"no link": {"      externalDocs: {url: 'https://developer.example.com/items/v2.html'}\n", "",
			[]string{"GET /items: externalDocs.url (an absolute URL) is required with x-sunset"}},
		"a deprecation date without sunset": {"      x-sunset: '2027-03-31'\n", "",
			[]string{"GET /items: x-deprecated-since without x-sunset"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Load([]byte(strings.Replace(sunsetSpec, tc.from, tc.to, 1)))
			require.Error(t, err)
			for _, want := range tc.want {
				assert.Contains(t, err.Error(), want)
			}
		})
	}
}
