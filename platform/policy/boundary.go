package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/plan"
)

func iamRoleBoundary() Rule {
	return Rule{
		ID:       "iam-role-boundary",
		Severity: Error,
		Rationale: "Every IAM role a deploy creates carries the platform's permissions boundary (the " +
			"platform stack's output " + contract.PermissionsBoundaryArn.Name() + "), so that no role policy a " +
			"deploy writes, by mistake or by an attacker who controls the deploy, can give a role more than " +
			"the data-plane actions Stratum's components grant on the environment's resources. The CI deploy " +
			"role may only create roles that carry it; this rule refuses the plan before IAM refuses the " +
			"deploy, and names the boundary it expects: the one the plan's platform stack reference reads, or " +
			"the one the plan itself exports. The platform project's roles that GitHub's OIDC provider " +
			"assumes (the CI deploy and preview roles) are exempt: they create the roles, so they cannot be " +
			"inside the boundary, and only an administrator's deploy changes them (the deploy role is denied " +
			"it, and stacks/platform's tests pin their policies). A role of the platform project that is not " +
			"assumed through OIDC is held to the boundary like any other.",
		Types: []string{typeRole},
		Check: checkRoleBoundary,
	}
}

func checkRoleBoundary(p *plan.Plan) []Violation {
	expected := expectedBoundary(p)
	var out []Violation
	for _, r := range ofType(p, typeRole) {
		if p.Project == contract.PlatformProject && federated(r) {
			continue
		}
		got := inputString(r, "permissionsBoundary")
		switch {
		case got == "" && expected != "":
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("permissionsBoundary is not set; set it to "+
				"the platform's boundary %s (the scope's PermissionsBoundaryArn), or the deploy role cannot create it", expected)})
		case got == "":
			out = append(out, Violation{URN: r.URN, Message: "permissionsBoundary is not set; set it to the platform's " +
				"boundary (its stack output " + contract.PermissionsBoundaryArn.Name() + ")"})
		case strings.HasPrefix(got, "arn:aws:iam::aws:policy/"):
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("permissionsBoundary is the AWS managed "+
				"policy %s, which bounds nothing Stratum chose; use the platform's boundary", got)})
		case expected != "" && got != expected && got != plan.Unknown:
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("permissionsBoundary is %s, not the "+
				"platform's boundary %s", got, expected)})
		}
	}
	return out
}

// expectedBoundary returns the platform's permissions boundary as the plan knows it: its own
// output (the platform project's plan) or a stack reference's output (a context's), or "".
func expectedBoundary(p *plan.Plan) string {
	name := contract.PermissionsBoundaryArn.Name()
	if v := asString(p.Outputs[name]); v != "" {
		return v
	}
	for _, r := range ofType(p, typeStackReference) {
		outs, _ := asMap(r.Outputs["outputs"])
		if v := asString(outs[name]); v != "" {
			return v
		}
	}
	return ""
}

// federated reports whether r's trust policy lets a web identity (an OIDC provider) assume
// it, as the CI roles' do.
func federated(r plan.Resource) bool {
	for _, d := range documents(r, map[string][]string{typeRole: {"assumeRolePolicy"}}) {
		doc, problem := d.parse()
		if problem != "" {
			continue
		}
		for _, st := range doc.Statement {
			if st.Effect == "Allow" && slices.Contains(st.Action, "sts:AssumeRoleWithWebIdentity") &&
				len(st.Principal["Federated"]) > 0 {
				return true
			}
		}
	}
	return false
}
