package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
)

func encryptionAtRest() Rule {
	return Rule{
		ID:       "encryption-at-rest",
		Severity: Error,
		Rationale: "Tables, queues, topics, log groups and function environments are encrypted with a " +
			"customer managed KMS key. Reading the data then also needs kms:Decrypt on that key: a second " +
			"grant, which the context's key policy controls and CloudTrail records, and disabling the key " +
			"locks everyone out. The policies of AWS owned and AWS managed keys (alias/aws/sqs, " +
			"alias/aws/sns, aws/lambda) cannot be narrowed: every principal allowed to use the resource " +
			"can read the data.",
		Types: []string{typeTable, typeQueue, typeTopic, typeLogGroup, typeFunction},
		Check: checkEncryption,
	}
}

func checkEncryption(p *plan.Plan) []Violation {
	var out []Violation
	add := func(r plan.Resource, msg string) { out = append(out, Violation{URN: r.URN, Message: msg}) }
	for _, r := range p.Resources {
		switch r.Type {
		case typeTable:
			switch {
			case !inputTrue(r, "serverSideEncryption", "enabled"):
				add(r, "serverSideEncryption.enabled is not true: the table is encrypted with an AWS owned "+
					"key; enable it with kmsKeyArn set to the context's KMS key")
			case inputString(r, "serverSideEncryption", "kmsKeyArn") == "":
				add(r, "serverSideEncryption.kmsKeyArn is not set: the table is encrypted with the AWS managed "+
					"key aws/dynamodb; set it to the context's KMS key")
			}
		case typeQueue:
			if msg := customerKey(r, "kmsMasterKeyId", "alias/aws/sqs", "messages are encrypted with an SQS owned key at most"); msg != "" {
				add(r, msg)
			}
		case typeTopic:
			if msg := customerKey(r, "kmsMasterKeyId", "alias/aws/sns", "messages are not encrypted with a KMS key"); msg != "" {
				add(r, msg)
			}
		case typeLogGroup:
			if inputString(r, "kmsKeyId") == "" {
				add(r, "kmsKeyId is not set: the log events are encrypted with a CloudWatch Logs owned key; "+
					"set it to the context's KMS key")
			}
		case typeFunction:
			vars, _ := asMap(input(r, "environment", "variables"))
			if len(vars) > 0 && inputString(r, "kmsKeyArn") == "" {
				add(r, "kmsKeyArn is not set: the environment variables are encrypted with the AWS managed "+
					"key aws/lambda; set it to the context's KMS key")
			}
		}
	}
	return out
}

// customerKey explains why the key input of r is not a customer managed key, or returns "".
func customerKey(r plan.Resource, key, awsManaged, without string) string {
	v := inputString(r, key)
	switch {
	case v == "":
		return fmt.Sprintf("%s is not set: %s; set it to the context's KMS key", key, without)
	case strings.Contains(v, "alias/aws/"):
		return fmt.Sprintf("%s is the AWS managed key %s; use the context's customer managed KMS key", key, awsManaged)
	}
	return ""
}

func tlsOnly() Rule {
	return Rule{
		ID:       "tls-only",
		Severity: Error,
		Rationale: "Every queue and topic has a resource policy that denies everyone (Principal \"*\") its " +
			"message actions (sqs:SendMessage and sqs:ReceiveMessage, sns:Publish) when " +
			"aws:SecureTransport is false. Identity policies only bind the principals they are attached " +
			"to; a Deny in the resource policy applies to every caller, so no misconfigured client or " +
			"endpoint sends or receives messages in clear text.",
		Types: []string{typeQueue, typeQueuePolicy, typeTopic, typeTopicPolicy},
		Check: checkTLS,
	}
}

// tlsActions are the actions that carry messages, which a TLS-only policy must deny over
// plain HTTP at the least.
func tlsActions(policyType string) []string {
	if policyType == typeTopicPolicy || policyType == typeTopic {
		return []string{"sns:Publish"}
	}
	return []string{"sqs:ReceiveMessage", "sqs:SendMessage"}
}

func checkTLS(p *plan.Plan) []Violation {
	var out []Violation
	covered := map[string]bool{} // queue URLs and topic ARNs with a policy
	check := func(r plan.Resource, d document) {
		if problem := tlsProblem(d, tlsActions(r.Type)); problem != "" {
			out = append(out, Violation{URN: r.URN, Message: problem})
		}
	}
	for _, r := range ofType(p, typeQueuePolicy, typeTopicPolicy) {
		if r.Type == typeQueuePolicy {
			covered[inputString(r, "queueUrl")] = true
		} else {
			covered[inputString(r, "arn")] = true
		}
		check(r, document{key: "policy", text: docText(input(r, "policy"))})
	}
	for _, r := range ofType(p, typeQueue, typeTopic) {
		if v := input(r, "policy"); v != nil {
			check(r, document{key: "policy", text: docText(v)})
			continue
		}
		if r.Type == typeQueue && !covered[outputString(r, "url")] {
			out = append(out, Violation{URN: r.URN, Message: "the queue has no queue policy: add one that " +
				"denies requests without TLS (Bool aws:SecureTransport false)"})
		}
		if r.Type == typeTopic && !covered[outputString(r, "arn")] {
			out = append(out, Violation{URN: r.URN, Message: "the topic has no topic policy: add one that " +
				"denies requests without TLS (Bool aws:SecureTransport false)"})
		}
	}
	return out
}

// tlsProblem explains how document d fails to deny the given actions without TLS, or
// returns "".
func tlsProblem(d document, actions []string) string {
	doc, problem := d.parse()
	if problem != "" {
		return problem
	}
	denied := map[string]bool{}
	for _, st := range doc.Statement {
		if denyWithoutTLS(st) {
			for _, a := range st.Action {
				denied[a] = true
			}
		}
	}
	var missing []string
	for _, a := range actions {
		if !denied[a] {
			missing = append(missing, a)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return fmt.Sprintf("%s does not deny %s without TLS: add a Deny statement for Principal \"*\" "+
		"with condition Bool aws:SecureTransport false", d.key, strings.Join(missing, ", "))
}

// denyWithoutTLS reports whether st denies everyone when the request does not use TLS.
func denyWithoutTLS(st iam.ParsedStatement) bool {
	return st.Effect == string(iam.Deny) &&
		slices.Contains(st.Principal[iam.PrincipalAWS], "*") &&
		slices.Equal(st.Condition["Bool"]["aws:SecureTransport"], []string{"false"})
}
