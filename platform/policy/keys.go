package policy

import (
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
)

func keyPolicySeparation() Rule {
	return Rule{
		ID:       "key-policy-separation",
		Severity: Error,
		Rationale: "A KMS key policy separates administering the key from using it. A statement for " +
			"principals of the account names them (an aws:PrincipalArn condition): the account root " +
			"without one hands the key to IAM, so any principal with broad KMS rights could decrypt " +
			"the data or schedule the key's deletion. No statement grants administrative and " +
			"cryptographic actions together; cryptographic use by an administrator holds only " +
			"through an AWS service (kms:ViaService); kms:CreateGrant only for AWS resources " +
			"(kms:GrantIsForAWSResource); a service principal uses the key only for named resources " +
			"(aws:SourceArn, or the log groups of kms:EncryptionContext:aws:logs:arn).",
		Types: []string{typeKey},
		Check: checkKeyPolicySeparation,
	}
}

func checkKeyPolicySeparation(p *plan.Plan) []Violation {
	var out []Violation
	for _, r := range ofType(p, typeKey) {
		docs := documents(r, policyInputs())
		if len(docs) == 0 {
			out = append(out, Violation{URN: r.URN, Message: "policy is not set: the default key policy gives the " +
				"account root kms:*, which hands every use of the key to IAM; set a policy that separates " +
				"administration from use"})
			continue
		}
		for _, d := range docs {
			doc, problem := d.parse()
			if problem != "" {
				out = append(out, Violation{URN: r.URN, Message: problem})
				continue
			}
			for i, st := range doc.Statement {
				for _, msg := range keyStatementProblems(st) {
					out = append(out, Violation{URN: r.URN, Message: statementLabel(d, i, st) + ": " + msg})
				}
			}
		}
	}
	return out
}

// keyStatementProblems says how an Allow statement of a key policy fails the separation.
func keyStatementProblems(st iam.ParsedStatement) []string {
	if st.Effect != "Allow" {
		return nil
	}
	var uses, admin bool
	for _, a := range st.Action {
		switch {
		case strings.ContainsAny(a, "*?"), iam.KMSUses(a):
			uses = true
		case slices.Contains(iam.KMSAdministrativeActions(), a):
			admin = true
		}
	}
	var out []string
	if len(st.Principal["AWS"]) > 0 {
		// Principals are named by aws:PrincipalArn, or as principals themselves when none of
		// them is an account root or anyone.
		named := len(conditionValues(st, "aws:PrincipalArn")) > 0 ||
			!slices.ContainsFunc(st.Principal["AWS"], func(p string) bool { return p == "*" || isRootArn(p) })
		via := len(conditionValues(st, "kms:ViaService")) > 0
		switch {
		case uses && admin:
			out = append(out, "grants administrative and cryptographic actions together; give administrators "+
				"and users separate statements")
		case !named && uses:
			out = append(out, "names no principal (aws:PrincipalArn): any principal of the account whose IAM "+
				"policy allows it may use the key")
		case !named && admin:
			out = append(out, "names no principal (aws:PrincipalArn): any principal of the account whose IAM "+
				"policy allows it may administer the key")
		}
		if uses && named && !via && slices.ContainsFunc(conditionValues(st, "aws:PrincipalArn"), isRootArn) {
			out = append(out, "lets the account root use the key directly; limit its use to AWS services (kms:ViaService)")
		}
	}
	if slices.Contains(st.Action, "kms:CreateGrant") && !slices.Contains(conditionValues(st, "kms:GrantIsForAWSResource"), "true") {
		out = append(out, "allows kms:CreateGrant without kms:GrantIsForAWSResource: a grant would hand the key's "+
			"use to any grantee")
	}
	if len(st.Principal["Service"]) > 0 && uses && len(conditionValues(st, "aws:SourceArn")) == 0 &&
		len(conditionValues(st, "kms:EncryptionContext:aws:logs:arn")) == 0 {
		out = append(out, "lets "+strings.Join(st.Principal["Service"], ", ")+" use the key for any resource; name "+
			"the resources (aws:SourceArn, or kms:EncryptionContext:aws:logs:arn for CloudWatch Logs)")
	}
	return out
}

// conditionValues returns the values that the positive conditions of a statement (not
// ArnNotEquals, StringNotLike...) require of variable.
func conditionValues(st iam.ParsedStatement, variable string) []string {
	var out []string
	for test, vars := range st.Condition {
		if !strings.Contains(test, "Not") {
			out = append(out, vars[variable]...)
		}
	}
	return out
}

func isRootArn(arn string) bool { return strings.HasSuffix(arn, ":root") }
