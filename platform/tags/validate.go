package tags

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// AWS limits on tags, shared by the services the platform uses.
const (
	maxTags     = 50
	maxKeyLen   = 128
	maxValueLen = 256
)

// Validate reports every way tags break AWS tag limits: a key of 1 to 128 characters, a
// value of at most 256, only letters, numbers, spaces and _.:/=+-@, no key starting with
// the reserved "aws:" (in any case), and at most 50 tags. Problems are reported in key
// order so messages are stable.
func Validate(tags map[string]string) error {
	var errs []error
	if len(tags) > maxTags {
		errs = append(errs, fmt.Errorf("tags: %d tags; at most %d allowed", len(tags), maxTags))
	}
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := tags[k]
		if n := utf8.RuneCountInString(k); n < 1 || n > maxKeyLen {
			errs = append(errs, fmt.Errorf("tags: key %q is %d characters; 1 to %d allowed", k, n, maxKeyLen))
		}
		if c, bad := firstDisallowed(k); bad {
			errs = append(errs, fmt.Errorf("tags: key %q has character %q; allowed are letters, numbers, spaces and _.:/=+-@", k, c))
		}
		if len(k) >= 4 && strings.EqualFold(k[:4], "aws:") {
			errs = append(errs, fmt.Errorf("tags: key %q starts with \"aws:\"; AWS reserves that prefix", k))
		}
		if n := utf8.RuneCountInString(v); n > maxValueLen {
			errs = append(errs, fmt.Errorf("tags: value of %q is %d characters; at most %d allowed", k, n, maxValueLen))
		}
		if c, bad := firstDisallowed(v); bad {
			errs = append(errs, fmt.Errorf("tags: value %q of %q has character %q; allowed are letters, numbers, spaces and _.:/=+-@", v, k, c))
		}
	}
	return errors.Join(errs...)
}

// firstDisallowed finds the first character outside [\p{L}\p{Z}\p{N}_.:/=+\-@], the set
// AWS documents as portable across services. Invalid UTF-8 is reported as U+FFFD.
func firstDisallowed(s string) (rune, bool) {
	for _, c := range s {
		switch {
		case c == utf8.RuneError:
			return c, true
		case unicode.IsLetter(c), unicode.Is(unicode.Z, c), unicode.IsNumber(c):
		case strings.ContainsRune("_.:/=+-@", c):
		default:
			return c, true
		}
	}
	return 0, false
}
