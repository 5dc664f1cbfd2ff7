package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// KeyKeyAdministrators names the roles that administer the project's KMS keys.
const KeyKeyAdministrators = "stratum:keyAdministrators"

// keyAdministrators parses stratum:keyAdministrators: role ARNs, exact (a key policy names
// its administrators with ArnEquals, so a pattern would match nothing), each once, in
// account when the stack declares its account (the key policy's principal is the account,
// so another account's role could never match). Unset means the environment's CI deploy
// role, which components/key fills in; an empty list is refused rather than read as that
// default, because a key without administrators cannot be deployed or repaired.
func (p *parser) keyAdministrators(key, account string) []string {
	if _, set := p.raw[key]; !set {
		return nil
	}
	if p.masked(key) {
		p.fail(key, "is a secret; role ARNs are not, and a secret value cannot be checked")
		return nil
	}
	reported := len(p.errs)
	arns := p.list(key)
	if len(p.errs) > reported {
		return nil
	}
	if len(arns) == 0 {
		p.fail(key, "is empty; list at least one role ARN, or remove the key for the default (the environment's CI deploy role)")
		return nil
	}
	rolePattern := regexp.MustCompile(`^arn:aws(-[a-z]+)*:iam::(\d{12}):role/[A-Za-z0-9+=,.@_/-]+$`)
	var bad []string
	for i, arn := range arns {
		m := rolePattern.FindStringSubmatch(arn)
		switch {
		case m == nil:
			bad = append(bad, fmt.Sprintf("[%d] %q is not a role ARN such as arn:aws:iam::111111111111:role/acme-prod-breakglass", i, arn))
		case account != "" && m[2] != account:
			bad = append(bad, fmt.Sprintf("[%d] %q is in account %s, not in this stack's account %s: the key policy names this account's principals only",
				i, arn, m[2], account))
		case slices.Index(arns, arn) < i:
			bad = append(bad, fmt.Sprintf("[%d] %q is listed twice", i, arn))
		}
	}
	if len(bad) > 0 {
		p.fail(key, "%s", strings.Join(bad, "; "))
		return nil
	}
	return arns
}
