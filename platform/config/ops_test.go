package config_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/config"
)

func TestParseOpsDefaults(t *testing.T) {
	c, err := config.Parse("platform", "dev", validPlatform())
	require.NoError(t, err)
	assert.Equal(t, config.Ops{
		AuditGlacierDays: 90, AuditExpireDays: 2555, LogArchiveGlacierDays: 30, LogArchiveExpireDays: 365,
		BillingAlarmUSD: 100,
	}, c.Ops)

	accounts, err := config.Parse("accounts", "dev", valid())
	require.NoError(t, err)
	assert.Equal(t, config.Ops{}, accounts.Ops, "a context has no ops settings, and needs none of their keys")
}

func TestParseOpsSettings(t *testing.T) {
	raw := validPlatform()
	for k, v := range map[string]string{
		config.KeyAuditGlacierDays: "0", config.KeyAuditExpireDays: "0",
		config.KeyLogArchiveGlacierDays: "60", config.KeyLogArchiveExpireDays: "150",
		config.KeyLogSourceAccounts: `["222222222222","333333333333"]`,
		config.KeyLogSearch:         "true", config.KeyLogSearchAdminArn: "arn:aws:iam::111111111111:role/log-admins",
		config.KeyBillingAlarmUSD: "2500.50",
	} {
		raw[k] = config.Setting{Value: v, Source: "Pulumi.prod.yaml"}
	}
	raw[config.KeyAlarmWebhookURL] = config.Setting{Value: "[secret]", Source: "Pulumi.prod.yaml", Secret: true}
	c, err := config.Parse("platform", "prod", raw)
	require.NoError(t, err)
	assert.Equal(t, config.Ops{
		LogArchiveGlacierDays: 60, LogArchiveExpireDays: 150,
		LogSourceAccounts: []string{"222222222222", "333333333333"},
		LogSearch:         true, LogSearchAdminArn: "arn:aws:iam::111111111111:role/log-admins",
		BillingAlarmUSD: 2500.5, AlarmWebhookURL: "[secret]", AlarmWebhookSecret: true,
	}, c.Ops, "a masked webhook is kept as it is, and marked secret")
}

func TestParseOpsErrors(t *testing.T) {
	tests := []struct {
		name    string
		project string
		set     map[string]string
		want    []string
	}{
		{
			name: "a context sets platform settings", project: "accounts",
			set: map[string]string{config.KeyBillingAlarmUSD: "10", config.KeyLogSearch: "true"},
			want: []string{
				"Pulumi.dev.yaml: stratum:billingAlarmUsd: is read only by the platform project; remove it from project accounts",
				"Pulumi.dev.yaml: stratum:logSearch: is read only by the platform project; remove it from project accounts",
			},
		},
		{
			name: "malformed values", project: "platform",
			set: map[string]string{
				config.KeyAuditGlacierDays: "-1", config.KeyLogArchiveExpireDays: "forever",
				config.KeyLogSourceAccounts: `["222222222222","x"]`, config.KeyBillingAlarmUSD: "0",
				config.KeyAlarmWebhookURL: "http://chat.example/hook", config.KeyLogSearch: "yes",
			},
			want: []string{
				`Pulumi.dev.yaml: stratum:auditGlacierDays: "-1" is not a whole number of days from 0 (never) to 36500`,
				`Pulumi.dev.yaml: stratum:logArchiveExpireDays: "forever" is not a whole number of days from 0 (never) to 36500`,
				`Pulumi.dev.yaml: stratum:logSourceAccounts: has ["x"], which are not 12-digit AWS account ids`,
				`Pulumi.dev.yaml: stratum:logSearch: "yes" is not true or false`,
				`Pulumi.dev.yaml: stratum:billingAlarmUsd: "0" is not an amount of US dollars above 0 and at most 1000000`,
				`Pulumi.dev.yaml: stratum:alarmWebhookUrl: "http://chat.example/hook" is not an https:// URL`,
			},
		},
		{
			name: "expiry within Glacier's minimum", project: "platform",
			set: map[string]string{config.KeyLogArchiveGlacierDays: "30", config.KeyLogArchiveExpireDays: "100"},
			want: []string{"Pulumi.dev.yaml: stratum:logArchiveExpireDays: 100 days is less than 90 days after " +
				"stratum:logArchiveGlacierDays (30): Glacier charges 90 days for every object; expire at 120 days at " +
				"the earliest, or set stratum:logArchiveGlacierDays to 0"},
		},
		{
			name: "search without its administrator", project: "platform",
			set: map[string]string{config.KeyLogSearch: "true"},
			want: []string{"stratum:logSearchAdminArn is required when stratum:logSearch is true: the OpenSearch " +
				"domain's fine-grained access control needs a master user"},
		},
		{
			name: "an administrator without search, and a wildcard", project: "platform",
			set: map[string]string{config.KeyLogSearchAdminArn: "arn:aws:iam::111111111111:role/*"},
			want: []string{
				`Pulumi.dev.yaml: stratum:logSearchAdminArn: "arn:aws:iam::111111111111:role/*" is not an IAM role or user ARN such as arn:aws:iam::111111111111:role/log-admins`,
				"Pulumi.dev.yaml: stratum:logSearchAdminArn: is read only when stratum:logSearch is true; remove it or turn the search domain on",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := valid()
			if tt.project == "platform" {
				raw = validPlatform()
			}
			for k, v := range tt.set {
				raw[k] = config.Setting{Value: v, Source: "Pulumi.dev.yaml"}
			}
			_, err := config.Parse(tt.project, "dev", raw)
			require.Error(t, err)
			assert.ElementsMatch(t, tt.want, strings.Split(err.Error(), "\n"))
		})
	}
}
