package policy_test

import (
	"fmt"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/policy"
)

func Example() {
	p := &plan.Plan{Version: plan.Version, Project: "orders", Stack: "dev", Resources: []plan.Resource{{
		URN:  "urn:pulumi:dev::orders::aws:cloudwatch/logGroup:LogGroup::audit",
		Type: "aws:cloudwatch/logGroup:LogGroup", Name: "audit", Custom: true,
		Inputs: map[string]any{
			"name":     "/acme/dev/orders/audit",
			"kmsKeyId": "arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-000000000001",
			"tags": map[string]any{"org": "acme", "env": "dev", "context": "orders", "owner": "team-orders",
				"cost-centre": "cc-1234", "managed-by": "stratum"},
		},
	}}}
	if err := policy.Evaluate(p, policy.Builtin()); err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range p.Findings {
		fmt.Printf("[%s] %s: %s\n", f.Severity, f.Rule, f.Message)
	}
	fmt.Println("fails:", policy.HasErrors(p))

	// An exception names the rule and the resource, and says why.
	err := policy.Evaluate(p, policy.Builtin(), []policy.Suppression{{Rule: "log-retention", URN: p.Resources[0].URN,
		Reason: "audit events are kept for good by regulation (LEG-7)"}}...)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("fails:", policy.HasErrors(p), "-", p.Findings[0].Suppressed)
	// Output:
	// [error] log-retention: retentionInDays is not set: the log events are kept forever; set the environment's log retention
	// fails: true
	// fails: false - audit events are kept for good by regulation (LEG-7)
}
