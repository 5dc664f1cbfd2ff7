package fake

import (
	"context"
	"strconv"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/smithy-go"

	"github.com/stratum-platform/stratum/platform/lambdakit/envelope"
)

// Topic is an in-memory SNS topic that records what is published to it. It is safe for
// concurrent use.
type Topic struct {
	arn string

	mu        sync.Mutex
	err       error
	published []*sns.PublishInput
}

// NewTopic returns a topic with the ARN arn.
func NewTopic(arn string) *Topic {
	return &Topic{arn: arn}
}

// Fail makes every later Publish fail with err; a nil err ends that.
func (t *Topic) Fail(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.err = err
}

// Publish implements sns.Client.Publish.
func (t *Topic) Publish(_ context.Context, in *sns.PublishInput, _ ...func(*sns.Options)) (*sns.PublishOutput, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.err != nil {
		return nil, &smithy.OperationError{ServiceID: "SNS", OperationName: "Publish", Err: t.err}
	}
	if aws.ToString(in.TopicArn) != t.arn {
		return nil, &smithy.OperationError{ServiceID: "SNS", OperationName: "Publish",
			Err: &types.NotFoundException{Message: aws.String("topic " + aws.ToString(in.TopicArn) + " not found")}}
	}
	t.published = append(t.published, in)
	return &sns.PublishOutput{MessageId: aws.String("msg-" + strconv.Itoa(len(t.published)))}, nil
}

// Envelopes returns the envelopes published, in order, after checking that each message
// is a valid envelope of the accounts context with its type as the String attribute
// "type", which subscriptions filter on.
func (t *Topic) Envelopes(tb testing.TB) []envelope.Envelope {
	tb.Helper()
	t.mu.Lock()
	defer t.mu.Unlock()
	envelopes := make([]envelope.Envelope, 0, len(t.published))
	for i, in := range t.published {
		e, err := envelope.Parse(aws.ToString(in.Message))
		if err != nil {
			tb.Fatalf("message %d: %v", i, err)
		}
		attr, ok := in.MessageAttributes[envelope.MessageAttributeType]
		if !ok || aws.ToString(attr.DataType) != "String" || aws.ToString(attr.StringValue) != e.Type {
			tb.Fatalf("message %d: attribute %q = %+v, want String %q", i, envelope.MessageAttributeType, attr, e.Type)
		}
		envelopes = append(envelopes, e)
	}
	return envelopes
}
