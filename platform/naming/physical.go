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
// Characters k does not allow become "-", names are lowercased where AWS ignores or forbids
// case, and reserved prefixes are broken. When that changed anything, or the name is too
// long or too short for k, the name is cut to fit and ends in "-" and 8 hex characters of a
// SHA-256 of the original, so distinct names stay distinct. Fixed prefixes and suffixes
// (".fifo", "alias/") are added here; callers pass only the name.
//
// Physical does not validate s or k, so it never fails: call Scope.Validate once where the
// scope is built, and Rule.Validate in the tests of a package that declares a kind. A kind
// whose rule is invalid gets a strict fallback rule.
func (s Scope) Physical(k Kind, name string) string {
	r := fallback()
	if k != nil {
		if kr := k.Rule(); kr.Validate() == nil {
			r = kr
		}
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

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:4])
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// Valid reports every way physical breaks the naming rules of kind k: its length, its
// characters, a missing fixed prefix or suffix, a part AWS reserves or an end that must be a
// letter or digit. An invalid kind is reported instead.
func Valid(k Kind, physical string) error {
	if b, ok := k.(Builtin); ok && !b.known() {
		return fmt.Errorf("naming: unknown kind %d; use one of the Builtin constants or a Rule", int(b))
	}
	if k == nil {
		return errors.New("naming: kind is nil; use one of the Builtin constants or a Rule")
	}
	r := k.Rule()
	if err := r.Validate(); err != nil {
		return fmt.Errorf("naming: kind %q: %w", r.Name, err)
	}
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("naming: %s name %q "+format, append([]any{r.Name, physical}, args...)...))
	}
	n := utf8.RuneCountInString(physical)
	if n < r.Min {
		fail("is %d characters; at least %d required", n, r.Min)
	}
	if n > r.Max {
		fail("is %d characters; at most %d allowed", n, r.Max)
	}
	body := physical
	if r.Prefix != "" {
		if rest, ok := strings.CutPrefix(body, r.Prefix); ok {
			body = rest
		} else {
			fail("must start with %q", r.Prefix)
		}
	}
	if r.Suffix != "" {
		if rest, ok := strings.CutSuffix(body, r.Suffix); ok {
			body = rest
		} else {
			fail("must end with %q", r.Suffix)
		}
	}
	if body == "" && physical != "" {
		fail("has nothing besides %q", r.Prefix+r.Suffix)
	}
	for _, c := range body {
		if !r.allows(c) {
			fail("has character %q; allowed are %s", c, r.charset())
			break
		}
	}
	if p := r.reservedPrefix(body); p != "" {
		fail("must not start with %q; AWS reserves it", r.Prefix+p)
	}
	if sfx := r.reservedSuffix(body); sfx != "" {
		fail("must not end with %q; AWS reserves it", sfx+r.Suffix)
	}
	if r.AlphanumericEnds && body != "" && (!isAlnum(rune(body[0])) || !isAlnum(rune(body[len(body)-1]))) {
		fail("must start and end with a letter or digit")
	}
	return errors.Join(errs...)
}
