package policy

import (
	"fmt"
	"slices"

	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
)

// Secrets Manager types the secret rules read.
const (
	typeSecretPolicy   = "aws:secretsmanager/secretPolicy:SecretPolicy"
	typeSecretRotation = "aws:secretsmanager/secretRotation:SecretRotation"
	typeSecretVersion  = "aws:secretsmanager/secretVersion:SecretVersion"
	typeRolePolicy     = "aws:iam/rolePolicy:RolePolicy"
)

// maxRotationDays is the longest a secret may go without rotation.
const maxRotationDays = 365

// OperatorSecretTag is the tag (key and value) of a secret whose value an operator puts
// and replaces by a runbook, because its other half is registered elsewhere (the developer
// portal's signing key, whose public half is CloudFront's): components/secret tags a Manual
// secret so. Such a secret needs no rotation; everything else of secret-baseline holds.
const (
	OperatorSecretTag      = "rotation"
	OperatorSecretTagValue = "operator"
)

func secretBaseline() Rule {
	return Rule{
		ID:       "secret-baseline",
		Severity: Error,
		Rationale: "Every Secrets Manager secret is what components/secret makes it (Security Hub " +
			"SecretsManager.1 and .4, cdk-nag SMG4): encrypted with a customer managed KMS key; rotated by " +
			"a function at least every " + fmt.Sprint(maxRotationDays) + " days, so a leaked key stops " +
			"working (unless tagged " + OperatorSecretTag + "=" + OperatorSecretTagValue + ": a key whose " +
			"other half is registered elsewhere, which an operator replaces by a runbook); one resource policy with Block Public Policy on that denies reading the value " +
			"(secretsmanager:GetSecretValue) to every principal but those it names by aws:PrincipalArn, so " +
			"that no broad IAM allow (an administrator's, the deploy role's) reaches it, and that names every " +
			"role the plan grants GetSecretValue on the secret (a reader it denies fails at run time); no " +
			"value in the program (a secret version keeps it in the Pulumi state, readable by whoever reads " +
			"the state); and in a protected environment (as stateful-protection decides) the secret and its " +
			"policy protected and retained, so neither a destroy nor a replacement loses the key or leaves it " +
			"without its policy.",
		Types: []string{typeSecret, typeSecretPolicy, typeSecretRotation, typeSecretVersion},
		Check: checkSecrets,
	}
}

func checkSecrets(p *plan.Plan) []Violation {
	var out []Violation
	add := func(r plan.Resource, format string, args ...any) {
		out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf(format, args...)})
	}
	for _, v := range ofType(p, typeSecretVersion) {
		add(v, "a secret version sets the value in the program, so it is kept in the Pulumi state; let the "+
			"secret's rotation function write every value")
	}
	policies := bySecret(p, typeSecretPolicy, "secretArn")
	rotations := bySecret(p, typeSecretRotation, "secretId")
	grants := secretReaders(p)
	protected := protectedPlan(p)
	for _, s := range ofType(p, typeSecret) {
		arn := outputString(s, "arn")
		if msg := customerKey(s, "kmsKeyId", "alias/aws/secretsmanager", "the secret is encrypted with the AWS managed key aws/secretsmanager"); msg != "" {
			add(s, "%s", msg)
		}
		if msg := rotationProblem(rotations[arn]); msg != "" && inputString(s, "tags", OperatorSecretTag) != OperatorSecretTagValue {
			add(s, "%s", msg)
		}
		pol, hasPolicy := policies[arn]
		if !hasPolicy {
			add(s, "has no resource policy; add one that denies secretsmanager:GetSecretValue to every principal "+
				"but its readers (ArnNotEquals on aws:PrincipalArn)")
		} else {
			for _, msg := range secretPolicyProblems(pol, grants[arn]) {
				add(pol, "%s", msg)
			}
		}
		if protected != "" {
			for _, r := range []plan.Resource{s, pol} {
				if r.URN != "" && (!r.Protect || !r.RetainOnDelete) {
					add(r, "protect and retainOnDelete are not both set although %s", protected)
				}
			}
		}
	}
	return out
}

// bySecret indexes the resources of typ by the secret ARN in their input key.
func bySecret(p *plan.Plan, typ, key string) map[string]plan.Resource {
	out := map[string]plan.Resource{}
	for _, r := range ofType(p, typ) {
		out[inputString(r, key)] = r
	}
	return out
}

// rotationProblem says what is wrong with a secret's rotation r (zero when there is none).
func rotationProblem(r plan.Resource) string {
	if r.URN == "" {
		return "has no rotation; rotate it with a function (aws:secretsmanager/secretRotation), so that a leaked key stops working"
	}
	if inputString(r, "rotationLambdaArn") == "" {
		return "its rotation names no rotationLambdaArn; a function must write the new values"
	}
	days, ok := asNumber(input(r, "rotationRules", "automaticallyAfterDays"))
	schedule := inputString(r, "rotationRules", "scheduleExpression")
	if (!ok || days < 1 || days > maxRotationDays) && schedule == "" {
		return fmt.Sprintf("its rotation has no rotationRules.automaticallyAfterDays from 1 to %d (nor a "+
			"scheduleExpression); rotate at least yearly", maxRotationDays)
	}
	return ""
}

// secretPolicyProblems says what is wrong with a secret's resource policy, given the role
// ARNs that role policies of the plan allow to read it.
func secretPolicyProblems(r plan.Resource, readers []string) []string {
	var out []string
	if !inputTrue(r, "blockPublicPolicy") {
		out = append(out, "blockPublicPolicy is not true: Secrets Manager would accept a policy that opens the "+
			"secret to other accounts or to everyone")
	}
	var doc iam.Parsed
	for _, d := range documents(r, policyInputs()) {
		parsed, problem := d.parse()
		if problem != "" {
			return append(out, problem)
		}
		doc = parsed
	}
	allowed, ok := readExceptions(doc)
	if !ok {
		return append(out, "no statement denies secretsmanager:GetSecretValue to Principal \"*\" but the "+
			"principals named by aws:PrincipalArn (ArnNotEquals): any IAM allow in the account reaches the value")
	}
	for _, role := range readers {
		if !slices.Contains(allowed, role) {
			out = append(out, fmt.Sprintf("denies secretsmanager:GetSecretValue to %s, which the plan grants it: "+
				"name the role's function among the secret's Readers", role))
		}
	}
	return out
}

// readExceptions returns the principals a Deny of GetSecretValue to everyone leaves out, and
// whether the document has such a statement.
func readExceptions(doc iam.Parsed) ([]string, bool) {
	for _, st := range doc.Statement {
		if st.Effect != "Deny" || !slices.Contains(st.Action, "secretsmanager:GetSecretValue") ||
			!slices.Equal(st.Principal["AWS"], []string{"*"}) {
			continue
		}
		for _, test := range []string{"ArnNotEquals", "StringNotEquals"} {
			if arns, ok := st.Condition[test]["aws:PrincipalArn"]; ok && len(st.Condition) == 1 {
				return arns, true
			}
		}
	}
	return nil, false
}

// secretReaders maps each secret ARN to the ARNs of the plan's roles whose inline policies
// allow secretsmanager:GetSecretValue on it.
func secretReaders(p *plan.Plan) map[string][]string {
	roles := map[string]string{} // role name -> ARN
	for _, r := range ofType(p, typeRole) {
		roles[physicalName(r)] = outputString(r, "arn")
	}
	out := map[string][]string{}
	for _, rp := range ofType(p, typeRolePolicy) {
		arn := roles[inputString(rp, "role")]
		if arn == "" {
			continue
		}
		for _, d := range documents(rp, policyInputs()) {
			doc, problem := d.parse()
			if problem != "" {
				continue
			}
			for _, st := range doc.Statement {
				if st.Effect != "Allow" || !slices.Contains(st.Action, "secretsmanager:GetSecretValue") {
					continue
				}
				for _, res := range st.Resource {
					if !slices.Contains(out[res], arn) {
						out[res] = append(out[res], arn)
					}
				}
			}
		}
	}
	return out
}

// protectedPlan says why the plan protects stateful resources, as stateful-protection
// decides it (its stack, or a protected stateful resource), or "".
func protectedPlan(p *plan.Plan) string {
	if p.Stack == ProtectedStack {
		return fmt.Sprintf("stack %q protects stateful resources", ProtectedStack)
	}
	for _, r := range statefulResources(p) {
		if r.Protect {
			return "this plan protects stateful resources"
		}
	}
	return ""
}
