package iam

import (
	"errors"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Service is an AWS service principal, the Principal of a trust or resource policy that
// lets a service act for the account.
type Service string

// Service principals the platform's components use.
const (
	ServiceLambda     Service = "lambda.amazonaws.com"
	ServiceScheduler  Service = "scheduler.amazonaws.com"
	ServiceAPIGateway Service = "apigateway.amazonaws.com"
	ServiceSNS        Service = "sns.amazonaws.com"
	ServiceEvents     Service = "events.amazonaws.com"
	ServiceLogs       Service = "logs.amazonaws.com"
)

// LogsService returns the regional CloudWatch Logs principal, which a KMS key policy must
// name for log groups encrypted with that key: CloudWatch Logs calls KMS as
// logs.<region>.amazonaws.com, not as ServiceLogs.
func LogsService(region string) Service {
	return Service("logs." + region + ".amazonaws.com")
}

// AssumeRole returns the trust policy of a role that svc may assume, and only on behalf of
// account (aws:SourceAccount), so that another account cannot make the service use the
// role for its resources (the confused deputy problem). sourceArns, where the service
// documents aws:SourceArn for its roles, narrow that to those resources of the account
// (ArnEquals): EventBridge Scheduler's schedule group, for example.
func AssumeRole(svc Service, account pulumi.StringInput, sourceArns ...pulumi.StringInput) (pulumi.StringOutput, error) {
	if svc == "" {
		return pulumi.StringOutput{}, errors.New("iam: assume role: service is empty")
	}
	if account == nil {
		return pulumi.StringOutput{}, errors.New("iam: assume role: account is nil")
	}
	conditions := []Condition{{Test: "StringEquals", Variable: "aws:SourceAccount", Values: []pulumi.StringInput{account}}}
	if len(sourceArns) > 0 {
		conditions = append(conditions, Condition{Test: "ArnEquals", Variable: "aws:SourceArn", Values: sourceArns})
	}
	return Document(Statements{{
		Effect:     Allow,
		Principals: []Principal{{Type: PrincipalService, Identifiers: []pulumi.StringInput{pulumi.String(svc)}}},
		Actions:    []string{"sts:AssumeRole"},
		Conditions: conditions,
	}})
}
