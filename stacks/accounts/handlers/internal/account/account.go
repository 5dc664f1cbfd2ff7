// Package account is the accounts context's model of a registered cloud account and its
// store in the DynamoDB table `accounts`, shared by the context's handlers.
//
// The table's hash key is tenantId and its range key accountId; the global secondary
// index byAccountId (projection ALL) finds an account without its tenant. An account id is
// "aws-" followed by the 12 digits of the AWS account, so registering the same AWS account
// twice names the same item, and a retried registration cannot create a second one.
package account

import (
	"encoding/hex"
	"fmt"
	"io"
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

// New returns the account that tenant registers with r, which must be valid: its id and
// role derived from the external account id, a new random external id read from random,
// and created at now.
func New(tenant string, r Registration, now time.Time, random io.Reader) (Account, error) {
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
		RoleArn:           RoleArn(r.ExternalAccountID),
		ExternalID:        hex.EncodeToString(b),
		CreatedAt:         now.UTC().Truncate(time.Second),
	}, nil
}

// ID returns the account id of the AWS account externalAccountID.
func ID(externalAccountID string) string {
	return idPrefix + externalAccountID
}

// RoleArn returns the role the platform assumes in the AWS account externalAccountID.
func RoleArn(externalAccountID string) string {
	return "arn:aws:iam::" + externalAccountID + ":role/" + contract.ReaderRoleName
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
