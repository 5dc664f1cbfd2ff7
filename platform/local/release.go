package local

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/stratum-platform/stratum/platform/release"
)

// The local engine emulates CodeDeploy for the releases of platform/release: an invocation
// whose input is a release.Request is taken for the platform release function's, and does in
// the account what that function decides (release.AtTarget, release.Created); the deployment
// it starts ends at once, well unless a fault is injected for it (ReleaseFault).

const (
	lambdaInvocation = "aws:lambda/invocation:Invocation"
	lambdaAlias      = "aws:lambda/alias:Alias"
)

// ReleaseFault is the key of EnvFaults (see FaultsValue) whose message makes the local
// deployments of the function named function fail, as CodeDeploy's automatic rollback on an
// alarm does: the deployment ends Stopped with ALARM_ACTIVE and the message, and the alias
// stays at its version. function is the physical name, as in release.Request.
func ReleaseFault(function string) string { return "release:" + function }

// Deployment is a deployment the local account records: what CodeDeploy would have done.
type Deployment struct {
	release.Deployment
	// Alias is the alias the deployment moves (or, rolled back, left).
	Alias string `json:"alias"`
}

// releaseRequest reads the input of an invocation as a release.Request. It is false when the
// input is not one (then the invocation is not of the release function).
func releaseRequest(in map[string]any) (release.Request, bool) {
	s, _ := in["input"].(string)
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.DisallowUnknownFields()
	var req release.Request
	if err := dec.Decode(&req); err != nil || req.FunctionName == "" || req.TargetVersion == "" {
		return release.Request{}, false
	}
	return req, true
}

// release does in the account what the release function does for req, and answers as it
// does. Nothing is ever in flight locally, so nothing is stopped, and pruning is not
// emulated (the account keeps no versions apart from the function).
func (p *Provider) release(a *Account, req release.Request, seed string) (release.Response, error) {
	if err := req.Validate(); err != nil {
		return release.Response{}, fmt.Errorf("local: invalid release request: %w", err)
	}
	i := a.byName(lambdaAlias, scopeOf(lambdaAlias, map[string]any{"functionName": req.FunctionName}), req.Alias)
	if i < 0 {
		return release.Response{}, fmt.Errorf("local: release %s version %s: get alias %s: ResourceNotFoundException: the account has no such alias",
			req.FunctionName, req.TargetVersion, req.Alias)
	}
	alias := a.Resources[i]
	state, err := alias.State()
	if err != nil {
		return release.Response{}, err
	}
	from := ""
	if v := unwrap(state["functionVersion"]); v.IsString() {
		from = v.StringValue()
	}
	if resp, ok := release.AtTarget(req, from); ok {
		return resp, nil
	}
	d := release.Deployment{
		ID: deploymentID(seed, len(a.Deployments)), Status: string(types.DeploymentStatusSucceeded),
		Application: req.Application, DeploymentGroup: req.DeploymentGroup,
		Function: req.FunctionName, CurrentVersion: from, TargetVersion: req.TargetVersion,
	}
	if msg, ok := p.faults[ReleaseFault(req.FunctionName)]; ok {
		d.Status = string(types.DeploymentStatusStopped)
		d.ErrorCode, d.ErrorMessage = string(types.ErrorCodeAlarmActive), FaultPrefix+msg
		d.RollbackMessage = fmt.Sprintf("automatic rollback: alias %s stays at version %s", req.Alias, from)
	} else {
		state["functionVersion"] = resource.NewStringProperty(req.TargetVersion)
		delete(state, "routingConfig")
		if alias.Outputs, err = encodeState(state); err != nil {
			return release.Response{}, err
		}
		a.put(i, alias)
	}
	a.Deployments = append(a.Deployments, Deployment{Deployment: d, Alias: req.Alias})
	return release.Created(req, d.ID, from), nil
}

// deploymentID is a CodeDeploy-like deployment id ("d-" and nine characters), derived from the
// invocation's seed and the number of deployments before it.
func deploymentID(seed string, n int) string {
	sum := sha256.Sum256([]byte(seed + "#" + strconv.Itoa(n)))
	return "d-" + base32.StdEncoding.EncodeToString(sum[:])[:9]
}

// Deployments answers CodeDeploy's GetDeployment from the deployments of the local account at
// AccountPath, so that release.Wait follows local releases as it follows real ones.
type Deployments struct {
	AccountPath string
}

// GetDeployment returns the recorded deployment, or CodeDeploy's DeploymentDoesNotExist.
func (d Deployments) GetDeployment(_ context.Context, in *codedeploy.GetDeploymentInput, _ ...func(*codedeploy.Options)) (*codedeploy.GetDeploymentOutput, error) {
	a, err := LoadAccount(d.AccountPath)
	if err != nil {
		return nil, err
	}
	id := aws.ToString(in.DeploymentId)
	i := slices.IndexFunc(a.Deployments, func(dep Deployment) bool { return dep.ID == id })
	if i < 0 {
		return nil, &types.DeploymentDoesNotExistException{
			Message: aws.String(fmt.Sprintf("deployment %s is not in the local account %s", id, d.AccountPath)),
		}
	}
	return &codedeploy.GetDeploymentOutput{DeploymentInfo: a.Deployments[i].info()}, nil
}

// info is the deployment as CodeDeploy describes it, which release.FromInfo reads back.
func (d Deployment) info() *types.DeploymentInfo {
	content, sha := release.AppSpec{Function: d.Function, Alias: d.Alias, CurrentVersion: d.CurrentVersion,
		TargetVersion: d.TargetVersion}.Content()
	info := &types.DeploymentInfo{
		DeploymentId: aws.String(d.ID), Status: types.DeploymentStatus(d.Status),
		ApplicationName: aws.String(d.Application), DeploymentGroupName: aws.String(d.DeploymentGroup),
		ComputePlatform: types.ComputePlatformLambda,
		Revision: &types.RevisionLocation{
			RevisionType:   types.RevisionLocationTypeAppSpecContent,
			AppSpecContent: &types.AppSpecContent{Content: aws.String(content), Sha256: aws.String(sha)},
		},
	}
	if d.ErrorCode != "" || d.ErrorMessage != "" {
		info.ErrorInformation = &types.ErrorInformation{Code: types.ErrorCode(d.ErrorCode), Message: aws.String(d.ErrorMessage)}
	}
	if d.RollbackDeploymentID != "" || d.RollbackMessage != "" {
		info.RollbackInfo = &types.RollbackInfo{RollbackDeploymentId: aws.String(d.RollbackDeploymentID),
			RollbackMessage: aws.String(d.RollbackMessage)}
	}
	return info
}
