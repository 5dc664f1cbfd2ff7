package platform

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/queue"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/components/topic"
	"github.com/stratum-platform/stratum/platform/config"
)

// webhookDeliveryPolicy is how SNS retries a webhook that fails: two quick retries after 20
// seconds, then backing off exponentially to every 10 minutes, 10 retries in all (about 45
// minutes, within SNS's hour), at most one request a second; then the notification goes to
// the subscription's dead-letter queue. A chat endpoint down for a minute loses nothing, and
// one down for longer does not hide the alarm: it waits in the queue, which alarms too.
func webhookDeliveryPolicy() (string, error) {
	type retry struct {
		MinDelayTarget     int    `json:"minDelayTarget"`
		MaxDelayTarget     int    `json:"maxDelayTarget"`
		NumRetries         int    `json:"numRetries"`
		NumNoDelayRetries  int    `json:"numNoDelayRetries"`
		NumMinDelayRetries int    `json:"numMinDelayRetries"`
		NumMaxDelayRetries int    `json:"numMaxDelayRetries"`
		BackoffFunction    string `json:"backoffFunction"`
	}
	policy := map[string]any{
		"healthyRetryPolicy": retry{MinDelayTarget: 20, MaxDelayTarget: 600, NumRetries: 10, NumMinDelayRetries: 2,
			NumMaxDelayRetries: 3, BackoffFunction: "exponential"},
		"throttlePolicy": map[string]int{"maxReceivesPerSecond": 1},
		"requestPolicy":  map[string]string{"headerContentType": "application/json"},
	}
	b, err := json.Marshal(policy)
	return string(b), err
}

// notify subscribes the platform's alarm recipients to t, an alarm topic named name: the
// e-mail address of stratum:alarmEmail, and the HTTPS endpoint of stratum:alarmWebhookUrl
// with its delivery policy and its dead-letter queue. sc is the topic's scope (its region's
// key and alarm topic); opts give the topic's provider.
func notify(ctx *pulumi.Context, cfg *config.Config, sc scope.Scope, name string, t *topic.Topic,
	opts ...pulumi.ResourceOption,
) error {
	if cfg.AlarmEmail != "" {
		if _, err := sns.NewTopicSubscription(ctx, name+"-email", &sns.TopicSubscriptionArgs{
			Topic: t.Arn, Protocol: pulumi.String("email"), Endpoint: pulumi.String(cfg.AlarmEmail),
		}, opts...); err != nil {
			return fmt.Errorf("%s e-mail subscription: %w", name, err)
		}
	}
	if cfg.Ops.AlarmWebhookURL == "" {
		return nil
	}
	// Nothing consumes the queue: a notification in it is one nobody received, so its age
	// alarm fires within minutes and it is kept as long as SQS can.
	failed, err := queue.New(ctx, name+"-webhook-failed", &queue.Args{
		Scope: sc, Retention: 14 * 24 * time.Hour, MaxMessageAge: time.Minute,
		Publishers: []queue.Publisher{t.QueuePublisher()},
	}, opts...)
	if err != nil {
		return fmt.Errorf("%s webhook: %w", name, err)
	}
	delivery, err := webhookDeliveryPolicy()
	if err != nil {
		return fmt.Errorf("%s webhook: delivery policy: %w", name, err)
	}
	// The URL may carry a token: a secret in the stack's config stays one in the state.
	var endpoint pulumi.StringInput = pulumi.String(cfg.Ops.AlarmWebhookURL)
	if cfg.Ops.AlarmWebhookSecret {
		endpoint = pulumi.ToSecret(endpoint).(pulumi.StringOutput)
	}
	// SNS delivers to the queue only once its policy lets this topic send.
	if _, err := sns.NewTopicSubscription(ctx, name+"-webhook", &sns.TopicSubscriptionArgs{
		Topic: t.Arn, Protocol: pulumi.String("https"), Endpoint: endpoint,
		DeliveryPolicy: pulumi.String(delivery),
		RedrivePolicy:  pulumi.Sprintf(`{"deadLetterTargetArn":"%s"}`, failed.Arn),
	}, append(opts, pulumi.DependsOn([]pulumi.Resource{failed.Policy}))...); err != nil {
		return fmt.Errorf("%s webhook subscription: %w", name, err)
	}
	return nil
}
