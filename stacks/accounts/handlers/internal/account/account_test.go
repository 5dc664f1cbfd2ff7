package account_test

import (
	"bytes"
	"errors"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/account"
)

func TestRegistrationValidate(t *testing.T) {
	valid := account.Registration{Name: "Production", Provider: "aws", ExternalAccountID: "123456789012"}
	tests := []struct {
		name string
		edit func(*account.Registration)
		want map[string]string
	}{
		{name: "valid", edit: func(*account.Registration) {}},
		{name: "name of 100 characters", edit: func(r *account.Registration) { r.Name = strings.Repeat("é", 100) }},
		{
			name: "everything wrong",
			edit: func(r *account.Registration) { *r = account.Registration{} },
			want: map[string]string{
				"name":              "must have 1 to 100 characters, not only spaces",
				"provider":          `must be "aws", got ""`,
				"externalAccountId": `must be the 12 digits of an AWS account id, got ""`,
			},
		},
		{
			name: "blank name",
			edit: func(r *account.Registration) { r.Name = " \t " },
			want: map[string]string{"name": "must have 1 to 100 characters, not only spaces"},
		},
		{
			name: "name too long",
			edit: func(r *account.Registration) { r.Name = strings.Repeat("a", 101) },
			want: map[string]string{"name": "must have at most 100 characters, got 101"},
		},
		{
			name: "control character",
			edit: func(r *account.Registration) { r.Name = "prod\nINFO forged line" },
			want: map[string]string{"name": "must not contain control characters"},
		},
		{
			name: "other provider",
			edit: func(r *account.Registration) { r.Provider = "gcp" },
			want: map[string]string{"provider": `must be "aws", got "gcp"`},
		},
		{
			name: "11 digits",
			edit: func(r *account.Registration) { r.ExternalAccountID = "12345678901" },
			want: map[string]string{"externalAccountId": `must be the 12 digits of an AWS account id, got "12345678901"`},
		},
		{
			name: "not digits",
			edit: func(r *account.Registration) { r.ExternalAccountID = "12345678901x" },
			want: map[string]string{"externalAccountId": `must be the 12 digits of an AWS account id, got "12345678901x"`},
		},
		{
			name: "long value cut",
			edit: func(r *account.Registration) { r.ExternalAccountID = strings.Repeat("9", 50) },
			want: map[string]string{"externalAccountId": `must be the 12 digits of an AWS account id, got "` + strings.Repeat("9", 40) + `"...`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := valid
			tt.edit(&r)
			err := r.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			verr, ok := errors.AsType[*lambdakit.ValidationError](err)
			if !ok {
				t.Fatalf("Validate() = %v, want a *lambdakit.ValidationError", err)
			}
			if !maps.Equal(verr.Fields, tt.want) {
				t.Errorf("fields = %v, want %v", verr.Fields, tt.want)
			}
		})
	}
}

func TestValidateID(t *testing.T) {
	for _, id := range []string{"aws-123456789012", "aws-000000000000"} {
		if err := account.ValidateID(id); err != nil {
			t.Errorf("ValidateID(%q) = %v, want nil", id, err)
		}
	}
	for _, id := range []string{"", "aws-", "aws-12345678901", "aws-1234567890123", "gcp-123456789012", "AWS-123456789012", "aws-12345678901a", "123456789012"} {
		err := account.ValidateID(id)
		want := `accountId: must be "aws-" followed by 12 digits, got "` + id + `"`
		if err == nil || err.Error() != want {
			t.Errorf("ValidateID(%q) = %v, want %s", id, err, want)
		}
	}
}

func TestNew(t *testing.T) {
	r := account.Registration{Name: "Production", Provider: "aws", ExternalAccountID: "123456789012"}
	now := time.Date(2026, 3, 4, 5, 6, 7, 890, time.FixedZone("CET", 3600))
	random := bytes.NewReader(bytes.Repeat([]byte{0xab}, 16))

	got, err := account.New("t-1", r, now, random, "stratum-dev-inventory-reader")
	if err != nil {
		t.Fatal(err)
	}
	want := account.Account{
		TenantID:          "t-1",
		AccountID:         "aws-123456789012",
		Name:              "Production",
		Provider:          "aws",
		ExternalAccountID: "123456789012",
		RoleArn:           "arn:aws:iam::123456789012:role/stratum-dev-inventory-reader",
		ExternalID:        strings.Repeat("ab", 16),
		CreatedAt:         time.Date(2026, 3, 4, 4, 6, 7, 0, time.UTC),
		Status:            "pending",
		Generation:        now.UnixMilli(),
	}
	if got != want {
		t.Errorf("New() = %+v, want %+v", got, want)
	}
}

func TestNewRandomFails(t *testing.T) {
	r := account.Registration{Name: "Production", Provider: "aws", ExternalAccountID: "123456789012"}
	_, err := account.New("t-1", r, time.Now(), bytes.NewReader(make([]byte, 3)), "stratum-dev-inventory-reader")
	if err == nil || !strings.HasPrefix(err.Error(), "new external id: ") {
		t.Errorf("New() = %v, want an external id error", err)
	}
}
