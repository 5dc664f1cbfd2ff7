package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/plan"
)

const typeOIDCProvider = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"

// oidcTrust checks what makes a web-identity federation safe: the provider accepts only the
// audience STS expects, and every role it may assume pins the audience and the token's exact
// subject. A role trusting a provider with a pattern or no subject can be assumed by any
// repository, branch or pull request of the identity provider (for GitHub: any repository
// on github.com).
func oidcTrust() Rule {
	return Rule{
		ID:       "oidc-trust-pinned",
		Severity: Error,
		Rationale: "An OpenID Connect provider (GitHub Actions) lets anything that identity provider signs " +
			"for assume the roles that trust it. The provider must accept only the audience STS expects " +
			"(sts.amazonaws.com), and each role's trust must require that audience and one exact subject " +
			"(StringEquals on <provider>:sub, no wildcard), so that only the named repository and event or " +
			"environment can assume it.",
		Types: []string{typeOIDCProvider, typeRole},
		Check: checkOIDCTrust,
	}
}

func checkOIDCTrust(p *plan.Plan) []Violation {
	var out []Violation
	for _, r := range ofType(p, typeOIDCProvider) {
		if clients := asStrings(input(r, "clientIdLists")); !slices.Equal(clients, []string{"sts.amazonaws.com"}) {
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf(
				"clientIdLists is %s; accept only the audience STS expects: [\"sts.amazonaws.com\"]", quoteList(clients))})
		}
	}
	for _, r := range ofType(p, typeRole) {
		for _, d := range documents(r, map[string][]string{typeRole: {"assumeRolePolicy"}}) {
			doc, problem := d.parse()
			if problem != "" {
				continue // iam-no-wildcards reports a document it cannot read
			}
			for i, st := range doc.Statement {
				if st.Effect != "Allow" || !slices.Contains(st.Action, "sts:AssumeRoleWithWebIdentity") {
					continue
				}
				for _, provider := range st.Principal["Federated"] {
					host := provider[strings.LastIndex(provider, "oidc-provider/")+len("oidc-provider/"):]
					label := statementLabel(d, i, st)
					equals := st.Condition["StringEquals"]
					if aud := equals[host+":aud"]; !slices.Equal(aud, []string{"sts.amazonaws.com"}) {
						out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf(
							"%s: trusting %s needs StringEquals %s:aud = sts.amazonaws.com", label, host, host)})
					}
					sub := equals[host+":sub"]
					if len(sub) == 0 || slices.ContainsFunc(sub, func(s string) bool { return strings.ContainsAny(s, "*?") }) {
						out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf(
							"%s: trusting %s needs StringEquals on %s:sub naming exact subjects (no StringLike, no wildcard), "+
								"or any repository or branch can assume the role", label, host, host)})
					}
				}
			}
		}
	}
	return out
}
