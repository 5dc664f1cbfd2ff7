package schedule

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// checkExpression lists why expr is not an EventBridge Scheduler expression: rate(5
// minutes), cron(0 3 * * ? *) or at(2026-01-31T09:00:00). Each problem names expr.
func checkExpression(expr string) []error {
	kind, body, ok := strings.Cut(expr, "(")
	body, closed := strings.CutSuffix(body, ")")
	var problems []error
	switch {
	case !ok || !closed:
	case kind == "rate":
		problems = checkRate(body)
	case kind == "cron":
		problems = checkCron(body)
	case kind == "at":
		if _, err := time.Parse("2006-01-02T15:04:05", body); err != nil {
			problems = []error{errors.New("at(...) needs a date and time such as at(2026-01-31T09:00:00)")}
		}
	default:
		ok = false
	}
	if !ok || !closed {
		return []error{fmt.Errorf("%q is not rate(...), cron(...) or at(...)", expr)}
	}
	for i, p := range problems {
		problems[i] = fmt.Errorf("%q: %w", expr, p)
	}
	return problems
}

// checkRate accepts "<n> <unit>" with n >= 1 and the unit singular exactly when n is 1,
// as Scheduler requires.
func checkRate(body string) []error {
	value, unit, _ := strings.Cut(body, " ")
	n, err := strconv.Atoi(value)
	if err != nil || n < 1 || value != strconv.Itoa(n) {
		return []error{fmt.Errorf("rate value %q is not a whole number from 1", value)}
	}
	singular := map[string]bool{"minute": true, "hour": true, "day": true}
	plural := strings.TrimSuffix(unit, "s")
	switch {
	case n == 1 && singular[unit]:
		return nil
	case n > 1 && unit != plural && singular[plural]:
		return nil
	case n == 1:
		return []error{fmt.Errorf("rate unit %q is not minute, hour or day", unit)}
	}
	return []error{fmt.Errorf("rate unit %q is not minutes, hours or days", unit)}
}

// cronField is one field of a cron expression: the characters it allows besides digits,
// how messages describe them, and the range of its numbers.
type cronField struct {
	name, extra, allowed string
	min, max             int
}

// cronFields are the six fields of a Scheduler cron expression, in order.
func cronFields() []cronField {
	return []cronField{
		{"minutes", ",-*/", ", - * /", 0, 59},
		{"hours", ",-*/", ", - * /", 0, 23},
		{"day-of-month", ",-*?/LW", ", - * ? / L W", 1, 31},
		{"month", ",-*/ABCDEFGJLMNOPRSTUVY", ", - * / JAN-DEC", 1, 12},
		{"day-of-week", ",-*?/L#ADEFHIMNORSTUW", ", - * ? / L # SUN-SAT", 1, 7},
		{"year", ",-*/", ", - * /", 1970, 2199},
	}
}

// checkCron checks the shape of a cron expression: six fields, their characters, the range
// of plain numbers, and exactly one of day-of-month and day-of-week set to "?".
func checkCron(body string) []error {
	parts := strings.Fields(body)
	fields := cronFields()
	if len(parts) != len(fields) {
		return []error{fmt.Errorf("cron(...) has %d fields, not 6 (minutes hours day-of-month month day-of-week year)", len(parts))}
	}
	var errs []error
	for i, f := range fields {
		if err := f.check(parts[i]); err != nil {
			errs = append(errs, err)
		}
	}
	if (parts[2] == "?") == (parts[4] == "?") {
		errs = append(errs, errors.New(`cron(...) needs exactly one of day-of-month and day-of-week to be "?"`))
	}
	return errs
}

func (f cronField) check(v string) error {
	for _, c := range v {
		if (c < '0' || c > '9') && !strings.ContainsRune(f.extra, unicode.ToUpper(c)) {
			return fmt.Errorf("cron %s %q: %q is not allowed; allowed digits and %s", f.name, v, c, f.allowed)
		}
	}
	// Numbers after "/" are increments and after "#" occurrences: only the others are values.
	for _, item := range strings.Split(v, ",") {
		item, _, _ = strings.Cut(item, "/")
		item, _, _ = strings.Cut(item, "#")
		for _, num := range strings.Split(item, "-") {
			n, err := strconv.Atoi(strings.TrimRight(num, "LW"))
			if err == nil && (n < f.min || n > f.max) {
				return fmt.Errorf("cron %s %q: %d is not between %d and %d", f.name, v, n, f.min, f.max)
			}
		}
	}
	return nil
}
