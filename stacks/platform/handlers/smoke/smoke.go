package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	cdtypes "github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/release"
)

// Doer sends HTTP requests; *http.Client implements it.
type Doer interface {
	Do(req *http.Request) (*http.Response, error)
}

// Invoker invokes a function version; *lambda.Client implements it.
type Invoker interface {
	Invoke(ctx context.Context, in *lambda.InvokeInput, optFns ...func(*lambda.Options)) (*lambda.InvokeOutput, error)
}

// CodeDeploy is what the hook calls on CodeDeploy; *codedeploy.Client implements it.
type CodeDeploy interface {
	GetDeployment(ctx context.Context, in *codedeploy.GetDeploymentInput, optFns ...func(*codedeploy.Options)) (*codedeploy.GetDeploymentOutput, error)
	PutLifecycleEventHookExecutionStatus(ctx context.Context, in *codedeploy.PutLifecycleEventHookExecutionStatusInput, optFns ...func(*codedeploy.Options)) (*codedeploy.PutLifecycleEventHookExecutionStatusOutput, error)
}

// HookEvent is what CodeDeploy invokes a lifecycle hook with.
type HookEvent struct {
	DeploymentID                  string `json:"DeploymentId"`
	LifecycleEventHookExecutionID string `json:"LifecycleEventHookExecutionId"`
}

// Result is what the hook answers: the status it reported and every failed check.
type Result struct {
	Status   string   `json:"status"`
	Failures []string `json:"failures,omitempty"`
}

type handler struct {
	cfg    config
	http   Doer
	lambda Invoker
	deploy CodeDeploy
}

// Handle runs the checks for one hook execution and reports the verdict to CodeDeploy. It
// fails only when it cannot report (or the event cannot be reported on): then Lambda retries
// the asynchronous invocation, and CodeDeploy fails the hook when it never hears back.
func (h *handler) Handle(ctx context.Context, ev HookEvent) (Result, error) {
	var missing []string
	if ev.DeploymentID == "" {
		missing = append(missing, "DeploymentId")
	}
	if ev.LifecycleEventHookExecutionID == "" {
		missing = append(missing, "LifecycleEventHookExecutionId")
	}
	if len(missing) > 0 {
		return Result{}, fmt.Errorf("smoke: not a CodeDeploy hook event: missing %s", strings.Join(missing, ", "))
	}
	log := lambdakit.Logger(ctx).With("deployment_id", ev.DeploymentID)

	failures := h.run(ctx, ev.DeploymentID)
	res := Result{Status: string(cdtypes.LifecycleEventStatusSucceeded), Failures: failures}
	if len(failures) > 0 {
		res.Status = string(cdtypes.LifecycleEventStatusFailed)
		for _, f := range failures {
			log.Error("smoke check failed", "check", f)
		}
	}
	_, err := h.deploy.PutLifecycleEventHookExecutionStatus(ctx, &codedeploy.PutLifecycleEventHookExecutionStatusInput{
		DeploymentId:                  aws.String(ev.DeploymentID),
		LifecycleEventHookExecutionId: aws.String(ev.LifecycleEventHookExecutionID),
		Status:                        cdtypes.LifecycleEventStatus(res.Status),
	})
	if err != nil {
		return res, fmt.Errorf("smoke: deployment %s: report %s: %w", ev.DeploymentID, res.Status, err)
	}
	log.Info("smoke checks reported", "status", res.Status, "checks", len(h.cfg.checks), "failed", len(failures))
	return res, nil
}

// run runs every check the configuration asks for and returns the failures, each naming
// the check, where it ran and what happened.
func (h *handler) run(ctx context.Context, deploymentID string) []string {
	var failures []string
	if h.cfg.baseURL != "" {
		for _, c := range h.cfg.checks {
			if err := h.request(ctx, c); err != nil {
				failures = append(failures, fmt.Sprintf("%s at %s: %v", c, h.cfg.baseURL, err))
			}
		}
	}
	if h.cfg.invoke {
		spec, err := h.target(ctx, deploymentID)
		if err != nil {
			return append(failures, fmt.Sprintf("invoke the target version: %v", err))
		}
		for _, c := range h.cfg.checks {
			if err := h.invoke(ctx, spec, c); err != nil {
				failures = append(failures, fmt.Sprintf("%s on %s:%s: %v", c, spec.Function, spec.TargetVersion, err))
			}
		}
	}
	return failures
}

// request sends c to the base URL and compares the status.
func (h *handler) request(ctx context.Context, c release.Check) error {
	ctx, cancel := context.WithTimeout(ctx, release.DefaultCheckTimeout)
	defer cancel()
	var body io.Reader
	if c.Body != "" {
		body = strings.NewReader(c.Body)
	}
	req, err := http.NewRequestWithContext(ctx, c.Method, h.cfg.baseURL+c.Path, body)
	if err != nil {
		return fmt.Errorf("request: %w", err)
	}
	req.Header.Set("User-Agent", userAgent)
	if c.Body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := h.http.Do(req)
	if err != nil {
		return fmt.Errorf("request: %w", err)
	}
	defer resp.Body.Close()
	// Drain a little so the connection can be reused; the body itself does not matter.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != c.ExpectedStatus {
		return fmt.Errorf("got status %d", resp.StatusCode)
	}
	return nil
}

// userAgent marks smoke traffic in access logs.
const userAgent = "stratum-smoke-check"

// target reads which function and version the deployment releases.
func (h *handler) target(ctx context.Context, deploymentID string) (release.AppSpec, error) {
	out, err := h.deploy.GetDeployment(ctx, &codedeploy.GetDeploymentInput{DeploymentId: aws.String(deploymentID)})
	if err != nil {
		return release.AppSpec{}, fmt.Errorf("get deployment %s: %w", deploymentID, err)
	}
	if out.DeploymentInfo == nil || out.DeploymentInfo.Revision == nil || out.DeploymentInfo.Revision.AppSpecContent == nil {
		return release.AppSpec{}, fmt.Errorf("deployment %s has no AppSpec content", deploymentID)
	}
	spec, err := release.ParseAppSpec(aws.ToString(out.DeploymentInfo.Revision.AppSpecContent.Content))
	if err != nil {
		return release.AppSpec{}, fmt.Errorf("deployment %s: %w", deploymentID, err)
	}
	if spec.Function == "" || spec.TargetVersion == "" {
		return release.AppSpec{}, fmt.Errorf("deployment %s: the AppSpec names no function or target version", deploymentID)
	}
	return spec, nil
}

// invoke sends c to the target version as API Gateway would, and compares the status.
func (h *handler) invoke(ctx context.Context, spec release.AppSpec, c release.Check) error {
	payload, err := json.Marshal(apiRequest(c, time.Now()))
	if err != nil {
		return fmt.Errorf("request: %w", err)
	}
	out, err := h.lambda.Invoke(ctx, &lambda.InvokeInput{
		FunctionName: aws.String(spec.Function),
		Qualifier:    aws.String(spec.TargetVersion),
		Payload:      payload,
	})
	if err != nil {
		return fmt.Errorf("invoke: %w", err)
	}
	if out.FunctionError != nil {
		return fmt.Errorf("function error %s: %s", aws.ToString(out.FunctionError), truncate(string(out.Payload)))
	}
	status, err := responseStatus(out.Payload)
	if err != nil {
		return err
	}
	if status != c.ExpectedStatus {
		return fmt.Errorf("got status %d", status)
	}
	return nil
}

// apiRequest is the API Gateway HTTP API (payload format 2.0) request of check c.
func apiRequest(c release.Check, now time.Time) events.APIGatewayV2HTTPRequest {
	path, rawQuery, _ := strings.Cut(c.Path, "?")
	routeKey := c.Method + " " + path
	req := events.APIGatewayV2HTTPRequest{
		Version:        "2.0",
		RouteKey:       routeKey,
		RawPath:        path,
		RawQueryString: rawQuery,
		Headers:        map[string]string{"user-agent": userAgent},
		Body:           c.Body,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:  routeKey,
			Stage:     "$default",
			RequestID: "smoke-" + fmt.Sprint(now.UnixNano()),
			Time:      now.UTC().Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch: now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method: c.Method, Path: path, Protocol: "HTTP/1.1", SourceIP: "127.0.0.1", UserAgent: userAgent,
			},
		},
	}
	if c.Body != "" {
		req.Headers["content-type"] = "application/json"
	}
	if len(c.Claims) > 0 {
		req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: maps.Clone(c.Claims)},
		}
	}
	if q, err := url.ParseQuery(rawQuery); err == nil && len(q) > 0 {
		req.QueryStringParameters = map[string]string{}
		for k, v := range q {
			// API Gateway joins repeated parameters with commas.
			req.QueryStringParameters[k] = strings.Join(v, ",")
		}
	}
	return req
}

// responseStatus reads the status of a payload 2.0 response: its statusCode, or 200 when the
// function returned a body without one, as API Gateway infers.
func responseStatus(payload []byte) (int, error) {
	var resp struct {
		StatusCode *int `json:"statusCode"`
	}
	if err := json.Unmarshal(payload, &resp); err != nil {
		if _, ok := errors.AsType[*json.SyntaxError](err); ok {
			return 0, fmt.Errorf("response is not JSON: %s", truncate(string(payload)))
		}
		// A JSON value that is not an object (a string, a list) is a body: API Gateway
		// answers it with 200.
		return http.StatusOK, nil
	}
	if resp.StatusCode == nil {
		return http.StatusOK, nil
	}
	return *resp.StatusCode, nil
}

// truncate keeps failure reports short enough to read in a log line.
func truncate(s string) string {
	const limit = 300
	if len(s) > limit {
		return s[:limit] + "..."
	}
	return s
}
