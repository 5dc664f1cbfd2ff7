// Package event publishes the accounts context's events to its SNS topic, as the
// platform's envelope (envelope.Envelope) with contract.Source as the source.
//
// An event's id is not random: it is derived from the change it announces (the id of the
// table's stream record), so that publishing the same change again, as a retried stream
// batch does, publishes the same event, which consumers drop as a duplicate.
//
// The message body is the envelope in JSON, and the message attribute "type" (a String)
// is the event type, because subscribers' filter policies match on it.
package event

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

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

// New returns the valid envelope of the change id (a stable id, the same whenever the
// change is published) that happened at at: data as an event of type typ and version
// version, from contract.Source. The change starts its own flow: its correlation id is id.
func New(id string, at time.Time, typ string, version int, data any) (envelope.Envelope, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return envelope.Envelope{}, fmt.Errorf("event %s %s: data: %w", typ, id, err)
	}
	e := envelope.Envelope{
		ID:            id,
		Type:          typ,
		Version:       version,
		Source:        contract.Source,
		Time:          at.UTC().Truncate(time.Millisecond),
		CorrelationID: id,
		Data:          raw,
	}
	if err := e.Validate(); err != nil {
		return envelope.Envelope{}, fmt.Errorf("event %s %s: %w", typ, id, err)
	}
	return e, nil
}

// Publish publishes e to the topic topicArn.
func Publish(ctx context.Context, p Publisher, topicArn string, e envelope.Envelope) error {
	body, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("publish %s %s: encode: %w", e.Type, e.ID, err)
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
		return fmt.Errorf("publish %s %s: %w", e.Type, e.ID, err)
	}
	lambdakit.Logger(ctx).Info("event published", "event_type", e.Type, "event_id", e.ID,
		"sns_message_id", aws.ToString(out.MessageId))
	return nil
}
