package account

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

// maxCursorLength bounds the token a client sends back, before it is decoded. A real one
// is about 100 characters: a tenant id and an account id, in JSON, in base64.
const maxCursorLength = 1024

// cursor is what a page token holds: the key of the last account of the page. The tenant
// is part of it so that a token is refused for any other tenant, rather than quietly
// paging through the caller's own accounts from another tenant's position.
type cursor struct {
	TenantID  string `json:"tenantId"`
	AccountID string `json:"accountId"`
}

// encodeCursor returns the page token for the LastEvaluatedKey key of a query of tenant's
// accounts.
func encodeCursor(key map[string]types.AttributeValue, tenant string) (string, error) {
	t, okT := key["tenantId"].(*types.AttributeValueMemberS)
	a, okA := key["accountId"].(*types.AttributeValueMemberS)
	if !okT || !okA || len(key) != 2 {
		return "", errors.New("page token: last evaluated key is not a key of the table")
	}
	if t.Value != tenant {
		return "", fmt.Errorf("page token: last evaluated key is of tenant %q", t.Value)
	}
	data, err := json.Marshal(cursor{TenantID: t.Value, AccountID: a.Value})
	if err != nil {
		return "", fmt.Errorf("page token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(data), nil
}

// decodeCursor returns the account id in token, after checking that token is one that
// encodeCursor returned for tenant. Every failure is the same *lambdakit.ValidationError:
// the token is opaque, so the client can do nothing with the details.
func decodeCursor(token, tenant string) (string, error) {
	invalid := &lambdakit.ValidationError{Fields: map[string]string{
		"next": "is not a page token of this API; use the next of the previous page, or none for the first",
	}}
	if len(token) > maxCursorLength {
		return "", invalid
	}
	data, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", invalid
	}
	var c cursor
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil || dec.More() {
		return "", invalid
	}
	if c.TenantID != tenant || ValidateID(c.AccountID) != nil {
		return "", invalid
	}
	return c.AccountID, nil
}
