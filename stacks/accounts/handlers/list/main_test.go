package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit/api"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/account"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/fake"
)

const (
	tableName  = "accounts-dev"
	claimsName = "claims-dev"
)

func stored(tenant, external string) account.Account {
	return account.Account{
		TenantID:          tenant,
		AccountID:         account.ID(external),
		Name:              "Account " + external,
		Provider:          "aws",
		ExternalAccountID: external,
		RoleArn:           "arn:aws:iam::" + external + ":role/stratum-dev-inventory-reader",
		ExternalID:        strings.Repeat("ab", 16),
		CreatedAt:         time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Status:            "active",
	}
}

// newHandler returns a handler over a table where tenant t-1 has n accounts and t-2 one.
func newHandler(t *testing.T, n int) (*handler, *fake.Table) {
	db := fake.NewTable(tableName, claimsName)
	for i := range n {
		db.Seed(t, stored("t-1", fmt.Sprintf("1000000000%02d", i)))
	}
	db.Seed(t, stored("t-2", "999999999999"))
	return &handler{db: db, table: tableName}, db
}

func list(tenant string, query map[string]string) events.APIGatewayV2HTTPRequest {
	req := fake.Request("GET /accounts", "accounts:read", tenant)
	req.QueryStringParameters = query
	return req
}

// handle serves req behind the API's contract, as main does, and fails the test when the
// response does not match the contract.
func handle(t *testing.T, h *handler, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, string) {
	t.Helper()
	return fake.Serve(t, h.Handle, req)
}

type page struct {
	Items []account.Account `json:"items"`
	Next  *string           `json:"next"`
}

func decode[T any](t *testing.T, resp events.APIGatewayV2HTTPResponse) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(resp.Body), &v); err != nil {
		t.Fatalf("response body %q: %v", resp.Body, err)
	}
	return v
}

func TestListAllPages(t *testing.T) {
	h, _ := newHandler(t, 7)
	var got []string
	query := map[string]string{"limit": "3"}
	for pages := 1; ; pages++ {
		if pages > 4 {
			t.Fatal("too many pages")
		}
		resp, _ := handle(t, h, list("t-1", query))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("page %d: status = %d, body %s", pages, resp.StatusCode, resp.Body)
		}
		p := decode[page](t, resp)
		if len(p.Items) > 3 {
			t.Fatalf("page %d has %d items, want at most 3", pages, len(p.Items))
		}
		for _, a := range p.Items {
			got = append(got, a.AccountID)
		}
		if p.Next == nil {
			break
		}
		query["next"] = *p.Next
	}
	var want []string
	for i := range 7 {
		want = append(want, fmt.Sprintf("aws-1000000000%02d", i))
	}
	if !slices.Equal(got, want) {
		t.Errorf("listed %v, want %v", got, want)
	}
}

func TestListDefaultLimit(t *testing.T) {
	h, _ := newHandler(t, 30)
	resp, _ := handle(t, h, list("t-1", nil))
	p := decode[page](t, resp)
	if resp.StatusCode != http.StatusOK || len(p.Items) != 25 || p.Next == nil {
		t.Errorf("response = %d with %d items, next %v; want 200, 25 items and a next page", resp.StatusCode, len(p.Items), p.Next)
	}
}

func TestListNoAccounts(t *testing.T) {
	h, _ := newHandler(t, 0)
	resp, _ := handle(t, h, list("t-3", nil))
	if resp.StatusCode != http.StatusOK || resp.Body != `{"items":[]}` {
		t.Errorf("response = %d %s, want 200 {\"items\":[]}", resp.StatusCode, resp.Body)
	}
}

func TestListSameRequestTwice(t *testing.T) {
	h, _ := newHandler(t, 3)
	first, _ := handle(t, h, list("t-1", map[string]string{"limit": "2"}))
	second, _ := handle(t, h, list("t-1", map[string]string{"limit": "2"}))
	if first.StatusCode != http.StatusOK || first.Body != second.Body {
		t.Errorf("responses differ: %s and %s", first.Body, second.Body)
	}
}

func TestListInvalid(t *testing.T) {
	h, _ := newHandler(t, 3)
	first := decode[page](t, mustHandle(t, h, list("t-1", map[string]string{"limit": "1"})))
	// The contract's validation answers before the handler runs.
	limitWant := func(problem string) map[string]string { return map[string]string{"limit": problem} }
	nextWant := map[string]string{"next": "is not a page token of this API; use the next of the previous page, or none for the first"}
	tests := map[string]struct {
		tenant string
		query  map[string]string
		want   map[string]string
	}{
		"zero":               {"t-1", map[string]string{"limit": "0"}, limitWant("must be at least 1, got 0")},
		"too large":          {"t-1", map[string]string{"limit": "101"}, limitWant("must be at most 100, got 101")},
		"not a number":       {"t-1", map[string]string{"limit": "ten"}, limitWant(`must be an integer, got "ten"`)},
		"negative":           {"t-1", map[string]string{"limit": "-5"}, limitWant("must be at least 1, got -5")},
		"long value":         {"t-1", map[string]string{"limit": strings.Repeat("9", 30)}, limitWant(fmt.Sprintf("must be an integer, got %q", strings.Repeat("9", 30)))},
		"garbage token":      {"t-1", map[string]string{"next": "garbage!"}, nextWant},
		"other tenant token": {"t-2", map[string]string{"next": *first.Next}, nextWant},
	}
	for name, tt := range tests {
		resp, _ := handle(t, h, list(tt.tenant, tt.query))
		p := decode[api.Problem](t, resp)
		if resp.StatusCode != http.StatusBadRequest || !maps.Equal(p.Errors, tt.want) {
			t.Errorf("%s: response = %d %v, want 400 %v", name, resp.StatusCode, p.Errors, tt.want)
		}
	}
}

func mustHandle(t *testing.T, h *handler, req events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	t.Helper()
	resp, _ := handle(t, h, req)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, body %s", resp.StatusCode, resp.Body)
	}
	return resp
}

func TestListForbidden(t *testing.T) {
	h, _ := newHandler(t, 1)
	write := fake.Request("GET /accounts", "accounts:write", "t-1")
	for name, req := range map[string]events.APIGatewayV2HTTPRequest{
		"write scope only": write,
		"no tenant":        list("", nil),
	} {
		if resp, _ := handle(t, h, req); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: status = %d, want 403", name, resp.StatusCode)
		}
	}
}

func TestListTableFails(t *testing.T) {
	h, db := newHandler(t, 1)
	db.Fail(fake.Query, errors.New("broken"))
	resp, logs := handle(t, h, list("t-1", nil))
	if resp.StatusCode != http.StatusInternalServerError || strings.Contains(resp.Body, "broken") {
		t.Errorf("response = %d %s, want 500 without the error", resp.StatusCode, resp.Body)
	}
	if !strings.Contains(logs, "broken") {
		t.Errorf("logs %s do not have the error", logs)
	}
}
