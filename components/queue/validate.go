package queue

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stratum-platform/stratum/components/internal/sqsqueue"
)

// Validate reports every problem with args at once.
func (a *Args) Validate() error {
	var errs []error
	if err := a.Scope.Validate(); err != nil {
		errs = append(errs, err)
	}
	check := func(field string, d, lo, hi time.Duration) {
		if err := checkDuration(d, lo, hi); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", field, err))
		}
	}
	if a.VisibilityTimeout != 0 {
		check("VisibilityTimeout", a.VisibilityTimeout, time.Second, maxVisibility)
	}
	if a.Retention != 0 {
		check("Retention", a.Retention, minRetention, maxRetention)
	}
	if a.DLQRetention != 0 {
		check("DLQRetention", a.DLQRetention, minRetention, maxRetention)
	}
	retention, dlq := or(a.Retention, defaultRetention), or(a.DLQRetention, sqsqueue.DefaultDeadLetterRetention)
	if dlq < retention && validRange(a.Retention, minRetention, maxRetention) &&
		validRange(a.DLQRetention, minRetention, maxRetention) {
		errs = append(errs, fmt.Errorf("DLQRetention: %s is shorter than Retention %s; a moved message keeps its enqueue time, so the dead-letter queue must keep messages at least as long",
			human(dlq), human(retention)))
	}
	if a.MaxReceiveCount != 0 && (a.MaxReceiveCount < 1 || a.MaxReceiveCount > maxReceiveCount) {
		errs = append(errs, fmt.Errorf("MaxReceiveCount: %d is not between 1 and %d", a.MaxReceiveCount, maxReceiveCount))
	}
	if a.Delay != 0 {
		check("Delay", a.Delay, 0, maxDelay)
	}
	if a.MaxMessageAge != 0 {
		check("MaxMessageAge", a.MaxMessageAge, time.Minute, maxRetention)
	}
	if age := or(a.MaxMessageAge, defaultMaxAge); age >= retention && validRange(a.Retention, minRetention, maxRetention) &&
		validRange(a.MaxMessageAge, time.Minute, maxRetention) {
		errs = append(errs, fmt.Errorf("MaxMessageAge: %s is not shorter than Retention %s; the age alarm could never fire",
			human(age), human(retention)))
	}
	if len(a.Publishers) > maxPublishers {
		errs = append(errs, fmt.Errorf("Publishers: %d topics is more than %d; a queue policy holds at most 8,192 bytes",
			len(a.Publishers), maxPublishers))
	}
	for i, p := range a.Publishers {
		if p.TopicArn == nil {
			errs = append(errs, fmt.Errorf("Publishers[%d].TopicArn: is required", i))
		}
	}
	return errors.Join(errs...)
}

// checkDuration checks that d is whole seconds between lo and hi.
func checkDuration(d, lo, hi time.Duration) error {
	if !validRange(d, lo, hi) {
		return fmt.Errorf("%s is not between %s and %s", human(d), human(lo), human(hi))
	}
	if d%time.Second != 0 {
		return fmt.Errorf("%s is not a whole number of seconds", human(d))
	}
	return nil
}

// validRange reports whether d is zero (the default) or between lo and hi.
func validRange(d, lo, hi time.Duration) bool {
	return d == 0 || d >= lo && d <= hi
}

func or(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// human formats a duration for messages: "14d", "12h", "1m30s", "1.5s".
func human(d time.Duration) string {
	const day = 24 * time.Hour
	if d != 0 && d%day == 0 {
		return fmt.Sprintf("%dd", d/day)
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
