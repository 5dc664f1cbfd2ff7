package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/envelope"
	"github.com/stratum-platform/stratum/platform/lambdakit/secret"
)

// Headers of a delivery, and the Content-Type of its body: the event's envelope in JSON.
// Idempotency-Key carries the event id too, under the header name that HTTP APIs use for
// de-duplication: the same event may be delivered more than once (SQS delivers at least
// once, a failed batch is retried, a producer may publish a change again), always with the
// same id, and the receiver must act on it once.
const (
	contentTypeJSON      = "application/json"
	headerEventID        = "X-Stratum-Event-Id"
	headerEventType      = "X-Stratum-Event-Type"
	headerIdempotencyKey = "Idempotency-Key"
	headerSignature      = "X-Stratum-Signature"
)

// Delivery settings. Three attempts with a backoff of at most a few seconds absorb a
// blip of the receiver within one invocation; a longer outage is left to SQS, which
// delivers the message again after its visibility timeout, and then to the dead-letter
// queue.
const (
	requestTimeout = 10 * time.Second
	maxAttempts    = 3
	baseDelay      = 250 * time.Millisecond
	maxDelay       = 2 * time.Second
	// maxErrorBody is how much of a refusal's body is logged: enough to read the
	// receiver's reason, not enough to flood the logs.
	maxErrorBody = 512
)

// errPermanent is wrapped by the errors that no retry in this invocation can fix.
var errPermanent = errors.New("permanent failure")

// handler delivers events to the endpoint.
type handler struct {
	endpoint string
	client   *http.Client
	secret   *secret.Cache
	now      func() time.Time
	// sleep waits for d or until ctx is done; nil waits for real. Tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

// parseEndpoint returns raw when it is an absolute https URL without credentials: the
// body carries customer data and the signature proves it came from the platform, so
// neither may travel in clear text.
func parseEndpoint(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%q is not a URL: %w", raw, err)
	}
	if u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("%q must be an https URL with a host", raw)
	}
	if u.User != nil {
		return "", errors.New("must not hold credentials: the signature authenticates the platform")
	}
	return u.String(), nil
}

// newHTTPClient returns the client of the deliveries, over transport (nil for the
// default). It does not follow redirects: a redirect could lead the signed body to
// another host or to plain http, so it is refused like any other non-2xx answer.
func newHTTPClient(transport http.RoundTripper) *http.Client {
	return &http.Client{
		Transport: transport,
		Timeout:   requestTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// Handle delivers a batch of the queue and reports the messages that failed.
//
// A failed message, even one that failed permanently, is reported as failed rather than
// dropped: SQS then delivers it again until its receive count reaches the queue's
// maximum and moves it to the dead-letter queue, where an operator can inspect and
// redrive it once the receiver is fixed. The function has no grant to send to that queue
// itself, and dropping the event would lose it without a trace; the cost is a few
// useless retries of an event that the receiver refuses.
func (h *handler) Handle(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	return lambdakit.ProcessSQS(ctx, ev, h.deliver), nil
}

// deliver POSTs the event of msg to the endpoint.
func (h *handler) deliver(ctx context.Context, msg events.SQSMessage) error {
	e, err := envelope.FromSQS(msg)
	if err != nil {
		return err
	}
	if err := checkProducer(e); err != nil {
		return err
	}
	ctx = e.Context(ctx)
	body, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("event %s: encode: %w", e.ID, err)
	}
	log := lambdakit.Logger(ctx).With("event_id", e.ID, "event_type", e.Type)
	key, err := h.secret.Current(ctx)
	if err != nil {
		return fmt.Errorf("event %s: signing secret: %w", e.ID, err)
	}
	refreshed := false
	for attempt := 1; ; {
		status, err := h.post(ctx, e, body, key.Value)
		switch {
		case errors.Is(err, errPermanent):
			return fmt.Errorf("event %s: %w", e.ID, err)
		case err != nil:
			// No answer (connection refused or reset, timeout): worth another try.
		case status/100 == 2:
			log.Info("event delivered", "status", status, "attempt", attempt)
			return nil
		case status == http.StatusUnauthorized && !refreshed:
			// The receiver may already use a rotated key that the cache does not have
			// yet: read it again, once, and retry at once if it changed.
			refreshed = true
			fresh, ferr := h.secret.Refresh(ctx)
			if ferr != nil {
				return fmt.Errorf("event %s: endpoint answered 401; signing secret: %w", e.ID, ferr)
			}
			if fresh.ID != key.ID {
				key = fresh
				continue
			}
			return refused(log, e, status, attempt)
		case retryable(status):
			err = fmt.Errorf("endpoint answered %d", status)
		default:
			return refused(log, e, status, attempt)
		}
		if attempt == maxAttempts {
			return fmt.Errorf("event %s: %d attempts: %w", e.ID, attempt, err)
		}
		delay := backoff(attempt)
		if !timeLeft(ctx, delay) {
			return fmt.Errorf("event %s: no time left for attempt %d: %w", e.ID, attempt+1, err)
		}
		log.Warn("delivery failed; retrying", "attempt", attempt, "delay", delay, lambdakit.LogKeyError, err)
		if err := h.wait(ctx, delay); err != nil {
			return fmt.Errorf("event %s: %w", e.ID, err)
		}
		attempt++
	}
}

// refused returns the error of an answer that no retry can change, such as 400 or 403:
// the receiver rejects this event or this sender.
func refused(log *slog.Logger, e envelope.Envelope, status, attempt int) error {
	log.Error("event refused by the endpoint", "status", status, "attempt", attempt)
	return fmt.Errorf("event %s: %w: endpoint answered %d", e.ID, errPermanent, status)
}

// post sends one signed request and returns the status of the answer, or an error when
// there is none.
func (h *handler) post(ctx context.Context, e envelope.Envelope, body, secret []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.endpoint, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("%w: request: %w", errPermanent, err)
	}
	req.Header.Set("Content-Type", contentTypeJSON)
	req.Header.Set("User-Agent", "stratum-notifications")
	req.Header.Set(headerEventID, e.ID)
	req.Header.Set(headerIdempotencyKey, e.ID)
	req.Header.Set(headerEventType, e.Type)
	req.Header.Set(headerSignature, signature(secret, h.now().Unix(), body))
	resp, err := h.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("post: %w", err)
	}
	defer resp.Body.Close()
	// Read to the end (within a bound) so that the connection can be reused.
	excerpt, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		lambdakit.Logger(ctx).Warn("endpoint did not accept the event", "status", resp.StatusCode, "body", string(excerpt))
	}
	return resp.StatusCode, nil
}

// retryable reports whether an answer with status may succeed if sent again: the
// receiver is overloaded (429) or failing (5xx).
func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}

// signature returns the value of X-Stratum-Signature for body sent at t (Unix seconds):
// "t=<t>,v1=<hex HMAC-SHA256 of "<t>.<body>">". The time is signed with the body so that
// the receiver can refuse an old request replayed.
func signature(secret []byte, t int64, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	ts := strconv.FormatInt(t, 10)
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// backoff returns the wait before attempt+1: between half and all of a bound that doubles
// with each attempt up to maxDelay, random so that the retries of many messages do not
// reach the receiver at the same moment.
func backoff(attempt int) time.Duration {
	bound := min(baseDelay<<(attempt-1), maxDelay)
	return bound/2 + rand.N(bound/2+1)
}

// timeLeft reports whether ctx leaves time for a wait of delay and then a whole request.
// Without it a retry could run into the end of the invocation: Lambda would stop the
// function and SQS deliver the whole batch again, the events already delivered included.
func timeLeft(ctx context.Context, delay time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return !ok || time.Until(deadline) >= delay+requestTimeout
}

func (h *handler) wait(ctx context.Context, d time.Duration) error {
	if h.sleep != nil {
		return h.sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
