package function

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/internal/existing"
)

// ExistingArgs identify a function another stack owns.
type ExistingArgs struct {
	// Arn is the ARN callers invoke: a Stratum function's `live` alias, which its owner's
	// contract exports, or an unqualified function ARN. AllowInvoke grants exactly this ARN.
	// Required.
	Arn pulumi.StringInput
}

// Existing refers to a function another stack owns, by the ARN its owner exports (a stack
// output, or a literal), so that this stack's functions can be granted invoking it
// (AllowInvoke) and its schedules and routes can target it. Nothing is created: the returned
// Function is no resource of this stack and has no children, so its role cannot be granted
// anything (Grant refuses). name is this stack's name for it, which the grants' statement
// ids use.
func Existing(name string, args ExistingArgs) (*Function, error) {
	if err := existing.Check(name, args.Arn, "lambda", "function:"); err != nil {
		return nil, fmt.Errorf("function %q: %w", name, err)
	}
	arn := args.Arn.ToStringOutput()
	return &Function{
		Arn:            arn.ApplyT(unqualified).(pulumi.StringOutput),
		Name:           arn.ApplyT(functionName).(pulumi.StringOutput),
		AliasArn:       arn,
		AliasInvokeArn: arn.ApplyT(invokeArn).(pulumi.StringOutput),
		name:           name,
	}, nil
}

// unqualified returns a function ARN without its alias or version.
func unqualified(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) > 7 {
		parts = parts[:7]
	}
	return strings.Join(parts, ":")
}

// functionName returns the name in a function ARN.
func functionName(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) < 7 {
		return arn
	}
	return parts[6]
}

// invokeArn is the URI API Gateway invokes a function ARN (qualified or not) through.
func invokeArn(arn string) string {
	partition, region := "aws", ""
	if parts := strings.Split(arn, ":"); len(parts) > 3 {
		partition, region = parts[1], parts[3]
	}
	return "arn:" + partition + ":apigateway:" + region + ":lambda:path/2015-03-31/functions/" + arn + "/invocations"
}
