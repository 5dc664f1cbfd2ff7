package queue

import (
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

// TLSOnly returns the statements that deny every SQS action on the queue to anyone whose
// request does not use TLS. Queues created without this component (a schedule's
// dead-letter queue) use it too, so every queue policy says the same.
func TLSOnly(queueArn pulumi.StringInput) iam.Statements {
	groups := insecureActions()
	stmts := make(iam.Statements, 0, len(groups))
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
	return stmts
}

// queueStatements is the main queue's policy: TLS only, and SNS delivery from the
// publishers' topics. One statement lists every topic: values of one condition are
// alternatives.
func queueStatements(queueArn pulumi.StringInput, publishers []Publisher) iam.Statements {
	stmts := TLSOnly(queueArn)
	if len(publishers) == 0 {
		return stmts
	}
	topics := make([]pulumi.StringInput, len(publishers))
	for i, p := range publishers {
		topics[i] = p.TopicArn
	}
	return append(stmts, iam.Statement{
		Sid:        "AllowTopicsToDeliver",
		Principals: []iam.Principal{{Type: iam.PrincipalService, Identifiers: []pulumi.StringInput{pulumi.String(string(iam.ServiceSNS))}}},
		Actions:    []string{"sqs:SendMessage"},
		Resources:  []pulumi.StringInput{queueArn},
		Conditions: []iam.Condition{{Test: "ArnEquals", Variable: "aws:SourceArn", Values: topics}},
	})
}

// TopicDeliveryStatements returns a queue policy for a queue that only SNS topic topicArn
// writes to: TLS only, and sqs:SendMessage for sns.amazonaws.com from that topic. Topic
// subscriptions use it for their own dead-letter queues.
func TopicDeliveryStatements(queueArn, topicArn pulumi.StringInput) iam.Statements {
	return queueStatements(queueArn, []Publisher{{TopicArn: topicArn}})
}
