package policy

import (
	"encoding/json"
	"fmt"

	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
)

// document is one policy document held by an input of a resource.
type document struct {
	// key is where the document is, for messages: "policy", "inlinePolicies[0].policy".
	key  string
	text string
	// keyPolicy marks KMS key policies, where Resource "*" means "this key".
	keyPolicy bool
}

// policyInputs names the inputs that hold a policy document, by resource type. Role inline
// policies are read separately because they sit in a list.
func policyInputs() map[string][]string {
	return map[string][]string{
		"aws:iam/groupPolicy:GroupPolicy":              {"policy"},
		"aws:iam/policy:Policy":                        {"policy"},
		"aws:iam/rolePolicy:RolePolicy":                {"policy"},
		"aws:iam/userPolicy:UserPolicy":                {"policy"},
		"aws:s3/bucketPolicy:BucketPolicy":             {"policy"},
		"aws:secretsmanager/secretPolicy:SecretPolicy": {"policy"},
		typeKey:         {"policy"},
		typeQueue:       {"policy"},
		typeQueuePolicy: {"policy"},
		typeRole:        {"assumeRolePolicy"},
		typeTopic:       {"policy"},
		typeTopicPolicy: {"policy"},
	}
}

// documents returns the policy documents of r that are set.
func documents(r plan.Resource, inputs map[string][]string) []document {
	var out []document
	for _, k := range inputs[r.Type] {
		if v, ok := r.Inputs[k]; ok && v != nil {
			out = append(out, document{key: k, text: docText(v), keyPolicy: r.Type == typeKey})
		}
	}
	if r.Type == typeRole {
		for i, item := range asList(r.Inputs["inlinePolicies"]) {
			m, _ := asMap(item)
			if v, ok := m["policy"]; ok && v != nil {
				out = append(out, document{key: fmt.Sprintf("inlinePolicies[%d].policy", i), text: docText(v)})
			}
		}
	}
	return out
}

// docText returns a policy input as JSON text: AWS takes a string, but a program may have
// given an object.
func docText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// parse reads the document, or says why it cannot be checked. A document the rules cannot
// read is a finding: a rule that cannot see a policy must not pass it.
func (d document) parse() (iam.Parsed, string) {
	switch d.text {
	case plan.Unknown, plan.Secret:
		return iam.Parsed{}, fmt.Sprintf("%s is %s in the plan, so it cannot be checked", d.key, d.text)
	}
	parsed, err := iam.Parse(d.text)
	if err != nil {
		return iam.Parsed{}, fmt.Sprintf("%s cannot be checked: %v", d.key, err)
	}
	return parsed, ""
}

// statementLabel names statement i of d in messages, as platform/iam does.
func statementLabel(d document, i int, st iam.ParsedStatement) string {
	if st.Sid == "" {
		return fmt.Sprintf("%s statement %d", d.key, i)
	}
	return fmt.Sprintf("%s statement %d (%q)", d.key, i, st.Sid)
}
