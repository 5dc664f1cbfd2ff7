package sqsqueue

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/iam"
)

// actionGroup is one statement's worth of actions.
type actionGroup struct {
	sid     string
	actions []string
}

// insecureActions are the SQS actions refused without TLS, listed exactly because the
// platform never writes `sqs:*`. SQS accepts at most 7 actions in one statement, hence the
// groups. The batch APIs (SendMessageBatch, ...) are authorised as their single actions.
func insecureActions() []actionGroup {
	return []actionGroup{
		{"DenyInsecureMessaging", []string{"sqs:CancelMessageMoveTask", "sqs:ChangeMessageVisibility",
			"sqs:DeleteMessage", "sqs:PurgeQueue", "sqs:ReceiveMessage", "sqs:SendMessage", "sqs:StartMessageMoveTask"}},
		{"DenyInsecureReading", []string{"sqs:GetQueueAttributes", "sqs:GetQueueUrl",
			"sqs:ListDeadLetterSourceQueues", "sqs:ListMessageMoveTasks", "sqs:ListQueueTags"}},
		{"DenyInsecureAdministration", []string{"sqs:AddPermission", "sqs:DeleteQueue",
			"sqs:RemovePermission", "sqs:SetQueueAttributes", "sqs:TagQueue", "sqs:UntagQueue"}},
	}
}

// PolicyStatements returns the policy of a queue: every SQS action on the queue denied to
// anyone whose request does not use TLS, and, when topics are given, sqs:SendMessage for
// sns.amazonaws.com from those topics only (aws:SourceArn). One statement lists every topic:
// values of one condition are alternatives.
func PolicyStatements(queueArn pulumi.StringInput, topicArns []pulumi.StringInput) iam.Statements {
	groups := insecureActions()
	stmts := make(iam.Statements, 0, len(groups)+1)
	for _, group := range groups {
		stmts = append(stmts, iam.Statement{
			Sid:        group.sid,
			Effect:     iam.Deny,
			Principals: []iam.Principal{{Type: iam.PrincipalAWS, Identifiers: []pulumi.StringInput{pulumi.String("*")}}},
			Actions:    group.actions,
			Resources:  []pulumi.StringInput{queueArn},
			Conditions: []iam.Condition{{Test: "Bool", Variable: "aws:SecureTransport",
				Values: []pulumi.StringInput{pulumi.String("false")}}},
		})
	}
	if len(topicArns) == 0 {
		return stmts
	}
	return append(stmts, iam.Statement{
		Sid:        "AllowTopicsToDeliver",
		Principals: []iam.Principal{{Type: iam.PrincipalService, Identifiers: []pulumi.StringInput{pulumi.String(string(iam.ServiceSNS))}}},
		Actions:    []string{"sqs:SendMessage"},
		Resources:  []pulumi.StringInput{queueArn},
		Conditions: []iam.Condition{{Test: "ArnEquals", Variable: "aws:SourceArn", Values: topicArns}},
	})
}

// NewPolicy creates the one policy of queue q, named name, holding PolicyStatements.
func NewPolicy(ctx *pulumi.Context, name string, q *sqs.Queue, topicArns []pulumi.StringInput, parent pulumi.Resource) (*sqs.QueuePolicy, error) {
	doc, err := iam.Document(PolicyStatements(q.Arn, topicArns))
	if err != nil {
		return nil, err
	}
	return sqs.NewQueuePolicy(ctx, name, &sqs.QueuePolicyArgs{QueueUrl: q.Url, Policy: doc}, pulumi.Parent(parent))
}
