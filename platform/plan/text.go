package plan

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// keySettings are the inputs the text rendering shows beside a resource: the ones a
// reviewer checks first (identity, size, encryption, retention, protection).
var keySettings = []string{
	"name", "runtime", "architectures", "memorySize", "timeout", "retentionInDays",
	"kmsMasterKeyId", "kmsKeyId", "kmsKeyArn", "enableKeyRotation", "billingMode",
	"deletionProtectionEnabled", "routeKey", "authorizationType", "scheduleExpression",
	"protocol", "endpoint", "batchSize", "maxReceiveCount", "visibilityTimeoutSeconds",
	"metricName", "threshold",
}

// Text renders the plan for people: a tree of resources (children under their parent) with
// their key settings, the outputs, a count by type and the findings.
func (p *Plan) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Plan %s/%s: %d resources\n", p.Project, p.Stack, len(p.Resources))
	children := map[string][]Resource{}
	for _, r := range p.Resources {
		children[r.Parent] = append(children[r.Parent], r)
	}
	var walk func(parent, indent string)
	walk = func(parent, indent string) {
		kids := children[parent]
		for i, r := range kids {
			branch, next := "├─ ", "│  "
			if i == len(kids)-1 {
				branch, next = "└─ ", "   "
			}
			fmt.Fprintf(&b, "%s%s%s %s%s\n", indent, branch, r.Type, r.Name, settings(r))
			walk(r.URN, indent+next)
		}
	}
	walk("", "")

	if len(p.Outputs) > 0 {
		b.WriteString("\nOutputs:\n")
		for _, k := range slices.Sorted(maps.Keys(p.Outputs)) {
			fmt.Fprintf(&b, "  %s = %s\n", k, compact(p.Outputs[k]))
		}
	}
	b.WriteString("\nResources by type:\n")
	counts := p.CountByType()
	for _, t := range slices.Sorted(maps.Keys(counts)) {
		fmt.Fprintf(&b, "  %4d  %s\n", counts[t], t)
	}
	b.WriteString("\nFindings:")
	if len(p.Findings) == 0 {
		b.WriteString(" none\n")
	} else {
		b.WriteString("\n")
		for _, f := range p.Findings {
			status := f.Severity
			if f.Suppressed != "" {
				status = "suppressed: " + f.Suppressed
			}
			fmt.Fprintf(&b, "  [%s] %s %s: %s\n", status, f.Rule, f.URN, f.Message)
		}
	}
	return b.String()
}

func settings(r Resource) string {
	var parts []string
	for _, k := range keySettings {
		if v, ok := r.Inputs[k]; ok {
			parts = append(parts, k+"="+compact(v))
		}
	}
	if r.Protect {
		parts = append(parts, "protect")
	}
	if r.RetainOnDelete {
		parts = append(parts, "retainOnDelete")
	}
	if len(parts) == 0 {
		return ""
	}
	return "  " + strings.Join(parts, " ")
}

// compact renders a value on one line: strings bare, everything else as JSON.
func compact(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
