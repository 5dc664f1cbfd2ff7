package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	cdtypes "github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/release"
)

// fakeCodeDeploy answers GetDeployment with one deployment of version 8 and records the
// statuses reported.
type fakeCodeDeploy struct {
	getErr, putErr error
	noAppSpec      bool
	reported       []codedeploy.PutLifecycleEventHookExecutionStatusInput
}

func (f *fakeCodeDeploy) GetDeployment(_ context.Context, in *codedeploy.GetDeploymentInput, _ ...func(*codedeploy.Options)) (*codedeploy.GetDeploymentOutput, error) {
	if f.getErr != nil {
		return nil, f.getErr
	}
	info := &cdtypes.DeploymentInfo{DeploymentId: in.DeploymentId}
	if !f.noAppSpec {
		content, _ := release.AppSpec{Function: "acme-dev-accounts-list", Alias: "live", CurrentVersion: "7", TargetVersion: "8"}.Content()
		info.Revision = &cdtypes.RevisionLocation{AppSpecContent: &cdtypes.AppSpecContent{Content: aws.String(content)}}
	}
	return &codedeploy.GetDeploymentOutput{DeploymentInfo: info}, nil
}

func (f *fakeCodeDeploy) PutLifecycleEventHookExecutionStatus(_ context.Context, in *codedeploy.PutLifecycleEventHookExecutionStatusInput, _ ...func(*codedeploy.Options)) (*codedeploy.PutLifecycleEventHookExecutionStatusOutput, error) {
	if f.putErr != nil {
		return nil, f.putErr
	}
	f.reported = append(f.reported, *in)
	return &codedeploy.PutLifecycleEventHookExecutionStatusOutput{LifecycleEventHookExecutionId: in.LifecycleEventHookExecutionId}, nil
}

// fakeFunction answers invocations as a version of an API handler would, by route key.
type fakeFunction struct {
	answers  map[string]string // route key -> payload
	failures map[string]string // route key -> function error payload
	requests []events.APIGatewayV2HTTPRequest
	targets  []string
}

func (f *fakeFunction) Invoke(_ context.Context, in *lambda.InvokeInput, _ ...func(*lambda.Options)) (*lambda.InvokeOutput, error) {
	var req events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(in.Payload, &req); err != nil {
		return nil, err
	}
	f.requests = append(f.requests, req)
	f.targets = append(f.targets, aws.ToString(in.FunctionName)+":"+aws.ToString(in.Qualifier))
	if p, ok := f.failures[req.RouteKey]; ok {
		return &lambda.InvokeOutput{StatusCode: 200, FunctionError: aws.String("Unhandled"), Payload: []byte(p)}, nil
	}
	return &lambda.InvokeOutput{StatusCode: 200, Payload: []byte(f.answers[req.RouteKey])}, nil
}

// api serves /health (200), /accounts (401 without a token) and /broken (503).
func api(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") != userAgent {
			w.WriteHeader(http.StatusTeapot)
		}
	})
	mux.HandleFunc("POST /accounts", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Content-Type") != "application/json" {
			w.WriteHeader(http.StatusUnsupportedMediaType)
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
	})
	mux.HandleFunc("GET /broken", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// hook is the event CodeDeploy sends for one hook execution.
func hook() HookEvent {
	return HookEvent{DeploymentID: "d-42", LifecycleEventHookExecutionID: "exec-1"}
}

func testContext() (context.Context, *bytes.Buffer) {
	var buf bytes.Buffer
	return lambdakit.WithLogger(context.Background(), slog.New(slog.NewJSONHandler(&buf, nil))), &buf
}

func checks(cs ...release.Check) []release.Check { return cs }

func TestHTTPChecksPass(t *testing.T) {
	srv := api(t)
	cd := &fakeCodeDeploy{}
	h := &handler{cfg: config{baseURL: srv.URL, checks: checks(
		release.Check{Method: "GET", Path: "/health", ExpectedStatus: 200},
		release.Check{Method: "POST", Path: "/accounts", ExpectedStatus: 401, Body: `{}`},
	)}, http: srv.Client(), deploy: cd}
	ctx, _ := testContext()
	res, err := h.Handle(ctx, hook())
	require.NoError(t, err)
	assert.Equal(t, Result{Status: "Succeeded"}, res)
	require.Len(t, cd.reported, 1)
	assert.Equal(t, "d-42", aws.ToString(cd.reported[0].DeploymentId))
	assert.Equal(t, "exec-1", aws.ToString(cd.reported[0].LifecycleEventHookExecutionId))
	assert.Equal(t, cdtypes.LifecycleEventStatusSucceeded, cd.reported[0].Status)
}

func TestHTTPChecksFail(t *testing.T) {
	srv := api(t)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	cd := &fakeCodeDeploy{}
	h := &handler{cfg: config{baseURL: srv.URL, checks: checks(
		release.Check{Method: "GET", Path: "/health", ExpectedStatus: 200},
		release.Check{Method: "GET", Path: "/broken", ExpectedStatus: 200},
	)}, http: srv.Client(), deploy: cd}
	ctx, logs := testContext()
	res, err := h.Handle(ctx, hook())
	require.NoError(t, err)
	assert.Equal(t, Result{Status: "Failed", Failures: []string{"GET /broken -> 200 at " + srv.URL + ": got status 503"}}, res)
	assert.Equal(t, cdtypes.LifecycleEventStatusFailed, cd.reported[0].Status)
	assert.Contains(t, logs.String(), `"msg":"smoke check failed"`)

	h.cfg.baseURL = closed.URL
	res, err = h.Handle(ctx, hook())
	require.NoError(t, err)
	assert.Equal(t, "Failed", res.Status)
	require.Len(t, res.Failures, 2)
	assert.Contains(t, res.Failures[0], "GET /health -> 200 at "+closed.URL+": request: ")
	assert.Contains(t, res.Failures[0], "connection refused")
}

func TestInvokeChecks(t *testing.T) {
	cd := &fakeCodeDeploy{}
	fn := &fakeFunction{
		answers: map[string]string{
			"GET /health":   `{"statusCode":200,"body":"ok"}`,
			"GET /accounts": `{"statusCode":401,"headers":{"content-type":"application/problem+json"}}`,
			"GET /plain":    `["a body without a status"]`,
		},
		failures: map[string]string{"GET /panics": `{"errorMessage":"nil map","errorType":"runtime.Error"}`},
	}
	h := &handler{cfg: config{invoke: true, checks: checks(
		release.Check{Method: "GET", Path: "/health?verbose=1&x=a&x=b", ExpectedStatus: 200},
		release.Check{Method: "GET", Path: "/accounts", ExpectedStatus: 403},
		release.Check{Method: "GET", Path: "/plain", ExpectedStatus: 200},
		release.Check{Method: "GET", Path: "/panics", ExpectedStatus: 200},
	)}, lambda: fn, deploy: cd}
	ctx, _ := testContext()
	res, err := h.Handle(ctx, hook())
	require.NoError(t, err)
	assert.Equal(t, Result{Status: "Failed", Failures: []string{
		"GET /accounts -> 403 on acme-dev-accounts-list:8: got status 401",
		`GET /panics -> 200 on acme-dev-accounts-list:8: function error Unhandled: {"errorMessage":"nil map","errorType":"runtime.Error"}`,
	}}, res)
	assert.Equal(t, []string{"acme-dev-accounts-list:8", "acme-dev-accounts-list:8", "acme-dev-accounts-list:8", "acme-dev-accounts-list:8"}, fn.targets)
	first := fn.requests[0]
	assert.Equal(t, "2.0", first.Version)
	assert.Equal(t, "GET /health", first.RouteKey)
	assert.Equal(t, "/health", first.RawPath)
	assert.Equal(t, "verbose=1&x=a&x=b", first.RawQueryString)
	assert.Equal(t, map[string]string{"verbose": "1", "x": "a,b"}, first.QueryStringParameters)
	assert.Equal(t, "GET", first.RequestContext.HTTP.Method)
	assert.Equal(t, "/health", first.RequestContext.HTTP.Path)
}

func TestInvokeWithoutTarget(t *testing.T) {
	tests := map[string]struct {
		cd   *fakeCodeDeploy
		want string
	}{
		"get fails":  {&fakeCodeDeploy{getErr: errors.New("throttled")}, "invoke the target version: get deployment d-42: throttled"},
		"no appspec": {&fakeCodeDeploy{noAppSpec: true}, "invoke the target version: deployment d-42 has no AppSpec content"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			h := &handler{cfg: config{invoke: true, checks: checks(release.Check{Method: "GET", Path: "/", ExpectedStatus: 200})},
				lambda: &fakeFunction{}, deploy: tt.cd}
			ctx, _ := testContext()
			res, err := h.Handle(ctx, hook())
			require.NoError(t, err)
			assert.Equal(t, Result{Status: "Failed", Failures: []string{tt.want}}, res, "a hook that cannot check fails the release")
			assert.Equal(t, cdtypes.LifecycleEventStatusFailed, tt.cd.reported[0].Status)
		})
	}
}

func TestBothModes(t *testing.T) {
	srv := api(t)
	fn := &fakeFunction{answers: map[string]string{"GET /health": `{"statusCode":200}`}}
	h := &handler{cfg: config{baseURL: srv.URL, invoke: true, checks: checks(release.Check{Method: "GET", Path: "/health", ExpectedStatus: 200})},
		http: srv.Client(), lambda: fn, deploy: &fakeCodeDeploy{}}
	ctx, _ := testContext()
	res, err := h.Handle(ctx, hook())
	require.NoError(t, err)
	assert.Equal(t, Result{Status: "Succeeded"}, res)
	assert.Len(t, fn.requests, 1)
}

func TestReportFails(t *testing.T) {
	srv := api(t)
	denied := errors.New("api error AccessDeniedException")
	h := &handler{cfg: config{baseURL: srv.URL, checks: checks(release.Check{Method: "GET", Path: "/health", ExpectedStatus: 200})},
		http: srv.Client(), deploy: &fakeCodeDeploy{putErr: denied}}
	ctx, _ := testContext()
	_, err := h.Handle(ctx, hook())
	assert.EqualError(t, err, "smoke: deployment d-42: report Succeeded: api error AccessDeniedException")
	assert.ErrorIs(t, err, denied)
}

func TestNotAHookEvent(t *testing.T) {
	cd := &fakeCodeDeploy{}
	h := &handler{cfg: config{invoke: true}, deploy: cd}
	ctx, _ := testContext()
	_, err := h.Handle(ctx, HookEvent{})
	assert.EqualError(t, err, "smoke: not a CodeDeploy hook event: missing DeploymentId, LifecycleEventHookExecutionId")
	assert.Empty(t, cd.reported)
}

func TestLoadConfig(t *testing.T) {
	const good = `[{"method":"GET","path":"/health","expectedStatus":200}]`
	tests := []struct {
		name string
		env  map[string]string
		want string
		cfg  config
	}{
		{"url", map[string]string{"SMOKE_CHECKS": good, "SMOKE_BASE_URL": "https://api.example.com/"}, "",
			config{baseURL: "https://api.example.com"}},
		{"invoke", map[string]string{"SMOKE_CHECKS": good, "SMOKE_INVOKE": "true"}, "", config{invoke: true}},
		{"neither", map[string]string{"SMOKE_CHECKS": good, "SMOKE_INVOKE": "false"},
			"smoke: SMOKE_BASE_URL or SMOKE_INVOKE=true: one is required, or no check runs", config{}},
		{"everything wrong", map[string]string{"SMOKE_CHECKS": `[{"method":"GET","path":"x","expectedStatus":200}]`,
			"SMOKE_BASE_URL": "ftp://example.com", "SMOKE_INVOKE": "yes"},
			`smoke: SMOKE_CHECKS: checks[0].path: must start with /, got "x"; ` +
				`SMOKE_BASE_URL: must be an http(s) URL without a query, got "ftp://example.com"; ` +
				`SMOKE_INVOKE: must be true or false, got "yes"`, config{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			get := func(name string) string { return tt.env[name] }
			cfg, err := loadConfig(get, get)
			if tt.want != "" {
				assert.EqualError(t, err, tt.want)
				return
			}
			require.NoError(t, err)
			tt.cfg.checks = []release.Check{{Method: "GET", Path: "/health", ExpectedStatus: 200}}
			assert.Equal(t, tt.cfg, cfg)
		})
	}
}

func TestResponseStatus(t *testing.T) {
	tests := map[string]int{
		`{"statusCode":204}`: 204,
		`{"body":"x"}`:       200,
		`"just a string"`:    200,
		`null`:               200,
	}
	for payload, want := range tests {
		got, err := responseStatus([]byte(payload))
		require.NoError(t, err, payload)
		assert.Equal(t, want, got, payload)
	}
	_, err := responseStatus([]byte("not json"))
	assert.EqualError(t, err, "response is not JSON: not json")
}

func TestAPIRequestBody(t *testing.T) {
	req := apiRequest(release.Check{Method: "POST", Path: "/accounts", ExpectedStatus: 401, Body: `{"a":1}`}, time.Unix(0, 0))
	assert.Equal(t, `{"a":1}`, req.Body)
	assert.Equal(t, "application/json", req.Headers["content-type"])
	assert.Nil(t, req.QueryStringParameters)
	assert.Equal(t, "01/Jan/1970:00:00:00 +0000", req.RequestContext.Time)
}

func TestAPIRequestClaims(t *testing.T) {
	plain := apiRequest(release.Check{Method: "GET", Path: "/accounts", ExpectedStatus: 500}, time.Unix(0, 0))
	assert.Nil(t, plain.RequestContext.Authorizer, "a check without claims passes no authorizer")

	claims := map[string]string{"sub": "stratum-smoke", "scope": "accounts:read", "tenant": "stratum-smoke"}
	req := apiRequest(release.Check{Method: "GET", Path: "/accounts?limit=1", ExpectedStatus: 200, Claims: claims}, time.Unix(0, 0))
	require.NotNil(t, req.RequestContext.Authorizer)
	assert.Equal(t, claims, req.RequestContext.Authorizer.JWT.Claims)
	claims["sub"] = "changed"
	assert.Equal(t, "stratum-smoke", req.RequestContext.Authorizer.JWT.Claims["sub"], "the request holds its own copy")
}
