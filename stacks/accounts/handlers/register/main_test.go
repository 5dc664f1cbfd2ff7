package main

import (
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

	"github.com/stratum-platform/stratum/platform/lambdakit/api"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/account"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/fake"
)

const (
	tableName  = "accounts-dev"
	claimsName = "claims-dev"
	body       = `{"name":"Production","provider":"aws","externalAccountId":"123456789012"}`
)

var errBroken = errors.New("broken")

// repeatReader reads as an endless run of one byte, so external ids are predictable.
type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

var now = time.Date(2026, 1, 2, 3, 4, 5, 600, time.UTC)

func newHandler() (*handler, *fake.Table) {
	db := fake.NewTable(tableName, claimsName)
	return &handler{
		db:       db,
		table:    tableName,
		roleName: "stratum-dev-inventory-reader",
		now:      func() time.Time { return now },
		random:   repeatReader(0xab),
	}, db
}

func post(tenant, body string) events.APIGatewayV2HTTPRequest {
	req := fake.Request("POST /accounts", "accounts:write", tenant)
	req.Body = body
	return req
}

func wantAccount() account.Account {
	return account.Account{
		TenantID:          "t-1",
		AccountID:         "aws-123456789012",
		Name:              "Production",
		Provider:          "aws",
		ExternalAccountID: "123456789012",
		RoleArn:           "arn:aws:iam::123456789012:role/stratum-dev-inventory-reader",
		ExternalID:        strings.Repeat("ab", 16),
		CreatedAt:         time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Status:            "pending",
		Generation:        now.UnixMilli(),
	}
}

// handle serves req behind the API's contract, as main does, and fails the test when the
// response does not match the contract.
func handle(t *testing.T, h *handler, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, string) {
	t.Helper()
	return fake.Serve(t, h.Handle, req)
}

func decode[T any](t *testing.T, resp events.APIGatewayV2HTTPResponse) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(resp.Body), &v); err != nil {
		t.Fatalf("response body %q: %v", resp.Body, err)
	}
	return v
}

func TestRegister(t *testing.T) {
	h, db := newHandler()

	resp, _ := handle(t, h, post("t-1", body))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("status = %d, want 201; body %s", resp.StatusCode, resp.Body)
	}
	if got := resp.Headers["Location"]; got != "/accounts/aws-123456789012" {
		t.Errorf("Location = %q, want /accounts/aws-123456789012", got)
	}
	if got := decode[account.Account](t, resp); got != withoutGeneration(wantAccount()) {
		t.Errorf("body = %+v, want %+v", got, wantAccount())
	}
	for _, field := range []string{`"accountId"`, `"externalAccountId"`, `"roleArn"`, `"externalId"`, `"createdAt":"2026-01-02T03:04:05Z"`, `"status":"pending"`} {
		if !strings.Contains(resp.Body, field) {
			t.Errorf("body %s has no %s", resp.Body, field)
		}
	}
	if strings.Contains(resp.Body, "generation") {
		t.Errorf("body %s shows the generation, which is internal", resp.Body)
	}
	var stored account.Account
	if err := attributevalue.UnmarshalMap(db.Item("t-1", "aws-123456789012"), &stored); err != nil || stored != wantAccount() {
		t.Errorf("stored %+v (%v), want %+v", stored, err, wantAccount())
	}
}

func withoutGeneration(a account.Account) account.Account {
	a.Generation = 0
	return a
}

func TestRegisterTwice(t *testing.T) {
	h, db := newHandler()
	first, _ := handle(t, h, post("t-1", body))

	// The retry draws another external id; the stored one must win.
	h.random = repeatReader(0xcd)
	h.now = func() time.Time { return now.Add(time.Minute) }
	second, _ := handle(t, h, post("t-1", body))
	if second.StatusCode != http.StatusOK || second.Body != first.Body {
		t.Errorf("retry = %d %s, want 200 %s", second.StatusCode, second.Body, first.Body)
	}
	if _, ok := second.Headers["Location"]; ok {
		t.Error("retry has a Location header, want none: nothing was created")
	}
	if db.Len() != 1 {
		t.Errorf("table has %d items, want 1", db.Len())
	}
}

// TestRegisterAnswersNeutrally registers an account that another tenant registered and
// holds: the answer must be exactly that of a registration nobody else made, so that it
// tells nothing about other tenants, and the other tenant's registration stays as it was.
func TestRegisterAnswersNeutrally(t *testing.T) {
	fresh, _ := newHandler()
	want, _ := handle(t, fresh, post("t-1", body))

	h, db := newHandler()
	other := wantAccount()
	other.TenantID, other.Status = "t-2", "active"
	db.Seed(t, other)
	db.SeedClaim(t, account.Claim{AccountID: other.AccountID, TenantID: "t-2", Generation: other.Generation})
	got, _ := handle(t, h, post("t-1", body))

	if got.StatusCode != want.StatusCode || got.Body != want.Body || !maps.Equal(got.Headers, want.Headers) {
		t.Errorf("registration of a held account = %d %v %s, want %d %v %s",
			got.StatusCode, got.Headers, got.Body, want.StatusCode, want.Headers, want.Body)
	}
	var kept account.Account
	if err := attributevalue.UnmarshalMap(db.Item("t-2", other.AccountID), &kept); err != nil || kept != other {
		t.Errorf("the other tenant's registration = %+v (%v), want %+v", kept, err, other)
	}
	if db.Claim(other.AccountID) == nil {
		t.Error("the other tenant's claim is gone")
	}
}

// namePattern is the contract's pattern of an account's name: not only spaces, no control
// characters.
const namePattern = `^[^\x00-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$`

// TestRegisterInvalid: the contract's validation answers before the handler runs.
func TestRegisterInvalid(t *testing.T) {
	tests := map[string]struct {
		body string
		want map[string]string
	}{
		"empty body": {"", map[string]string{"body": "is required"}},
		"not json":   {"{", map[string]string{"body": "is not valid JSON"}},
		"role given": {`{"name":"P","provider":"aws","externalAccountId":"123456789012","roleArn":"arn:aws:iam::1:role/x"}`, map[string]string{"roleArn": "is not a known field"}},
		"wrong type": {`{"name":1}`, map[string]string{"name": "must be a string, got 1", "provider": "is required", "externalAccountId": "is required"}},
		"invalid fields": {`{"name":"","provider":"gcp","externalAccountId":"1234"}`, map[string]string{
			"name":              `must have at least 1 character, got ""; must match the pattern ` + namePattern + `, got ""`,
			"provider":          `must be one of "aws", got "gcp"`,
			"externalAccountId": `must match the pattern ^[0-9]{12}$, got "1234"`}},
		"missing account": {`{"name":"P","provider":"aws"}`, map[string]string{"externalAccountId": "is required"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			h, db := newHandler()
			resp, _ := handle(t, h, post("t-1", tt.body))
			p := decode[api.Problem](t, resp)
			if resp.StatusCode != http.StatusBadRequest || !maps.Equal(p.Errors, tt.want) {
				t.Errorf("response = %d %v, want 400 %v", resp.StatusCode, p.Errors, tt.want)
			}
			if db.Calls(fake.PutItem) != 0 {
				t.Error("an invalid request reached the table")
			}
		})
	}
}

func TestRegisterForbidden(t *testing.T) {
	h, db := newHandler()
	read := fake.Request("POST /accounts", "accounts:read", "t-1")
	read.Body = body
	for name, req := range map[string]events.APIGatewayV2HTTPRequest{
		"read scope only": read,
		"no tenant":       post("", body),
	} {
		resp, _ := handle(t, h, req)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: status = %d, want 403", name, resp.StatusCode)
		}
	}
	if db.Len() != 0 {
		t.Error("a forbidden request was written")
	}
}

func TestRegisterTableFails(t *testing.T) {
	h, db := newHandler()
	db.Fail(fake.PutItem, errBroken)
	resp, logs := handle(t, h, post("t-1", body))
	assertInternalError(t, resp, logs)
}

// assertInternalError checks that resp is a 500 that hides the error, and that the error
// was logged.
func assertInternalError(t *testing.T, resp events.APIGatewayV2HTTPResponse, logs string) {
	t.Helper()
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500; body %s", resp.StatusCode, resp.Body)
	}
	if strings.Contains(resp.Body, "broken") || strings.Contains(resp.Body, tableName) {
		t.Errorf("body %s leaks the internal error", resp.Body)
	}
	if !strings.Contains(logs, "broken") {
		t.Errorf("logs %s do not have the error", logs)
	}
}
