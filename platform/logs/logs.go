// Package logs holds the CloudWatch Logs rules that config and components both check.
package logs

import (
	"slices"
	"strconv"
	"strings"
)

// retentionDays are the values CloudWatch Logs accepts for a log group's retention.
var retentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// ValidRetention reports whether days is a retention CloudWatch Logs accepts.
func ValidRetention(days int) bool { return slices.Contains(retentionDays, days) }

// RetentionValues lists the accepted retentions, for error messages: "1, 3, 5, ...".
func RetentionValues() string {
	s := make([]string, len(retentionDays))
	for i, n := range retentionDays {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}
