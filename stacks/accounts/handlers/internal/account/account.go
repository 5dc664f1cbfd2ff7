// Package account is the accounts context's model of a tenant's registration of a cloud
// account and its store in two DynamoDB tables, shared by the context's handlers.
//
// The table `accounts` holds registrations: hash key tenantId, range key accountId. An
// account id is "aws-" followed by the 12 digits of the AWS account, so a tenant registering
// the same AWS account twice names the same item, and a retried registration cannot create
// a second one. Registrations are per tenant: any number of tenants may register the same
// AWS account, and none is told about the others. The table `claims` (hash key accountId)
// holds, for each account, the one registration that is active.
//
// The state machine of a registration:
//
//	(none) --register--> pending --claim--> active
//	pending --remove--> (none)      active --remove--> (none), and the claim goes with it
//
// A registration is created pending, with a new random external id and a new generation
// (its creation time in Unix milliseconds, greater than any earlier registration's of the
// same tenant and account). Registering proves nothing: anyone can type an account id. The
// inventory context's scan assumes the account's reader role with the registration's
// external id, which works only if the account's owner put that external id in the role's
// trust policy, and then claims the account (Claim): one transaction that writes the claim
// on condition that the account has none, and makes the registration active on condition
// that it is still pending with the same generation. The first registration to get there is
// the account's active one; any other stays pending, and the connection function gives it
// no connection details while the claim is another's, so its tenant never sees the account.
// Removing the active registration deletes the claim in the same transaction, so the
// account is claimable again at once, and never by a stale claim.
package account

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/stacks/accounts/contract"
)

// ProviderAWS is the only provider the accounts context supports.
const ProviderAWS = "aws"

// MaxNameLength is the longest name of an account, in characters.
const MaxNameLength = 100

// idPrefix starts every account id; the external account id follows.
const idPrefix = ProviderAWS + "-"

// externalIDBytes is the number of random bytes of an external id: 16 bytes give the 32
// hex characters the customer puts in the role's trust policy.
const externalIDBytes = 16

// Account is a cloud account that a tenant registered, as stored and as the API returns it.
type Account struct {
	TenantID  string `json:"tenantId" dynamodbav:"tenantId"`
	AccountID string `json:"accountId" dynamodbav:"accountId"`
	Name      string `json:"name" dynamodbav:"name"`
	Provider  string `json:"provider" dynamodbav:"provider"`
	// ExternalAccountID is the 12-digit AWS account id.
	ExternalAccountID string `json:"externalAccountId" dynamodbav:"externalAccountId"`
	// RoleArn is the role the platform assumes in the account; it is derived from
	// ExternalAccountID, never given by the customer, so a customer cannot point the
	// platform at someone else's role.
	RoleArn string `json:"roleArn" dynamodbav:"roleArn"`
	// ExternalID is the sts:ExternalId the role's trust policy must require. The API returns
	// it because the customer needs it to create the role; AWS does not treat it as a secret.
	ExternalID string `json:"externalId" dynamodbav:"externalId"`
	// CreatedAt is in UTC, to the second, so that it is stored as plain RFC 3339.
	CreatedAt time.Time `json:"createdAt" dynamodbav:"createdAt"`
	// Status is contract.StatusPending until the registration claims the account, then
	// contract.StatusActive (see the package documentation).
	Status string `json:"status" dynamodbav:"status"`
	// Generation identifies this registration among the tenant's registrations of the
	// account over time: its creation time in Unix milliseconds. Events carry it so that
	// consumers order them; the API does not show it.
	Generation int64 `json:"-" dynamodbav:"generation"`
}

// Registration is the body of POST /accounts.
type Registration struct {
	Name              string `json:"name"`
	Provider          string `json:"provider"`
	ExternalAccountID string `json:"externalAccountId"`
}

// Validate reports every invalid field of r at once, as a *lambdakit.ValidationError.
func (r Registration) Validate() error {
	fields := make(map[string]string)
	if p := nameProblem(r.Name); p != "" {
		fields["name"] = p
	}
	if r.Provider != ProviderAWS {
		fields["provider"] = fmt.Sprintf("must be %q, got %s", ProviderAWS, quote(r.Provider))
	}
	if !twelveDigits(r.ExternalAccountID) {
		fields["externalAccountId"] = "must be the 12 digits of an AWS account id, got " + quote(r.ExternalAccountID)
	}
	if len(fields) > 0 {
		return &lambdakit.ValidationError{Fields: fields}
	}
	return nil
}

// nameProblem returns what is wrong with name, or "" when it is valid. Control characters
// are refused because names end up in logs, consoles and e-mails, where they could forge
// lines.
func nameProblem(name string) string {
	n := utf8.RuneCountInString(name)
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Sprintf("must have 1 to %d characters, not only spaces", MaxNameLength)
	case n > MaxNameLength:
		return fmt.Sprintf("must have at most %d characters, got %d", MaxNameLength, n)
	case !utf8.ValidString(name):
		return "must be valid UTF-8"
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "must not contain control characters"
	}
	return ""
}

// New returns the pending registration that tenant makes with r, which must be valid: its
// id and reader role (named roleName) derived from the external account id, a new random
// external id read from random, created at now, and its generation.
func New(tenant string, r Registration, now time.Time, random io.Reader, roleName string) (Account, error) {
	b := make([]byte, externalIDBytes)
	if _, err := io.ReadFull(random, b); err != nil {
		return Account{}, fmt.Errorf("new external id: %w", err)
	}
	return Account{
		TenantID:          tenant,
		AccountID:         ID(r.ExternalAccountID),
		Name:              r.Name,
		Provider:          r.Provider,
		ExternalAccountID: r.ExternalAccountID,
		RoleArn:           "arn:aws:iam::" + r.ExternalAccountID + ":role/" + roleName,
		ExternalID:        hex.EncodeToString(b),
		CreatedAt:         now.UTC().Truncate(time.Second),
		Status:            contract.StatusPending,
		Generation:        now.UnixMilli(),
	}, nil
}

// ID returns the account id of the AWS account externalAccountID.
func ID(externalAccountID string) string {
	return idPrefix + externalAccountID
}

// ValidateID returns a *lambdakit.ValidationError for the field accountId when id is not an
// account id. Checking it before reading the table answers a mistyped id with what is
// wrong rather than with "not found".
func ValidateID(id string) error {
	if rest, ok := strings.CutPrefix(id, idPrefix); ok && twelveDigits(rest) {
		return nil
	}
	return &lambdakit.ValidationError{Fields: map[string]string{
		"accountId": fmt.Sprintf("must be %q followed by 12 digits, got %s", idPrefix, quote(id)),
	}}
}

// KeyProblems returns what is wrong with the key of a registration that another context
// sends, by field (tenantId, accountId), or nil when it is valid.
func KeyProblems(tenant, id string) map[string]string {
	fields := map[string]string{}
	if verr, ok := errors.AsType[*lambdakit.ValidationError](ValidateID(id)); ok {
		maps.Copy(fields, verr.Fields)
	}
	if strings.TrimSpace(tenant) == "" {
		fields["tenantId"] = "is required"
	}
	if len(fields) == 0 {
		return nil
	}
	return fields
}

func twelveDigits(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// maxQuoted is how many characters of a client's value an error message repeats: enough to
// recognise it, not so many that a large value fills the response and the logs.
const maxQuoted = 40

// quote returns s quoted for an error message, cut to maxQuoted characters.
func quote(s string) string {
	if utf8.RuneCountInString(s) <= maxQuoted {
		return fmt.Sprintf("%q", s)
	}
	runes := []rune(s)
	return fmt.Sprintf("%q...", string(runes[:maxQuoted]))
}
