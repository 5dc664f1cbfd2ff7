package policy

import (
	"fmt"
	"strings"

	"github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/plan"
)

// Types of the audit and log resources.
const (
	typeTrail              = "aws:cloudtrail/trail:Trail"
	typeAWSXTrail          = "awsx:cloudtrail:Trail"
	typeSubscriptionFilter = "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter"
	typeStream             = "aws:kinesis/stream:Stream"
	typeDeliveryStream     = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"
	typeBucketEncryption   = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	typeSearchDomain       = "aws:opensearch/domain:Domain"
)

// platformOutput returns the platform stack's output named name as p knows it: the
// platform plan's own output, or the output of its stack reference to the platform stack;
// "" when p knows neither (a component's own plan).
func platformOutput(p *plan.Plan, name string) string {
	if p.Project == contract.PlatformProject {
		return asString(p.Outputs[name])
	}
	for _, r := range ofType(p, typeStackReference) {
		if parts := strings.Split(r.Name, "/"); len(parts) == 3 && parts[1] == contract.PlatformProject {
			if v := asString(lookup(r.Outputs, "outputs", name)); v != "" {
				return v
			}
		}
	}
	return ""
}

// stackURN is the URN of p's stack, for a finding about what the plan lacks.
func stackURN(p *plan.Plan) string {
	return "urn:pulumi:" + p.Stack + "::" + p.Project + "::pulumi:pulumi:Stack::" + p.Project + "-" + p.Stack
}

func auditTrail() Rule {
	return Rule{
		ID:       "audit-trail",
		Severity: Error,
		Rationale: "Every environment records who did what in every region in exactly one CloudTrail trail, " +
			"the platform stack's: multi-region (an attacker works where nobody looks), with log file " +
			"validation (the digest files prove that no log file was changed or deleted) and encrypted with " +
			"the platform key (reading the trail needs a second, audited grant). A second trail doubles the " +
			"cost and splits the record; a context's trail is outside the platform's review.",
		Types: []string{typeTrail, typeAWSXTrail},
		Check: checkAuditTrail,
	}
}

func checkAuditTrail(p *plan.Plan) []Violation {
	// awsx's Trail is one trail: the aws trail it registers holds the settings (the engine
	// records no inputs for a remote component), so the component counts only without one.
	trails := ofType(p, typeTrail)
	registered := map[string]bool{}
	for _, t := range trails {
		registered[t.Parent] = true
	}
	for _, c := range ofType(p, typeAWSXTrail) {
		if !registered[c.URN] {
			trails = append(trails, c)
		}
	}
	var out []Violation
	if p.Project != contract.PlatformProject {
		for _, r := range trails {
			out = append(out, Violation{URN: r.URN, Message: "a trail outside the platform project: each environment has " +
				"one trail, the platform stack's, which records every context; remove this one"})
		}
		return out
	}
	switch len(trails) {
	case 0:
		return []Violation{{URN: stackURN(p), Message: "the platform plan has no CloudTrail trail: every environment " +
			"has exactly one, multi-region, with log file validation, encrypted with the platform key"}}
	case 1:
	default:
		for _, r := range trails[1:] {
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("a second trail (the first is %s): every "+
				"environment has exactly one; remove it", trails[0].URN)})
		}
	}
	t := trails[0]
	if !inputTrue(t, "isMultiRegionTrail") {
		out = append(out, Violation{URN: t.URN, Message: "isMultiRegionTrail is not true: the trail misses what happens " +
			"in the other regions; set it to true"})
	}
	if !inputTrue(t, "enableLogFileValidation") {
		out = append(out, Violation{URN: t.URN, Message: "enableLogFileValidation is not true: nothing proves that a log " +
			"file was not changed or deleted; set it to true"})
	}
	if msg := platformKey(p, t, inputString(t, "kmsKeyId"), "kmsKeyId", "the log files are encrypted with S3's key only"); msg != "" {
		out = append(out, Violation{URN: t.URN, Message: msg})
	}
	return out
}

// platformKey explains why key, the value of input of r, is not the platform key, or
// returns "". Where p does not know the platform key, any customer managed key passes.
func platformKey(p *plan.Plan, r plan.Resource, key, input, without string) string {
	want := platformOutput(p, contract.PlatformKeyArn.Name())
	switch {
	case key == "":
		return fmt.Sprintf("%s is not set: %s; set it to the platform key", input, without)
	case strings.Contains(key, "alias/aws/"):
		return fmt.Sprintf("%s is the AWS managed key %s; use the platform key", input, key)
	case want != "" && key != want:
		return fmt.Sprintf("%s is %s; use the platform key %s (output %s)", input, key, want, contract.PlatformKeyArn.Name())
	}
	return ""
}

func logSubscription() Rule {
	return Rule{
		ID:       "log-subscription",
		Severity: Error,
		Rationale: "Every log group sends its events to the platform's log destination (output " +
			contract.LogDestinationArn.Name() + "), so that the archive holds every context's logs for as " +
			"long as the platform keeps them and a search covers all of them. A log group left out is " +
			"invisible to an investigation; leaving one out needs a suppression that says why.",
		Types: []string{typeLogGroup, typeSubscriptionFilter},
		Check: checkLogSubscription,
	}
}

func checkLogSubscription(p *plan.Plan) []Violation {
	destination := platformOutput(p, contract.LogDestinationArn.Name())
	if destination == "" {
		return nil // a component's own plan: there is no platform to subscribe to
	}
	subscribed := map[string]bool{}
	for _, f := range ofType(p, typeSubscriptionFilter) {
		if inputString(f, "destinationArn") == destination && inputString(f, "filterPattern") == "" {
			subscribed[inputString(f, "logGroup")] = true
		}
	}
	var out []Violation
	for _, g := range ofType(p, typeLogGroup) {
		if name := physicalName(g); !subscribed[name] {
			out = append(out, Violation{URN: g.URN, Message: fmt.Sprintf("log group %s has no subscription filter that "+
				"sends every event (filterPattern \"\") to the platform's log destination %s; create the log group "+
				"with a component, which subscribes it (scope.Scope.SubscribeLogs)", name, destination)})
		}
	}
	return out
}

func logPipelineEncryption() Rule {
	return Rule{
		ID:       "log-pipeline-encryption",
		Severity: Error,
		Rationale: "The log stream, the delivery streams that copy it, the archive they write and the search " +
			"domain hold every context's logs: all of them are encrypted with the platform key (output " +
			contract.PlatformKeyArn.Name() + "), so that reading the logs needs a grant on that key, which " +
			"the platform controls and CloudTrail records.",
		Types: []string{typeStream, typeDeliveryStream, typeSearchDomain},
		Check: checkLogPipelineEncryption,
	}
}

func checkLogPipelineEncryption(p *plan.Plan) []Violation {
	var out []Violation
	add := func(r plan.Resource, msg string) {
		if msg != "" {
			out = append(out, Violation{URN: r.URN, Message: msg})
		}
	}
	for _, r := range ofType(p, typeStream) {
		if inputString(r, "encryptionType") != "KMS" {
			add(r, fmt.Sprintf("encryptionType is %q: the records are not encrypted; set it to \"KMS\" with the platform key",
				inputString(r, "encryptionType")))
			continue
		}
		add(r, platformKey(p, r, inputString(r, "kmsKeyId"), "kmsKeyId", "the stream uses the AWS managed key aws/kinesis"))
	}
	for _, r := range ofType(p, typeDeliveryStream) {
		if inputString(r, "destination") != "extended_s3" {
			continue // the search domain's stream writes only what OpenSearch refused, to the archive
		}
		add(r, platformKey(p, r, inputString(r, "extendedS3Configuration", "kmsKeyArn"), "extendedS3Configuration.kmsKeyArn",
			"the objects get the bucket's default encryption at most"))
		bucket := strings.TrimPrefix(inputString(r, "extendedS3Configuration", "bucketArn"), "arn:aws:s3:::")
		add(r, archiveKey(p, r, bucket))
	}
	for _, r := range ofType(p, typeSearchDomain) {
		if !inputTrue(r, "encryptAtRest", "enabled") {
			add(r, "encryptAtRest.enabled is not true: the indices are not encrypted; enable it with the platform key")
		} else {
			add(r, platformKey(p, r, inputString(r, "encryptAtRest", "kmsKeyId"), "encryptAtRest.kmsKeyId",
				"the domain uses the AWS managed key aws/es"))
		}
		if !inputTrue(r, "nodeToNodeEncryption", "enabled") {
			add(r, "nodeToNodeEncryption.enabled is not true: the nodes exchange the logs in clear; set it to true")
		}
		if !inputTrue(r, "advancedSecurityOptions", "enabled") {
			add(r, "advancedSecurityOptions.enabled is not true: anyone the access policy lets in reads every index; "+
				"turn fine-grained access control on")
		}
	}
	return out
}

// archiveKey explains why the bucket a delivery stream writes to is not encrypted by
// default with the platform key, or returns "".
func archiveKey(p *plan.Plan, stream plan.Resource, bucket string) string {
	for _, r := range ofType(p, typeBucketEncryption) {
		if inputString(r, "bucket") != bucket {
			continue
		}
		rules, _ := input(r, "rules").([]any)
		for _, rule := range rules {
			m, _ := rule.(map[string]any)
			key := asString(lookup(m, "applyServerSideEncryptionByDefault", "kmsMasterKeyId"))
			if msg := platformKey(p, stream, key, "the archive "+bucket+"'s default encryption key", "its objects are encrypted with S3's key"); msg != "" {
				return msg
			}
		}
		if len(rules) > 0 {
			return ""
		}
	}
	return fmt.Sprintf("the archive %s has no default encryption in the plan; encrypt it with the platform key", bucket)
}

// observeReviewed covers the log and billing types whose settings need no rule.
func observeReviewed() Rule {
	return Reviewed("observability-reviewed", "A log destination only names its role and its stream (log-pipeline-"+
		"encryption checks the stream, iam-no-wildcards the role's policy); a destination policy lists the accounts "+
		"that may subscribe, which the platform's tests pin; a budget holds an amount and the topic it notifies, "+
		"which alarm-actions' topic policy limits to the budget's ARN.",
		"aws:cloudwatch/logDestination:LogDestination", "aws:cloudwatch/logDestinationPolicy:LogDestinationPolicy",
		"aws:budgets/budget:Budget")
}
