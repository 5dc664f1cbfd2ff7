package function

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/iam"
)

// executionStatements are what every function may do: write to its own log group (not create
// groups: the component creates it), send traces, read its encrypted environment (through
// Lambda only: the role cannot decrypt anything else the key encrypts with it).
func executionStatements(logGroupArn pulumi.StringOutput, keyArn pulumi.StringInput) iam.Statements {
	return iam.Statements{
		{
			Sid:       "WriteOwnLogs",
			Actions:   []string{"logs:CreateLogStream", "logs:PutLogEvents"},
			Resources: []pulumi.StringInput{pulumi.Sprintf("%s:*", logGroupArn)},
		},
		{
			// X-Ray has no resource-level permissions; iam allow-lists these two actions.
			Sid:       "SendTraces",
			Actions:   []string{"xray:PutTelemetryRecords", "xray:PutTraceSegments"},
			Resources: []pulumi.StringInput{pulumi.String("*")},
		},
		{
			Sid:        "DecryptEnvironment",
			Actions:    []string{"kms:Decrypt"},
			Resources:  []pulumi.StringInput{keyArn},
			Conditions: []iam.Condition{iam.ViaService("lambda", keyArn)},
		},
	}
}

// failureStatements let Lambda deliver failed asynchronous events to dest with action.
// Destinations are encrypted with the scope's key by the platform's queue and topic
// components, and sending to an encrypted queue or topic needs a data key, which the
// destination's service (svc) asks for.
func failureStatements(svc string, dest, keyArn pulumi.StringInput) iam.Statements {
	return iam.Statements{
		{
			Sid:       "SendFailedEvents",
			Actions:   []string{destinationActions()[svc]},
			Resources: []pulumi.StringInput{dest},
		},
		{
			Sid:        "EncryptFailedEvents",
			Actions:    []string{"kms:GenerateDataKey"},
			Resources:  []pulumi.StringInput{keyArn},
			Conditions: []iam.Condition{iam.ViaService(svc, keyArn)},
		},
	}
}

// destinationActions maps the service of an on-failure destination ARN to the action that
// delivers to it.
func destinationActions() map[string]string {
	return map[string]string{"sqs": "sqs:SendMessage", "sns": "sns:Publish"}
}

// destinationService returns the service of an on-failure destination ARN, "sqs" or "sns".
func destinationService(arn string) (string, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 && parts[0] == "arn" && parts[5] != "" {
		if _, ok := destinationActions()[parts[2]]; ok {
			return parts[2], nil
		}
	}
	return "", fmt.Errorf("%q is not an SQS queue or SNS topic ARN", arn)
}

// rolePolicy renders the function's inline policy: the execution statements, the on-failure
// destination's statements when there is one, and the caller's grants. The destination ARN
// may be unknown until deployment, so a document is rendered for each destination service
// (which also checks the statements now) and the ARN picks one when it resolves.
func rolePolicy(base iam.Statements, onFailure, keyArn pulumi.StringInput, grants iam.Statements, wildcards []iam.WildcardAction) (pulumi.StringOutput, error) {
	if onFailure == nil {
		return iam.Document(slices.Concat(base, grants), wildcards...)
	}
	services := []string{"sns", "sqs"}
	docs := make([]any, 0, len(services)+1)
	docs = append(docs, onFailure)
	for _, svc := range services {
		doc, err := iam.Document(slices.Concat(base, failureStatements(svc, onFailure, keyArn), grants), wildcards...)
		if err != nil {
			return pulumi.StringOutput{}, err
		}
		docs = append(docs, doc)
	}
	return pulumi.All(docs...).ApplyT(func(v []any) (string, error) {
		arn, _ := v[0].(string)
		svc, err := destinationService(arn)
		if err != nil {
			return "", fmt.Errorf("OnFailure: %w", err)
		}
		return v[1+slices.Index(services, svc)].(string), nil
	}).(pulumi.StringOutput), nil
}

// identityPolicy renders stmts as a role (identity) policy: iam's checks (with the extra
// wildcard actions) plus no principals, which IAM rejects in a role's policy and which
// usually means a resource policy was meant.
func identityPolicy(stmts iam.Statements, wildcards []iam.WildcardAction) (pulumi.StringOutput, error) {
	for i, st := range stmts {
		if len(st.Principals) > 0 {
			return pulumi.StringOutput{}, fmt.Errorf("statement %d (%q) has principals; a role policy names none", i, st.Sid)
		}
	}
	return iam.Document(stmts, wildcards...)
}
