package config

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/stratum-platform/stratum/platform/contract"
)

// Keys of the audit, log and billing settings, which only the platform project reads: its
// stack holds the trail, the log pipeline and the billing guards of an environment.
const (
	KeyAuditGlacierDays      = "stratum:auditGlacierDays"
	KeyAuditExpireDays       = "stratum:auditExpireDays"
	KeyLogArchiveGlacierDays = "stratum:logArchiveGlacierDays"
	KeyLogArchiveExpireDays  = "stratum:logArchiveExpireDays"
	KeyLogSourceAccounts     = "stratum:logSourceAccounts"
	KeyLogSearch             = "stratum:logSearch"
	KeyLogSearchAdminArn     = "stratum:logSearchAdminArn"
	KeyBillingAlarmUSD       = "stratum:billingAlarmUsd"
	KeyAlarmWebhookURL       = "stratum:alarmWebhookUrl"
)

// Limits of the ops settings.
const (
	// glacierMinimumDays is how long S3 Glacier Flexible Retrieval charges every object.
	glacierMinimumDays = 90
	// maxDays keeps lifecycle days to what a person means (100 years).
	maxDays = 36500
	// maxBillingUSD keeps a mistyped threshold (cents for dollars) from passing unnoticed.
	maxBillingUSD = 1_000_000
)

var (
	// An IAM role or user ARN: the OpenSearch master user is a principal, never a wildcard.
	iamPrincipalPattern = regexp.MustCompile(`^arn:aws(-[a-z]+)*:iam::\d{12}:(role|user)/[A-Za-z0-9+=,.@_/-]{1,512}$`)
)

// Ops holds the platform project's audit, log and billing settings; it is empty in every
// other project.
type Ops struct {
	// AuditGlacierDays and AuditExpireDays move the audit trail's log files to S3 Glacier
	// Flexible Retrieval and delete them, in days after delivery; 0 is never.
	AuditGlacierDays, AuditExpireDays int
	// LogArchiveGlacierDays and LogArchiveExpireDays do the same for the log archive.
	LogArchiveGlacierDays, LogArchiveExpireDays int
	// LogSourceAccounts are the other accounts (of the organisation) whose log groups may
	// subscribe to the platform's log destination; this account always may.
	LogSourceAccounts []string
	// LogSearch adds an OpenSearch domain that the log stream is also delivered to.
	LogSearch bool
	// LogSearchAdminArn is the IAM role (or user) that administers the OpenSearch domain:
	// its fine-grained access control's master user. Set only with LogSearch.
	LogSearchAdminArn string
	// BillingAlarmUSD is the month's spend, in US dollars, above which the billing alarm and
	// the budget notify the alarm topic.
	BillingAlarmUSD float64
	// AlarmWebhookURL is an HTTPS endpoint subscribed to the alarm topics besides the
	// e-mail; empty means none. AlarmWebhookSecret says it is a secret value (a URL that
	// carries a token), which the program keeps secret.
	AlarmWebhookURL    string
	AlarmWebhookSecret bool
}

// opsKeys lists the ops keys, sorted.
func opsKeys() []string {
	return []string{KeyAlarmWebhookURL, KeyAuditExpireDays, KeyAuditGlacierDays, KeyBillingAlarmUSD,
		KeyLogArchiveExpireDays, KeyLogArchiveGlacierDays, KeyLogSearch, KeyLogSearchAdminArn, KeyLogSourceAccounts}
}

// opsDefaults are the defaults of the ops keys: audit logs kept seven years (a common
// retention for audit evidence), in Glacier after 90 days; the log archive kept a year, in
// Glacier after 30 days; no search domain; a billing alarm above 100 US dollars.
func opsDefaults() map[string]string {
	return map[string]string{
		KeyAuditGlacierDays: "90", KeyAuditExpireDays: "2555",
		KeyLogArchiveGlacierDays: "30", KeyLogArchiveExpireDays: "365",
		KeyLogSearch: "false", KeyBillingAlarmUSD: "100",
	}
}

// ops parses the ops settings of the platform project and refuses them in any other project.
func (p *parser) ops(project string) Ops {
	if project != contract.PlatformProject {
		for _, key := range opsKeys() {
			if _, set := p.raw[key]; set {
				p.fail(key, "is read only by the %s project; remove it from project %s", contract.PlatformProject, project)
			}
		}
		return Ops{}
	}
	o := Ops{
		AuditGlacierDays:      p.days(KeyAuditGlacierDays),
		AuditExpireDays:       p.days(KeyAuditExpireDays),
		LogArchiveGlacierDays: p.days(KeyLogArchiveGlacierDays),
		LogArchiveExpireDays:  p.days(KeyLogArchiveExpireDays),
		LogSourceAccounts:     p.accounts(KeyLogSourceAccounts),
		LogSearch:             p.boolean(KeyLogSearch),
		LogSearchAdminArn:     p.match(KeyLogSearchAdminArn, false, iamPrincipalPattern, "an IAM role or user ARN such as arn:aws:iam::111111111111:role/log-admins"),
		BillingAlarmUSD:       p.usd(KeyBillingAlarmUSD),
		AlarmWebhookURL:       p.httpsURL(KeyAlarmWebhookURL),
		AlarmWebhookSecret:    p.raw[KeyAlarmWebhookURL].Secret,
	}
	p.lifecycle(KeyAuditGlacierDays, KeyAuditExpireDays, o.AuditGlacierDays, o.AuditExpireDays)
	p.lifecycle(KeyLogArchiveGlacierDays, KeyLogArchiveExpireDays, o.LogArchiveGlacierDays, o.LogArchiveExpireDays)
	switch _, set := p.raw[KeyLogSearchAdminArn]; {
	case o.LogSearch && o.LogSearchAdminArn == "" && !set:
		p.errs = append(p.errs, fmt.Errorf("%s is required when %s is true: the OpenSearch domain's fine-grained access "+
			"control needs a master user", KeyLogSearchAdminArn, KeyLogSearch))
	case !o.LogSearch && set:
		p.fail(KeyLogSearchAdminArn, "is read only when %s is true; remove it or turn the search domain on", KeyLogSearch)
	}
	return o
}

// days parses a whole number of days from 0 (never) to maxDays.
func (p *parser) days(key string) int {
	v := p.str(key, true)
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > maxDays {
		p.failValue(key, v, fmt.Sprintf("a whole number of days from 0 (never) to %d", maxDays))
		return 0
	}
	return n
}

// lifecycle checks that objects expire no sooner than Glacier's minimum storage after they
// move there: an earlier expiry is billed the whole 90 days anyway.
func (p *parser) lifecycle(glacierKey, expireKey string, glacier, expire int) {
	if glacier > 0 && expire > 0 && expire < glacier+glacierMinimumDays {
		p.fail(expireKey, "%d days is less than %d days after %s (%d): Glacier charges %d days for every object; "+
			"expire at %d days at the earliest, or set %s to 0", expire, glacierMinimumDays, glacierKey, glacier,
			glacierMinimumDays, glacier+glacierMinimumDays, glacierKey)
	}
}

// accounts parses a list of 12-digit AWS account ids, reporting every malformed one.
func (p *parser) accounts(key string) []string {
	list := p.list(key)
	var bad []string
	for _, a := range list {
		if !accountPattern.MatchString(a) {
			bad = append(bad, strconv.Quote(a))
		}
	}
	if len(bad) > 0 {
		p.fail(key, "has %v, which are not 12-digit AWS account ids", bad)
		return nil
	}
	return list
}

// usd parses a positive amount of US dollars up to maxBillingUSD.
func (p *parser) usd(key string) float64 {
	v := p.str(key, true)
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f <= 0 || f > maxBillingUSD {
		p.failValue(key, v, fmt.Sprintf("an amount of US dollars above 0 and at most %d", maxBillingUSD))
		return 0
	}
	return f
}
