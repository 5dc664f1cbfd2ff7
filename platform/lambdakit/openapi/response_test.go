package openapi

import (
	"context"
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/lambdakit/api"
)

func TestValidateResponse(t *testing.T) {
	s := orders(t)
	created := func(body string) events.APIGatewayV2HTTPResponse {
		return events.APIGatewayV2HTTPResponse{
			StatusCode: http.StatusCreated,
			Headers:    map[string]string{"Content-Type": "application/json", "Location": "/orders/o-1"},
			Body:       body,
		}
	}
	cancel := request("DELETE /orders/{orderId}", "orders:read", "orders:write")
	order := `{"orderId":"o-1","item":"tea","quantity":2}`
	tests := []struct {
		name    string
		req     events.APIGatewayV2HTTPRequest
		resp    events.APIGatewayV2HTTPResponse
		wantErr string
	}{
		{name: "valid", req: place(validOrder), resp: created(order)},
		{name: "valid in base64", req: place(validOrder), resp: func() events.APIGatewayV2HTTPResponse {
			r := created(base64.StdEncoding.EncodeToString([]byte(order)))
			r.IsBase64Encoded = true
			return r
		}()},
		{name: "a problem the operation declares", req: place(`{}`), resp: api.Problem{Status: http.StatusBadRequest}.Response()},
		{name: "no content", req: cancel, resp: api.JSON(http.StatusNoContent, nil)},
		{
			name:    "a status the operation does not declare",
			req:     place(validOrder),
			resp:    api.Problem{Status: http.StatusConflict}.Response(),
			wantErr: "POST /orders (place): 409 response: status is not supported",
		},
		{
			name: "another content type",
			req:  place(validOrder),
			resp: func() events.APIGatewayV2HTTPResponse {
				r := created(order)
				r.Headers["Content-Type"] = "text/plain"
				return r
			}(),
			wantErr: `POST /orders (place): 201 response: response header Content-Type has unexpected value: "text/plain"`,
		},
		{
			name:    "a body that drifted",
			req:     place(validOrder),
			resp:    created(`{"orderId":"o-1","item":"tea","qty":2}`),
			wantErr: "POST /orders (place): 201 response: body.qty: is not a known field; body.quantity: is required",
		},
		{
			name:    "a missing header",
			req:     place(validOrder),
			resp:    func() events.APIGatewayV2HTTPResponse { r := created(order); delete(r.Headers, "Location"); return r }(),
			wantErr: `POST /orders (place): 201 response: response header "Location" missing`,
		},
		{
			name:    "a body where none is declared",
			req:     cancel,
			resp:    api.JSON(http.StatusNoContent, map[string]string{"ok": "yes"}),
			wantErr: "DELETE /orders/{orderId} (cancel): 204 response: has a body, but the spec declares no content for it",
		},
		{
			name:    "invalid base64",
			req:     place(validOrder),
			resp:    func() events.APIGatewayV2HTTPResponse { r := created(order); r.IsBase64Encoded = true; return r }(),
			wantErr: "POST /orders (place): 201 response: body is not valid base64: illegal base64 data at input byte 0",
		},
		{
			name:    "an unknown route",
			req:     request("PUT /orders"),
			resp:    api.JSON(http.StatusOK, nil),
			wantErr: `route key "PUT /orders": route is not an operation of the spec`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.ValidateResponse(context.Background(), tt.req, tt.resp)
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.EqualError(t, err, tt.wantErr)
		})
	}
}
