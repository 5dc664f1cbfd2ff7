package policy

import (
	"fmt"
	"strings"

	"github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/plan"
)

func alarmCoverage() Rule {
	return Rule{
		ID:       "alarm-coverage",
		Severity: Error,
		Rationale: "Every Lambda function, SQS queue, DynamoDB table and HTTP API has at least one CloudWatch " +
			"metric alarm on it, recognised by the metric dimension AWS uses for it (FunctionName, " +
			"QueueName, TableName, ApiId). A resource nobody alarms on fails silently: errors, throttles, " +
			"a growing backlog or a full dead-letter queue are found by customers instead of the team.",
		Types: []string{typeFunction, typeQueue, typeTable, typeAPI},
		Check: checkAlarmCoverage,
	}
}

// watched says how alarms name a resource type: the metric dimension and its value.
type watched struct {
	kind, dimension string
	value           func(plan.Resource) string
}

func watchedTypes() map[string]watched {
	return map[string]watched{
		typeFunction: {"function", "FunctionName", physicalName},
		typeQueue:    {"queue", "QueueName", physicalName},
		typeTable:    {"table", "TableName", physicalName},
		typeAPI:      {"API", "ApiId", apiID},
	}
}

// apiID returns an HTTP API's id, which the plan records only inside its ARNs.
func apiID(r plan.Resource) string {
	if _, id, ok := strings.Cut(outputString(r, "arn"), "/apis/"); ok {
		return id
	}
	if arn := outputString(r, "executionArn"); arn != "" {
		return arn[strings.LastIndex(arn, ":")+1:]
	}
	return ""
}

// alarmDimensions returns "Name=value" for every dimension of every alarm, including the
// metrics of metric math queries.
func alarmDimensions(p *plan.Plan) map[string]bool {
	seen := map[string]bool{}
	add := func(v any) {
		dims, _ := asMap(v)
		for k, val := range dims {
			if s, ok := val.(string); ok {
				seen[k+"="+s] = true
			}
		}
	}
	for _, r := range ofType(p, typeAlarm) {
		add(input(r, "dimensions"))
		for _, q := range asList(input(r, "metricQueries")) {
			m, _ := asMap(q)
			add(lookup(m, "metric", "dimensions"))
		}
	}
	return seen
}

func checkAlarmCoverage(p *plan.Plan) []Violation {
	types := watchedTypes()
	dims := alarmDimensions(p)
	var out []Violation
	for _, r := range p.Resources {
		w, ok := types[r.Type]
		if !ok {
			continue
		}
		v := w.value(r)
		switch {
		case v == "":
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("the plan does not record the %s's "+
				"%s, so no alarm can be matched to it", w.kind, w.dimension)})
		case !dims[w.dimension+"="+v]:
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("no metric alarm has dimension %s=%s: "+
				"nobody learns when the %s fails; add alarms", w.dimension, v, w.kind)})
		}
	}
	return out
}

func alarmActions() Rule {
	return Rule{
		ID:       "alarm-actions",
		Severity: Error,
		Rationale: "Every metric alarm notifies, and every action of every alarm (alarm, OK and " +
			"insufficient-data actions) is the platform alarm topic. An alarm without actions only " +
			"changes colour in the console; an alarm sent elsewhere bypasses the routing, paging and " +
			"audit of the platform topic. The topic is the platform stack's " + contract.AlarmTopicArn.Name() +
			" output, read from the plan's reference to the platform stack (or from the plan's own " +
			"outputs in the platform project); a plan without either, such as a component's, is held " +
			"to the one SNS topic most of its alarms notify.",
		Types: []string{typeAlarm},
		Check: checkAlarmActions,
	}
}

// actionLists are the inputs of a metric alarm that hold actions.
func actionLists() []string { return []string{"alarmActions", "okActions", "insufficientDataActions"} }

// isTopicArn reports whether arn is an SNS topic ARN (not a subscription's).
func isTopicArn(arn string) bool {
	parts := strings.Split(arn, ":")
	return len(parts) == 6 && parts[0] == "arn" && parts[2] == "sns"
}

// alarmTopic returns the topic the alarms of p must notify and where it comes from, for
// messages.
func alarmTopic(p *plan.Plan, alarms []plan.Resource) (topic, source string) {
	output := contract.AlarmTopicArn.Name()
	if p.Project == contract.PlatformProject {
		if arn := asString(p.Outputs[output]); arn != "" {
			return arn, "the platform alarm topic, output " + output
		}
	}
	for _, r := range ofType(p, typeStackReference) {
		// A reference to another project's stack is named organization/project/stack.
		if parts := strings.Split(r.Name, "/"); len(parts) != 3 || parts[1] != contract.PlatformProject {
			continue
		}
		if arn := asString(lookup(r.Outputs, "outputs", output)); arn != "" {
			return arn, "the platform alarm topic, from stack reference " + r.Name
		}
	}
	return commonTopic(alarms), "the topic most alarms of the plan notify, as the plan does not reference the platform stack"
}

// commonTopic returns the SNS topic most alarm actions notify, the smallest ARN on a tie,
// or "" when no alarm notifies a topic.
func commonTopic(alarms []plan.Resource) string {
	counts := map[string]int{}
	for _, r := range alarms {
		for _, arn := range asStrings(input(r, "alarmActions")) {
			if isTopicArn(arn) {
				counts[arn]++
			}
		}
	}
	best := ""
	for arn, n := range counts {
		if best == "" || n > counts[best] || (n == counts[best] && arn < best) {
			best = arn
		}
	}
	return best
}

func checkAlarmActions(p *plan.Plan) []Violation {
	alarms := ofType(p, typeAlarm)
	if len(alarms) == 0 {
		return nil
	}
	topic, source := alarmTopic(p, alarms)
	var out []Violation
	add := func(r plan.Resource, format string, args ...any) {
		out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf(format, args...)})
	}
	// CloudWatch notifies only topics of the alarm's own region: the platform's alarms in
	// us-east-1 (billing) notify its alarm topic there.
	regional, regionalSource := "", ""
	if p.Project == contract.PlatformProject {
		output := contract.BillingAlarmTopicArn.Name()
		regional, regionalSource = asString(p.Outputs[output]), "the platform alarm topic of its region, output "+output
	}
	for _, r := range alarms {
		if len(asStrings(input(r, "alarmActions"))) == 0 {
			add(r, "alarmActions is empty: the alarm notifies nobody; notify the platform alarm topic")
		}
		want, wantSource := topic, source
		if regional != "" && arnRegion(asString(r.Outputs["arn"])) == arnRegion(regional) {
			want, wantSource = regional, regionalSource
		}
		for _, list := range actionLists() {
			for _, arn := range asStrings(input(r, list)) {
				switch {
				case want == "":
					add(r, "%s has %s, which is not an SNS topic; notify the platform alarm topic", list, arn)
				case arn != want:
					add(r, "%s has %s; every alarm notifies %s (%s) and nothing else", list, arn, want, wantSource)
				}
			}
		}
	}
	return out
}

// arnRegion is the region of an ARN, or "".
func arnRegion(arn string) string {
	if parts := strings.SplitN(arn, ":", 5); len(parts) == 5 {
		return parts[3]
	}
	return ""
}
