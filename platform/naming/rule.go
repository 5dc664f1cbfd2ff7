package naming

import (
	"errors"
	"fmt"
	"strings"
)

// Case says how an AWS resource type treats the letter case of its names.
type Case int

// The ways AWS treats case.
const (
	// CaseKept: AWS tells "Orders" from "orders", so names keep their case.
	CaseKept Case = iota
	// CaseFolded: AWS accepts any case but compares names without it (IAM), so Physical
	// lowercases names, and two names differing only in case are one name.
	CaseFolded
	// CaseLower: AWS accepts lowercase letters only (S3 buckets), so Physical lowercases
	// names and Valid refuses an uppercase letter.
	CaseLower
)

// Rule is the naming rule of one AWS resource type: a Kind that any package can declare.
// ASCII letters and digits are always allowed (only lowercase ones with CaseLower); Extra
// lists the other allowed characters. Validate says whether Physical can keep its promises
// for the rule.
type Rule struct {
	// Name names the kind in messages, for example "S3 bucket". Required.
	Name string
	// Min and Max limit the length of the whole physical name, Prefix and Suffix included.
	// Required: 1 <= Min <= Max.
	Min, Max int
	// Extra lists the characters allowed besides ASCII letters and digits. It must include
	// "-": Physical puts it in place of every character the kind does not allow and before
	// the hash that marks a changed name. Required.
	Extra string
	// Case says how AWS treats letter case. Default: CaseKept.
	Case Case
	// Prefix and Suffix are fixed parts of every name (a KMS alias's "alias/", a FIFO
	// queue's ".fifo"): Physical adds them, Valid requires them, and Extra does not apply
	// to them. Default: none.
	Prefix, Suffix string
	// ReservedPrefixes are starts that AWS keeps for itself, of the part after Prefix, in
	// any case ("aws/" of log groups, "xn--" of S3 buckets). Physical breaks them: it turns
	// the last character into "-", or drops a reserved prefix that already ends in "-".
	// Each must have a character other than "-" and hex digits, so that the hash that
	// Physical may put first cannot start one. Default: none.
	ReservedPrefixes []string
	// ReservedSuffixes are ends that AWS keeps for itself, of the part before Suffix
	// ("-s3alias" of S3 buckets). Physical appends the hash to a name that ends in one.
	// Each must have a character other than "-" and hex digits, so that the hash cannot end
	// one. Default: none.
	ReservedSuffixes []string
	// AlphanumericEnds requires the part between Prefix and Suffix to start and end with a
	// letter or digit. Physical drops other characters at the start. Default: false.
	AlphanumericEnds bool
}

// Rule returns r itself: a Rule is a Kind.
func (r Rule) Rule() Rule { return r }

// Validate reports every way r cannot be a kind at once: missing or contradictory limits,
// characters Physical cannot use, and reserved parts the hash of a changed name could form.
func (r Rule) Validate() error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if r.Name == "" {
		fail("Name: is required (the kind's name in messages, such as \"S3 bucket\")")
	}
	if r.Min < 1 {
		fail("Min: %d is less than 1", r.Min)
	}
	if r.Max < r.Min {
		fail("Max: %d is less than Min %d", r.Max, r.Min)
	}
	fixed := len(r.Prefix) + len(r.Suffix)
	if r.Max-fixed < hashLen {
		fail("Max: %d leaves %d characters besides Prefix and Suffix; at least %d are needed for a shortened name and its hash",
			r.Max, r.Max-fixed, hashLen)
	}
	if r.Min > fixed+hashLen-1 {
		fail("Min: %d is more than %d, the shortest name Physical can pad to (Prefix, Suffix and a hash)", r.Min, fixed+hashLen-1)
	}
	if !strings.Contains(r.Extra, "-") {
		fail("Extra: %q must include \"-\", which replaces disallowed characters and precedes the hash", r.Extra)
	}
	for _, c := range r.Extra {
		if c <= ' ' || c >= 0x7f || isAlnum(c) {
			fail("Extra: %q has %q; list only printable ASCII characters besides letters and digits", r.Extra, c)
		}
	}
	switch r.Case {
	case CaseKept, CaseFolded, CaseLower:
	default:
		fail("Case: %d is not CaseKept, CaseFolded or CaseLower", r.Case)
	}
	for i, p := range r.ReservedPrefixes {
		if strings.Trim(strings.ToLower(p), "0123456789abcdef-") == "" {
			fail("ReservedPrefixes[%d]: %q needs a character other than \"-\" and hex digits, or a hash could start it", i, p)
		}
	}
	for i, s := range r.ReservedSuffixes {
		if strings.Trim(strings.ToLower(s), "0123456789abcdef-") == "" {
			fail("ReservedSuffixes[%d]: %q needs a character other than \"-\" and hex digits, or a hash could end it", i, s)
		}
	}
	return errors.Join(errs...)
}

func (r Rule) allows(c rune) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		return true
	case c >= 'A' && c <= 'Z':
		return r.Case != CaseLower
	case c < 0x80:
		return strings.ContainsRune(r.Extra, c)
	}
	return false
}

// charset describes the allowed characters for messages, for example "[A-Za-z0-9_-]".
func (r Rule) charset() string {
	if r.Case == CaseLower {
		return "[a-z0-9" + r.Extra + "]"
	}
	return "[A-Za-z0-9" + r.Extra + "]"
}

// fit turns full into a valid name of the kind; see Scope.Physical.
func (r Rule) fit(full string) string {
	body, changed := r.sanitize(full)
	budget := r.Max - len(r.Prefix) - len(r.Suffix)
	if changed || len(body) > budget || len(r.Prefix)+len(body)+len(r.Suffix) < r.Min {
		keep := min(len(body), budget-hashLen)
		// sanitize leaves only ASCII, so cutting bytes cuts characters. Trailing hyphens
		// would double up with the one before the hash, and with AlphanumericEnds nothing
		// but a letter or digit may come before it either.
		kept := strings.TrimRightFunc(body[:keep], func(c rune) bool {
			return c == '-' || r.AlphanumericEnds && !isAlnum(c)
		})
		body = shortHash(full)
		if kept != "" {
			// The cut can end a name right where "-" and the hash complete a reserved
			// prefix; breaking it again leaves the hash, which is alphanumeric and valid.
			body, _ = r.clearStart(kept + "-" + body)
		}
	}
	return r.Prefix + body + r.Suffix
}

// sanitize replaces disallowed characters, folds case where AWS ignores or forbids it,
// breaks reserved prefixes, clears the start of a name that must start with a letter or
// digit and notices a reserved suffix or a bad end; it reports whether the name has to
// change (and so carry a hash).
func (r Rule) sanitize(full string) (string, bool) {
	var b strings.Builder
	b.Grow(len(full))
	changed := false
	for _, c := range full {
		switch {
		case r.Case != CaseKept && c >= 'A' && c <= 'Z':
			b.WriteRune(c + 'a' - 'A')
			changed = true
		case r.allows(c):
			b.WriteRune(c)
		default:
			b.WriteByte('-')
			changed = true
		}
	}
	body, cleared := r.clearStart(b.String())
	if cleared || r.reservedSuffix(body) != "" || r.AlphanumericEnds && body != "" && !isAlnum(rune(body[len(body)-1])) {
		changed = true
	}
	return body, changed
}

// clearStart breaks the reserved prefixes body starts with and, with AlphanumericEnds,
// drops what comes before its first letter or digit, until neither applies; it reports
// whether it changed body.
func (r Rule) clearStart(body string) (string, bool) {
	changed := false
	for again := true; again; {
		again = false
		if r.AlphanumericEnds {
			if trimmed := strings.TrimLeftFunc(body, func(c rune) bool { return !isAlnum(c) }); trimmed != body {
				body, changed, again = trimmed, true, true
			}
		}
		if p := r.reservedPrefix(body); p != "" {
			// Breaking the prefix where it ends keeps the name readable ("aws/x" becomes
			// "aws-x"); a prefix that already ends in "-" can only go. Either way the
			// loop ends: each round turns a character into "-" or shortens body.
			if n := len(p); p[n-1] != '-' {
				body = body[:n-1] + "-" + body[n:]
			} else {
				body = body[n:]
			}
			changed, again = true, true
		}
	}
	return body, changed
}

// reservedPrefix returns the reserved prefix body starts with (in any case), or "".
func (r Rule) reservedPrefix(body string) string {
	for _, p := range r.ReservedPrefixes {
		if p != "" && hasPrefixFold(body, p) {
			return p
		}
	}
	return ""
}

// reservedSuffix returns the reserved suffix body ends with (in any case), or "".
func (r Rule) reservedSuffix(body string) string {
	for _, s := range r.ReservedSuffixes {
		if s != "" && len(body) >= len(s) && strings.EqualFold(body[len(body)-len(s):], s) {
			return s
		}
	}
	return ""
}

func isAlnum(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
