package schedule_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/schedule"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
)

func TestExpressions(t *testing.T) {
	for expr, want := range map[string]string{
		"rate(1 minute)":                "",
		"rate(5 minutes)":               "",
		"rate(1 hour)":                  "",
		"rate(12 hours)":                "",
		"rate(1 day)":                   "",
		"rate(7 days)":                  "",
		"cron(0 3 * * ? *)":             "",
		"cron(0/15 8-18 ? * MON-FRI *)": "",
		"cron(30 9 L * ? 2027)":         "",
		"cron(0 10 ? JAN,JUL 2#1 *)":    "",
		"cron(0 12 15W * ? *)":          "",
		"at(2026-01-31T09:00:00)":       "",
		"every day":                     `"every day" is not rate(...), cron(...) or at(...)`,
		"rate(5 minutes":                `"rate(5 minutes" is not rate(...), cron(...) or at(...)`,
		"daily(1)":                      `"daily(1)" is not rate(...), cron(...) or at(...)`,
		"rate(0 minutes)":               `"rate(0 minutes)": rate value "0" is not a whole number from 1`,
		"rate(five minutes)":            `"rate(five minutes)": rate value "five" is not a whole number from 1`,
		"rate(1 minutes)":               `"rate(1 minutes)": rate unit "minutes" is not minute, hour or day`,
		"rate(5 minute)":                `"rate(5 minute)": rate unit "minute" is not minutes, hours or days`,
		"rate(2 weeks)":                 `"rate(2 weeks)": rate unit "weeks" is not minutes, hours or days`,
		"cron(0 3 * * *)":               `"cron(0 3 * * *)": cron(...) has 5 fields, not 6 (minutes hours day-of-month month day-of-week year)`,
		"cron(0 3 * * * *)":             `"cron(0 3 * * * *)": cron(...) needs exactly one of day-of-month and day-of-week to be "?"`,
		"cron(60 24 ? * MON *)":         "\"cron(60 24 ? * MON *)\": cron minutes \"60\": 60 is not between 0 and 59\nExpression: \"cron(60 24 ? * MON *)\": cron hours \"24\": 24 is not between 0 and 23",
		"cron(0 3 ? 13 MON *)":          `"cron(0 3 ? 13 MON *)": cron month "13": 13 is not between 1 and 12`,
		"cron(0 3 ? * 8 *)":             `"cron(0 3 ? * 8 *)": cron day-of-week "8": 8 is not between 1 and 7`,
		"cron(0 3 1 * ? 1969)":          `"cron(0 3 1 * ? 1969)": cron year "1969": 1969 is not between 1970 and 2199`,
		"cron(0 3 1 * ? x)":             `"cron(0 3 1 * ? x)": cron year "x": 'x' is not allowed; allowed digits and , - * /`,
		"at(2026-01-31)":                `"at(2026-01-31)": at(...) needs a date and time such as at(2026-01-31T09:00:00)`,
	} {
		t.Run(expr, func(t *testing.T) {
			args := valid()
			args.Expression = expr
			err := args.Validate()
			if want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, "Expression: "+want, err.Error())
		})
	}
}

// valid returns Args that pass validation; Function only has to be set.
func valid() schedule.Args {
	return schedule.Args{Scope: scopetest.New(), Function: fakeFunction(), Expression: "rate(1 hour)"}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*schedule.Args)
		want []string
	}{
		{"valid", func(*schedule.Args) {}, nil},
		{"valid limits", func(a *schedule.Args) {
			a.Retries, a.MaxEventAge, a.FlexibleWindow = new(185), 24*time.Hour, 24*time.Hour
			a.TimeZone, a.Input = "America/New_York", `"plain string"`
		}, nil},
		{"required", func(a *schedule.Args) { a.Function, a.Expression = nil, "" }, []string{
			"Function: is required (the function to invoke)",
			"Expression: is required; allowed rate(...), cron(...) or at(...)",
		}},
		{"everything else", func(a *schedule.Args) {
			a.TimeZone = "Mars/Olympus"
			a.FlexibleWindow = 90 * time.Second
			a.Input = "{not json"
			a.Retries = new(186)
			a.MaxEventAge = 30 * time.Second
			a.Description = strings.Repeat("d", 513)
		}, []string{
			`TimeZone: "Mars/Olympus" is not an IANA time zone such as Europe/Paris`,
			"FlexibleWindow: 1m30s is not whole minutes between 1m0s and 24h0m0s",
			`Input: "{not json" is not valid JSON`,
			"Retries: 186 is not between 0 and 185",
			"MaxEventAge: 30s is not whole seconds between 1m0s and 24h0m0s",
			"Description: 513 characters is more than 512",
		}},
		{"upper bounds", func(a *schedule.Args) {
			a.TimeZone = "Local"
			a.FlexibleWindow = 25 * time.Hour
			a.Retries = new(-1)
			a.MaxEventAge = 25 * time.Hour
		}, []string{
			`TimeZone: "Local" is not an IANA time zone such as Europe/Paris`,
			"FlexibleWindow: 25h0m0s is not whole minutes between 1m0s and 24h0m0s",
			"Retries: -1 is not between 0 and 185",
			"MaxEventAge: 25h0m0s is not whole seconds between 1m0s and 24h0m0s",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := valid()
			tc.edit(&args)
			err := args.Validate()
			if tc.want == nil {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, strings.Join(tc.want, "\n"), err.Error())
		})
	}
}

func TestNewReportsEveryProblem(t *testing.T) {
	err := plantest.RunErr(program(func(a *schedule.Args) {
		a.Scope.AlarmTopicArn = nil
		a.Expression = "rate(0 minutes)"
		a.Input = "{"
	}))
	require.Error(t, err)
	for _, want := range []string{
		`schedule "nightly": Scope.AlarmTopicArn: is required (the SNS topic alarms notify)`,
		"\nExpression: \"rate(0 minutes)\": rate value \"0\" is not a whole number from 1",
		"\nInput: \"{\" is not valid JSON",
	} {
		assert.Contains(t, err.Error(), want)
	}
}
