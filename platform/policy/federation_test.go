package policy_test

import (
	"testing"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
)

func federatedRole(name string, condition map[string]any) plan.Resource {
	trust := map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRoleWithWebIdentity"},
		"Principal": map[string]any{"Federated": []any{"arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"}},
		"Condition": condition}
	return res("aws:iam/role:Role", name, map[string]any{"name": physical(name), "assumeRolePolicy": doc(trust)}, nil)
}

func TestOIDCTrustPinned(t *testing.T) {
	const host = "token.actions.githubusercontent.com"
	pinned := map[string]any{"StringEquals": map[string]any{host + ":aud": "sts.amazonaws.com", host + ":sub": "repo:acme/stratum:environment:dev"}}
	pattern := map[string]any{"StringEquals": map[string]any{host + ":aud": "sts.amazonaws.com"},
		"StringLike": map[string]any{host + ":sub": "repo:acme/*"}}
	starred := map[string]any{"StringEquals": map[string]any{host + ":aud": "sts.amazonaws.com", host + ":sub": "repo:acme/stratum:*"}}
	noAudience := map[string]any{"StringEquals": map[string]any{host + ":sub": "repo:acme/stratum:pull_request"}}
	provider := func(clients ...any) plan.Resource {
		return res("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "github",
			map[string]any{"url": "https://" + host, "clientIdLists": clients}, nil)
	}
	subject := "assumeRolePolicy statement 0: trusting " + host + " needs StringEquals on " + host +
		":sub naming exact subjects (no StringLike, no wildcard), or any repository or branch can assume the role"
	runCases(t, "oidc-trust-pinned", []ruleCase{
		{"pinned", [][]plan.Resource{one(provider("sts.amazonaws.com")), one(federatedRole("deploy", pinned))}, nil},
		{"a subject pattern", [][]plan.Resource{one(federatedRole("deploy", pattern))}, []policy.Violation{{
			URN: urn("aws:iam/role:Role", "deploy"), Message: subject}}},
		{"a wildcard in an exact subject", [][]plan.Resource{one(federatedRole("deploy", starred))}, []policy.Violation{{
			URN: urn("aws:iam/role:Role", "deploy"), Message: subject}}},
		{"no audience", [][]plan.Resource{one(federatedRole("deploy", noAudience))}, []policy.Violation{{
			URN: urn("aws:iam/role:Role", "deploy"), Message: "assumeRolePolicy statement 0: trusting " + host +
				" needs StringEquals " + host + ":aud = sts.amazonaws.com"}}},
		{"a provider for other audiences", [][]plan.Resource{one(provider("sts.amazonaws.com", "other"))}, []policy.Violation{{
			URN:     urn("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "github"),
			Message: `clientIdLists is "sts.amazonaws.com", "other"; accept only the audience STS expects: ["sts.amazonaws.com"]`}}},
	})
}
