package policy

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
)

func iamNoWildcards(extra []iam.WildcardAction) Rule {
	return Rule{
		ID:       "iam-no-wildcards",
		Severity: Error,
		Rationale: "Every policy document in the plan (role, inline and managed policies, trust policies, " +
			"queue, topic and KMS key policies) names exact actions: a wildcard (\"dynamodb:*\", " +
			"\"s3:Get*\") silently grants every action AWS adds later, in Deny statements it hides what is " +
			"denied. Resource \"*\" is allowed only for the actions that have no resource-level permissions " +
			"(X-Ray segments and sampling, cloudwatch:PutMetricData, and the entries a registry adds with " +
			"their reasons), in KMS key policies where it means \"this key\", and in Deny statements, where " +
			"it only narrows.",
		Types: slices.Sorted(maps.Keys(policyInputs())),
		Check: func(p *plan.Plan) []Violation { return checkWildcards(p, extra) },
	}
}

func checkWildcards(p *plan.Plan, extra []iam.WildcardAction) []Violation {
	inputs := policyInputs()
	var out []Violation
	add := func(r plan.Resource, format string, args ...any) {
		out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf(format, args...)})
	}
	for _, r := range p.Resources {
		for _, d := range documents(r, inputs) {
			doc, problem := d.parse()
			if problem != "" {
				add(r, "%s", problem)
				continue
			}
			for i, st := range doc.Statement {
				label := statementLabel(d, i, st)
				var wild, refused []string
				for _, a := range st.Action {
					if strings.ContainsAny(a, "*?") {
						wild = append(wild, a)
					}
					if !iam.WildcardResourceAllowed(a, extra...) {
						refused = append(refused, a)
					}
				}
				if len(wild) > 0 {
					add(r, "%s: wildcard action %s; name exact actions", label, quoteList(wild))
				}
				if !d.keyPolicy && st.Effect == string(iam.Allow) && slices.Contains(st.Resource, "*") && len(refused) > 0 {
					add(r, "%s: resource \"*\" is not allowed for %s; scope the statement to resource ARNs",
						label, strings.Join(refused, ", "))
				}
			}
		}
	}
	return out
}

func iamNoAWSManagedPolicies() Rule {
	return Rule{
		ID:       "iam-no-aws-managed-policies",
		Severity: Error,
		Rationale: "No role, user or group has an AWS managed policy (arn:aws:iam::aws:policy/...) " +
			"attached. They are written for every account, not for one function: " +
			"AWSLambdaBasicExecutionRole alone grants logs:CreateLogGroup and log writes on every log group " +
			"(Resource \"*\"), and AWS may widen them at any time. Grants come from exact statements scoped to " +
			"the resources a function uses.",
		Types: []string{"aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment",
			"aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", typeRole},
		Check: checkManagedPolicies,
	}
}

// isAWSManagedPolicy reports whether arn is the ARN of a policy AWS owns, in any
// partition: arn:<partition>:iam::aws:policy/<path and name>.
func isAWSManagedPolicy(arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[2] == "iam" && parts[4] == "aws" &&
		strings.HasPrefix(parts[5], "policy/")
}

func checkManagedPolicies(p *plan.Plan) []Violation {
	var out []Violation
	for _, r := range p.Resources {
		var arns []string
		switch r.Type {
		case "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment",
			"aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/groupPolicyAttachment:GroupPolicyAttachment":
			arns = []string{inputString(r, "policyArn")}
		case typeRole:
			arns = asStrings(input(r, "managedPolicyArns"))
		}
		for _, arn := range arns {
			if isAWSManagedPolicy(arn) {
				out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("%s is an AWS managed policy; "+
					"grant exact actions on exact resources in a role policy instead", arn)})
			}
		}
	}
	return out
}

func functionOwnRole() Rule {
	return Rule{
		ID:       "function-own-role",
		Severity: Error,
		Rationale: "Every Lambda function has its own execution role. A shared role gives each function " +
			"the grants of all the others, so one compromised or buggy function can read and write what " +
			"only its neighbours need, and no grant can be removed without checking every function.",
		Types: []string{typeFunction},
		Check: checkOwnRole,
	}
}

func checkOwnRole(p *plan.Plan) []Violation {
	byRole := map[string][]string{}
	fns := ofType(p, typeFunction)
	for _, r := range fns {
		if role := inputString(r, "role"); role != "" {
			byRole[role] = append(byRole[role], physicalName(r))
		}
	}
	var out []Violation
	for _, r := range fns {
		role := inputString(r, "role")
		if len(byRole[role]) < 2 || role == "" {
			continue
		}
		others := slices.DeleteFunc(slices.Clone(byRole[role]), func(n string) bool { return n == physicalName(r) })
		slices.Sort(others)
		out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("role %s is also the role of %s; "+
			"give every function its own role", role, strings.Join(slices.Compact(others), ", "))})
	}
	return out
}
