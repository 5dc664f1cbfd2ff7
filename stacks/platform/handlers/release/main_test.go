package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	cdtypes "github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/release"
)

const fn = "acme-dev-accounts-register"

// versions returns $LATEST and published versions 1 to n, as Lambda lists them.
func versions(n int) []string {
	out := []string{"$LATEST"}
	for i := 1; i <= n; i++ {
		out = append(out, strconv.Itoa(i))
	}
	return out
}

func setup(aliasVersion string, published int) (*handler, *fakeLambda, *fakeCodeDeploy, *sleeper) {
	l := &fakeLambda{aliasVersion: aliasVersion, versions: versions(published), pageSize: 4}
	cd := &fakeCodeDeploy{fn: l}
	s := &sleeper{}
	return &handler{lambda: l, deploy: cd, sleep: s.sleep, settle: time.Second}, l, cd, s
}

func request(target string) release.Request {
	return release.Request{FunctionName: fn, Alias: "live", TargetVersion: target,
		Application: "acme-dev-accounts", DeploymentGroup: "register", Nonce: "n-1"}
}

func testContext() (context.Context, *bytes.Buffer) {
	var buf bytes.Buffer
	return lambdakit.WithLogger(context.Background(), slog.New(slog.NewJSONHandler(&buf, nil))), &buf
}

func TestAlreadyAtTarget(t *testing.T) {
	h, l, cd, _ := setup("7", 7)
	ctx, _ := testContext()
	resp, err := h.Handle(ctx, request("7"))
	require.NoError(t, err)
	assert.Equal(t, release.Response{Skipped: true, Reason: "alias live already points at version 7", Pruned: []string{"1"}}, resp)
	assert.Empty(t, cd.created)
	assert.Empty(t, cd.stopped)
	assert.Equal(t, []string{"1"}, l.deleted, "7 is the alias's and 2 to 6 the newest five others")
}

func TestSameTargetInFlight(t *testing.T) {
	h, _, cd, _ := setup("6", 7)
	cd.add("d-1", cdtypes.DeploymentStatusInProgress, "6", "7")
	ctx, _ := testContext()
	resp, err := h.Handle(ctx, request("7"))
	require.NoError(t, err)
	assert.Equal(t, "d-1", resp.DeploymentID)
	assert.True(t, resp.Skipped)
	assert.Equal(t, "deployment d-1 already releases version 7", resp.Reason)
	assert.Empty(t, cd.created)
	assert.Empty(t, cd.stopped)
}

func TestSupersedeInFlight(t *testing.T) {
	// Version 6 is being released (10% of traffic) when version 7 arrives.
	h, l, cd, s := setup("5", 7)
	l.routed = map[string]float64{"6": 0.1}
	cd.add("d-1", cdtypes.DeploymentStatusInProgress, "5", "6")
	cd.rollbackPolls = 2
	ctx, _ := testContext()
	req := request("7")
	req.KeepVersions = 2
	resp, err := h.Handle(ctx, req)
	require.NoError(t, err)

	assert.Equal(t, []string{"d-1"}, resp.Stopped)
	assert.Equal(t, "d-NEW", resp.DeploymentID)
	assert.False(t, resp.Skipped)
	assert.Equal(t, "created deployment d-NEW: alias live from version 5 to 7", resp.Reason)
	assert.Equal(t, []time.Duration{time.Second, time.Second}, s.pauses, "waits while the rollback runs")
	require.Len(t, cd.created, 1)
	spec, err := release.ParseAppSpec(aws.ToString(cd.created[0].Revision.AppSpecContent.Content))
	require.NoError(t, err)
	assert.Equal(t, release.AppSpec{Function: fn, Alias: "live", CurrentVersion: "5", TargetVersion: "7"}, spec,
		"the new deployment starts from the version the rollback restored")
	inFlight := "[Created Queued InProgress Baking Ready]"
	assert.Equal(t, []string{
		"ListDeployments acme-dev-accounts/register " + inFlight,
		"GetDeployment d-1",
		"StopDeployment d-1 rollback=true",
		"ListDeployments acme-dev-accounts/register " + inFlight,
		"ListDeployments acme-dev-accounts/register " + inFlight,
		"ListDeployments acme-dev-accounts/register " + inFlight,
		"CreateDeployment",
	}, cd.calls)
	assert.Equal(t, []string{"1", "2", "3"}, l.deleted, "5 and 7 are in use, 6 and 4 the newest two others")
}

func TestStoppedToTarget(t *testing.T) {
	// Version 6 is being released when the deploy goes back to 5, the alias's version: the
	// stop's rollback is the release.
	h, _, cd, _ := setup("5", 6)
	cd.add("d-1", cdtypes.DeploymentStatusBaking, "5", "6")
	ctx, _ := testContext()
	resp, err := h.Handle(ctx, request("5"))
	require.NoError(t, err)
	assert.Equal(t, release.Response{Skipped: true, Reason: "alias live already points at version 5", Stopped: []string{"d-1"}}, resp)
	assert.Empty(t, cd.created)
}

func TestCreateWithHooks(t *testing.T) {
	h, _, cd, _ := setup("3", 4)
	req := request("4")
	req.BeforeAllowTraffic = "acme-dev-accounts-register-pre"
	req.AfterAllowTraffic = "acme-dev-accounts-register-smoke"
	ctx, logs := testContext()
	resp, err := h.Handle(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, release.Response{DeploymentID: "d-NEW", Reason: "created deployment d-NEW: alias live from version 3 to 4"}, resp)

	content, sha := release.AppSpec{Function: fn, Alias: "live", CurrentVersion: "3", TargetVersion: "4",
		BeforeAllowTraffic: req.BeforeAllowTraffic, AfterAllowTraffic: req.AfterAllowTraffic}.Content()
	assert.Contains(t, content, `"Hooks":[{"BeforeAllowTraffic":"acme-dev-accounts-register-pre"},{"AfterAllowTraffic":"acme-dev-accounts-register-smoke"}]`)
	require.Len(t, cd.created, 1)
	assert.Equal(t, &codedeploy.CreateDeploymentInput{
		ApplicationName:     aws.String("acme-dev-accounts"),
		DeploymentGroupName: aws.String("register"),
		Description:         aws.String("stratum: acme-dev-accounts-register alias live from version 3 to 4 (nonce n-1)"),
		Revision: &cdtypes.RevisionLocation{
			RevisionType:   cdtypes.RevisionLocationTypeAppSpecContent,
			AppSpecContent: &cdtypes.AppSpecContent{Content: aws.String(content), Sha256: aws.String(sha)},
		},
	}, cd.created[0])
	assert.Contains(t, logs.String(), `"msg":"release decided"`)
	assert.Contains(t, logs.String(), `"nonce":"n-1"`)
}

func TestBadInput(t *testing.T) {
	h, l, cd, _ := setup("1", 1)
	ctx, _ := testContext()
	_, err := h.Handle(ctx, release.Request{Alias: "live", TargetVersion: "$LATEST"})
	assert.EqualError(t, err, "invalid release request: application: is required; deploymentGroup: is required; "+
		"functionName: is required; targetVersion: must be a published version number such as \"7\" ($LATEST cannot be released), got \"$LATEST\"")
	_, ok := errors.AsType[*lambdakit.ValidationError](err)
	assert.True(t, ok)
	assert.Empty(t, l.calls)
	assert.Empty(t, cd.calls)
}

func TestPruning(t *testing.T) {
	h, l, _, _ := setup("9", 12)
	l.routed = map[string]float64{"3": 0.5} // a version the alias still routes to
	l.deleteFails = map[string]error{"4": errors.New("api error ResourceConflictException: version 4 is used by alias beta")}
	req := request("12")
	req.KeepVersions = 2
	ctx, logs := testContext()
	resp, err := h.Handle(ctx, req)
	require.NoError(t, err, "a failed pruning does not fail the release")
	assert.Equal(t, "d-NEW", resp.DeploymentID)
	assert.Equal(t, []string{"1", "2", "5", "6", "7", "8"}, resp.Pruned, "3, 9 and 12 are in use, 11 and 10 the newest two others")
	assert.Equal(t, "release acme-dev-accounts-register version 12: delete version 4: api error ResourceConflictException: version 4 is used by alias beta", resp.PruneError)
	assert.NotContains(t, strings.Join(l.calls, " "), "DeleteFunction "+fn+":$LATEST")
	assert.Contains(t, logs.String(), `"msg":"pruning failed"`)
}

func TestPrunable(t *testing.T) {
	tests := []struct {
		name     string
		versions []string
		keep     []string
		n        int
		want     []string
	}{
		{"nothing beyond the count", []string{"$LATEST", "1", "2"}, nil, 5, nil},
		{"oldest go first", []string{"$LATEST", "1", "2", "3", "4"}, nil, 2, []string{"1", "2"}},
		{"numeric order, not text", []string{"10", "9", "11", "2"}, nil, 2, []string{"2", "9"}},
		{"kept versions survive", []string{"1", "2", "3", "4", "5"}, []string{"1", "3"}, 1, []string{"2", "4"}},
		{"zero keeps only the used ones", []string{"$LATEST", "1", "2"}, []string{"2"}, 0, []string{"1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, prunable(tt.versions, tt.keep, tt.n))
		})
	}
}

func TestAWSErrorsWrapped(t *testing.T) {
	denied := errors.New("api error AccessDeniedException: not authorized")
	tests := []struct {
		name  string
		setup func(*fakeLambda, *fakeCodeDeploy)
		want  string
	}{
		{"get alias", func(l *fakeLambda, _ *fakeCodeDeploy) { l.fail = map[string]error{"GetAlias": denied} },
			"release acme-dev-accounts-register version 7: get alias live: api error AccessDeniedException: not authorized"},
		{"list deployments", func(_ *fakeLambda, cd *fakeCodeDeploy) { cd.fail = map[string]error{"ListDeployments": denied} },
			"release acme-dev-accounts-register version 7: list deployments of acme-dev-accounts/register: api error AccessDeniedException: not authorized"},
		{"get deployment", func(_ *fakeLambda, cd *fakeCodeDeploy) {
			cd.add("d-1", cdtypes.DeploymentStatusInProgress, "5", "6")
			cd.fail = map[string]error{"GetDeployment": denied}
		}, "release acme-dev-accounts-register version 7: get deployment d-1: api error AccessDeniedException: not authorized"},
		{"stop deployment", func(_ *fakeLambda, cd *fakeCodeDeploy) {
			cd.add("d-1", cdtypes.DeploymentStatusInProgress, "5", "6")
			cd.fail = map[string]error{"StopDeployment": denied}
		}, "release acme-dev-accounts-register version 7: stop deployment d-1 (version 6): api error AccessDeniedException: not authorized"},
		{"create deployment", func(_ *fakeLambda, cd *fakeCodeDeploy) { cd.fail = map[string]error{"CreateDeployment": denied} },
			"release acme-dev-accounts-register version 7: create deployment in acme-dev-accounts/register: api error AccessDeniedException: not authorized"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, l, cd, _ := setup("5", 7)
			tt.setup(l, cd)
			ctx, _ := testContext()
			_, err := h.Handle(ctx, request("7"))
			assert.EqualError(t, err, tt.want)
			assert.ErrorIs(t, err, denied)
		})
	}
}

func TestListVersionsFails(t *testing.T) {
	h, l, _, _ := setup("5", 7)
	l.fail = map[string]error{"ListVersionsByFunction": errors.New("throttled")}
	ctx, _ := testContext()
	resp, err := h.Handle(ctx, request("7"))
	require.NoError(t, err)
	assert.Equal(t, "d-NEW", resp.DeploymentID)
	assert.Equal(t, "release acme-dev-accounts-register version 7: list versions: throttled", resp.PruneError)
}

func TestStopAlreadyCompleted(t *testing.T) {
	// The deployment of version 6 completes between the listing and the stop.
	h, l, cd, _ := setup("5", 7)
	cd.add("d-1", cdtypes.DeploymentStatusInProgress, "5", "6")
	cd.completeOnStop = true
	ctx, _ := testContext()
	resp, err := h.Handle(ctx, request("7"))
	require.NoError(t, err)
	assert.Empty(t, resp.Stopped)
	assert.Equal(t, "6", l.aliasVersion)
	assert.Equal(t, "created deployment d-NEW: alias live from version 6 to 7", resp.Reason, "the alias is read again")
}
