package naming

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// hashLen is the length of the "-" and 8 hex characters that mark a changed name. 32 bits
// make an accidental collision between two changed names of one scope very unlikely while
// leaving most of a 64-character limit to the readable part.
const hashLen = 9

// Physical returns the deterministic physical name of a resource of kind k:
// "<org>-<env>-<context>-<name>", or "<org>-<env>-<context>" when name is empty.
//
// Characters k does not allow become "-", and IAM names are lowercased. When that changed
// anything, or the name is too long or too short for k, the name is cut to fit and ends in
// "-" and 8 hex characters of a SHA-256 of the original, so distinct names stay distinct.
// The ".fifo" suffix of FIFO queues and topics and the "alias/" prefix of KMS aliases are
// added here; callers pass only the name.
//
// Physical does not validate s, so it never fails: call Scope.Validate once where the scope
// is built.
func (s Scope) Physical(k Kind, name string) string {
	r, ok := k.rule()
	if !ok {
		r = fallback()
	}
	full := s.Prefix()
	if name != "" {
		full += "-" + name
	}
	return r.fit(full)
}

// LambdaLogGroup returns the log group Lambda writes to for a function's physical name.
// The platform creates that group itself, with retention and encryption, before Lambda
// would create one without either.
func LambdaLogGroup(function string) string {
	return "/aws/lambda/" + function
}

func (r rule) fit(full string) string {
	body, changed := r.sanitize(full)
	budget := r.max - len(r.prefix) - len(r.suffix)
	if changed || len(body) > budget || len(r.prefix)+len(body)+len(r.suffix) < r.min {
		keep := min(len(body), budget-hashLen)
		// sanitize leaves only ASCII, so cutting bytes cuts characters. Trailing hyphens
		// would double up with the one before the hash.
		body = strings.TrimRight(body[:keep], "-") + "-" + shortHash(full)
	}
	return r.prefix + body + r.suffix
}

// sanitize replaces disallowed characters, folds case where AWS ignores it, and breaks a
// reserved prefix; it reports whether it changed anything.
func (r rule) sanitize(full string) (string, bool) {
	var b strings.Builder
	b.Grow(len(full))
	changed := false
	for _, c := range full {
		switch {
		case r.fold && c >= 'A' && c <= 'Z':
			b.WriteRune(c + 'a' - 'A')
			changed = true
		case r.allows(c):
			b.WriteRune(c)
		default:
			b.WriteByte('-')
			changed = true
		}
	}
	body := b.String()
	if r.reserved != "" && hasPrefixFold(body, r.reserved) {
		// Every reserved prefix ends in "/": turning it into "-" keeps the name readable.
		n := len(r.reserved)
		body = body[:n-1] + "-" + body[n:]
		changed = true
	}
	return body, changed
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:4])
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// Valid reports every way physical breaks the naming rules of kind k: its length, its
// characters, a missing fixed prefix or suffix, or a prefix reserved by AWS.
func Valid(k Kind, physical string) error {
	r, ok := k.rule()
	if !ok {
		return fmt.Errorf("naming: unknown kind %d; use one of the Kind constants", int(k))
	}
	var errs []error
	n := utf8.RuneCountInString(physical)
	if n < r.min {
		errs = append(errs, fmt.Errorf("naming: %s name %q is %d characters; at least %d required", r.name, physical, n, r.min))
	}
	if n > r.max {
		errs = append(errs, fmt.Errorf("naming: %s name %q is %d characters; at most %d allowed", r.name, physical, n, r.max))
	}
	body := physical
	if r.prefix != "" {
		if rest, ok := strings.CutPrefix(body, r.prefix); ok {
			body = rest
		} else {
			errs = append(errs, fmt.Errorf("naming: %s name %q must start with %q", r.name, physical, r.prefix))
		}
	}
	if r.suffix != "" {
		if rest, ok := strings.CutSuffix(body, r.suffix); ok {
			body = rest
		} else {
			errs = append(errs, fmt.Errorf("naming: %s name %q must end with %q", r.name, physical, r.suffix))
		}
	}
	if body == "" && physical != "" {
		errs = append(errs, fmt.Errorf("naming: %s name %q has nothing besides %q", r.name, physical, r.prefix+r.suffix))
	}
	for _, c := range body {
		if !r.allows(c) {
			errs = append(errs, fmt.Errorf("naming: %s name %q has character %q; allowed are %s", r.name, physical, c, r.charset()))
			break
		}
	}
	if r.reserved != "" && hasPrefixFold(body, r.reserved) {
		errs = append(errs, fmt.Errorf("naming: %s name %q must not start with %q; AWS reserves it", r.name, physical, r.prefix+r.reserved))
	}
	return errors.Join(errs...)
}
