package policy

import (
	"encoding/json"
	"strings"

	"github.com/stratum-platform/stratum/platform/plan"
)

// Resource types the rules read, as Pulumi type tokens.
const (
	typeAlarm              = "aws:cloudwatch/metricAlarm:MetricAlarm"
	typeAPI                = "aws:apigatewayv2/api:Api"
	typeAuthorizer         = "aws:apigatewayv2/authorizer:Authorizer"
	typeIntegration        = "aws:apigatewayv2/integration:Integration"
	typePermission         = "aws:lambda/permission:Permission"
	typeFunctionURL        = "aws:lambda/functionUrl:FunctionUrl"
	typeRedriveAllowPolicy = "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy"
	typeEventSourceMapping = "aws:lambda/eventSourceMapping:EventSourceMapping"
	typeFunction           = "aws:lambda/function:Function"
	typeInvokeConfig       = "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"
	typeKey                = "aws:kms/key:Key"
	typeLogGroup           = "aws:cloudwatch/logGroup:LogGroup"
	typeQueue              = "aws:sqs/queue:Queue"
	typeQueuePolicy        = "aws:sqs/queuePolicy:QueuePolicy"
	typeRole               = "aws:iam/role:Role"
	typeRoute              = "aws:apigatewayv2/route:Route"
	typeSchedule           = "aws:scheduler/schedule:Schedule"
	typeSecret             = "aws:secretsmanager/secret:Secret"
	typeStackReference     = "pulumi:pulumi:StackReference"
	typeSubscription       = "aws:sns/topicSubscription:TopicSubscription"
	typeTable              = "aws:dynamodb/table:Table"
	typeTopic              = "aws:sns/topic:Topic"
	typeTopicPolicy        = "aws:sns/topicPolicy:TopicPolicy"
)

// ofType returns the resources of p whose type is one of types, in plan order.
func ofType(p *plan.Plan, types ...string) []plan.Resource {
	var out []plan.Resource
	for _, r := range p.Resources {
		for _, t := range types {
			if r.Type == t {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// lookup returns the value at path in m, descending through objects, or nil when a step
// is missing or not an object.
func lookup(m map[string]any, path ...string) any {
	var v any = m
	for _, k := range path {
		obj, ok := asMap(v)
		if !ok {
			return nil
		}
		v = obj[k]
	}
	return v
}

// input returns the input at path of r, or nil.
func input(r plan.Resource, path ...string) any { return lookup(r.Inputs, path...) }

// inputString returns the string input at path of r, or "".
func inputString(r plan.Resource, path ...string) string { return asString(input(r, path...)) }

// inputTrue reports whether the input at path of r is the boolean true.
func inputTrue(r plan.Resource, path ...string) bool {
	b, ok := input(r, path...).(bool)
	return ok && b
}

// outputString returns the string output key of r, or "".
func outputString(r plan.Resource, key string) string { return asString(r.Outputs[key]) }

// physicalName is the name AWS knows the resource by: the name input, or the name the
// offline engine answered when the input was left to AWS.
func physicalName(r plan.Resource) string {
	if n := inputString(r, "name"); n != "" {
		return n
	}
	if n := outputString(r, "name"); n != "" {
		return n
	}
	return r.Name
}

func asString(v any) string {
	s, _ := v.(string)
	return s
}

// asMap accepts the object shapes a plan holds: decoded JSON and hand-built Go values.
func asMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case map[string]string:
		out := make(map[string]any, len(m))
		for k, s := range m {
			out[k] = s
		}
		return out, true
	}
	return nil, false
}

// asList accepts the list shapes a plan holds.
func asList(v any) []any {
	switch l := v.(type) {
	case []any:
		return l
	case []string:
		out := make([]any, len(l))
		for i, s := range l {
			out[i] = s
		}
		return out
	case []map[string]any:
		out := make([]any, len(l))
		for i, m := range l {
			out[i] = m
		}
		return out
	}
	return nil
}

// asStrings returns the strings of a list, skipping anything else.
func asStrings(v any) []string {
	var out []string
	for _, e := range asList(v) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// asNumber accepts the number shapes a plan holds: float64 from JSON, integers from Go.
func asNumber(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// jsonObject reads an input that AWS takes as a JSON string (a redrive policy) but that a
// program may also have given as an object.
func jsonObject(v any) (map[string]any, bool) {
	if m, ok := asMap(v); ok {
		return m, true
	}
	s, ok := v.(string)
	if !ok {
		return nil, false
	}
	var m map[string]any
	if json.Unmarshal([]byte(s), &m) != nil {
		return nil, false
	}
	return m, true
}

// deadLetterTarget returns the deadLetterTargetArn of a redrive policy input, or "".
func deadLetterTarget(v any) string {
	m, ok := jsonObject(v)
	if !ok {
		return ""
	}
	return asString(m["deadLetterTargetArn"])
}

// functionNameOf returns the function name in a Lambda functionName input, which may be a
// name, an ARN, or either with a version or alias qualifier.
func functionNameOf(ref string) string {
	if i := strings.Index(ref, ":function:"); i >= 0 {
		ref = ref[i+len(":function:"):]
	}
	name, _, _ := strings.Cut(ref, ":")
	return name
}

// quoteList joins values quoted, for messages.
func quoteList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = `"` + v + `"`
	}
	return strings.Join(q, ", ")
}
