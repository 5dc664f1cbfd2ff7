package provisioned

import (
	"fmt"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
)

// The types the rule reads, as Pulumi type tokens.
const (
	typeConfig = "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig"
	typeAlarm  = "aws:cloudwatch/metricAlarm:MetricAlarm"
)

// Rules returns the policy rules of provisioned concurrency, for a registry to evaluate
// plans with: provisioned-concurrency-alarm.
func Rules() []policy.Rule {
	return []policy.Rule{{
		ID:       "provisioned-concurrency-alarm",
		Severity: policy.Error,
		Rationale: "Every provisioned concurrency configuration has an alarm on the " +
			"ProvisionedConcurrencySpilloverInvocations of its function and qualifier (dimensions FunctionName " +
			"and Resource). Provisioned environments are paid for to avoid cold starts; when they are all busy, " +
			"invocations start cold again and nothing else shows it.",
		Types: []string{typeConfig},
		Check: checkAlarm,
	}}
}

func checkAlarm(p *plan.Plan) []policy.Violation {
	watched := map[[2]string]bool{}
	for _, r := range p.Resources {
		if r.Type == typeAlarm && str(r.Inputs["namespace"]) == "AWS/Lambda" &&
			str(r.Inputs["metricName"]) == "ProvisionedConcurrencySpilloverInvocations" {
			dims, _ := r.Inputs["dimensions"].(map[string]any)
			watched[[2]string{str(dims["FunctionName"]), str(dims["Resource"])}] = true
		}
	}
	var out []policy.Violation
	for _, r := range p.Resources {
		if r.Type != typeConfig {
			continue
		}
		fn, qualifier := str(r.Inputs["functionName"]), str(r.Inputs["qualifier"])
		if !watched[[2]string{fn, fn + ":" + qualifier}] {
			out = append(out, policy.Violation{URN: r.URN, Message: fmt.Sprintf("no alarm watches "+
				"ProvisionedConcurrencySpilloverInvocations of %s:%s; add one with dimensions FunctionName and Resource", fn, qualifier)})
		}
	}
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
