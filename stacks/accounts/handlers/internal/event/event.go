// Package event publishes the accounts context's events to its SNS topic, as the
// platform's envelope (envelope.Envelope) with contract.Source as the source.
//
// The message body is the envelope in JSON, and the message attribute "type" (a String)
// is the event type, because subscribers' filter policies match on it.
package event

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/envelope"
	"github.com/stratum-platform/stratum/stacks/accounts/contract"
)

// Publisher publishes one message to an SNS topic.
type Publisher interface {
	Publish(ctx context.Context, in *sns.PublishInput, optFns ...func(*sns.Options)) (*sns.PublishOutput, error)
}

// Publish publishes data as an event of type typ and version version to the topic
// topicArn, with the correlation id of ctx, and returns the envelope it published.
func Publish(ctx context.Context, p Publisher, topicArn, typ string, version int, data any) (envelope.Envelope, error) {
	e, err := envelope.New(ctx, contract.Source, typ, version, data)
	if err != nil {
		return envelope.Envelope{}, fmt.Errorf("publish %s: %w", typ, err)
	}
	body, err := json.Marshal(e)
	if err != nil {
		return envelope.Envelope{}, fmt.Errorf("publish %s: encode: %w", typ, err)
	}
	attrs := make(map[string]types.MessageAttributeValue)
	for name, value := range e.MessageAttributes() {
		attrs[name] = types.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(value)}
	}
	out, err := p.Publish(ctx, &sns.PublishInput{
		TopicArn:          aws.String(topicArn),
		Message:           aws.String(string(body)),
		MessageAttributes: attrs,
	})
	if err != nil {
		return envelope.Envelope{}, fmt.Errorf("publish %s %s: %w", typ, e.ID, err)
	}
	lambdakit.Logger(ctx).Info("event published", "event_type", typ, "event_id", e.ID,
		"sns_message_id", aws.ToString(out.MessageId))
	return e, nil
}
