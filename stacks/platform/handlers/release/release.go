package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	cdtypes "github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/release"
)

// Lambda is what the release function calls on Lambda; *lambda.Client implements it.
type Lambda interface {
	GetAlias(ctx context.Context, in *lambda.GetAliasInput, optFns ...func(*lambda.Options)) (*lambda.GetAliasOutput, error)
	ListVersionsByFunction(ctx context.Context, in *lambda.ListVersionsByFunctionInput, optFns ...func(*lambda.Options)) (*lambda.ListVersionsByFunctionOutput, error)
	DeleteFunction(ctx context.Context, in *lambda.DeleteFunctionInput, optFns ...func(*lambda.Options)) (*lambda.DeleteFunctionOutput, error)
}

// CodeDeploy is what the release function calls on CodeDeploy; *codedeploy.Client
// implements it.
type CodeDeploy interface {
	ListDeployments(ctx context.Context, in *codedeploy.ListDeploymentsInput, optFns ...func(*codedeploy.Options)) (*codedeploy.ListDeploymentsOutput, error)
	GetDeployment(ctx context.Context, in *codedeploy.GetDeploymentInput, optFns ...func(*codedeploy.Options)) (*codedeploy.GetDeploymentOutput, error)
	StopDeployment(ctx context.Context, in *codedeploy.StopDeploymentInput, optFns ...func(*codedeploy.Options)) (*codedeploy.StopDeploymentOutput, error)
	CreateDeployment(ctx context.Context, in *codedeploy.CreateDeploymentInput, optFns ...func(*codedeploy.Options)) (*codedeploy.CreateDeploymentOutput, error)
}

// handler releases versions through CodeDeploy.
type handler struct {
	lambda Lambda
	deploy CodeDeploy
	// sleep pauses between two looks at a deployment group that is settling after a stop.
	sleep func(ctx context.Context, d time.Duration) error
	// settle is that pause.
	settle time.Duration
}

// inFlight are the statuses of a deployment that has not ended. CodeDeploy runs one
// deployment per group at a time, so any of them blocks a new one.
func inFlight() []cdtypes.DeploymentStatus {
	return []cdtypes.DeploymentStatus{
		cdtypes.DeploymentStatusCreated, cdtypes.DeploymentStatusQueued, cdtypes.DeploymentStatusInProgress,
		cdtypes.DeploymentStatusBaking, cdtypes.DeploymentStatusReady,
	}
}

// Handle releases req.TargetVersion of req.FunctionName (see the package documentation). An
// invalid request and a failed AWS call fail the invocation, and with it the deploy, naming
// the function, the version and the call; a failed pruning is only reported.
func (h *handler) Handle(ctx context.Context, req release.Request) (release.Response, error) {
	if err := req.Validate(); err != nil {
		return release.Response{}, fmt.Errorf("invalid release request: %w", err)
	}
	// Not stored back in ctx: Logger adds the request id each time it is called.
	log := lambdakit.Logger(ctx).With("function_name", req.FunctionName, "target_version", req.TargetVersion, "nonce", req.Nonce)
	wrap := func(err error) error {
		return fmt.Errorf("release %s version %s: %w", req.FunctionName, req.TargetVersion, err)
	}

	resp, active, err := h.release(ctx, req)
	if err != nil {
		return release.Response{}, wrap(err)
	}
	log.Info("release decided", "deployment_id", resp.DeploymentID, "skipped", resp.Skipped, "reason", resp.Reason)

	pruned, err := h.prune(ctx, req, active)
	resp.Pruned = pruned
	if err != nil {
		resp.PruneError = wrap(err).Error()
		log.Error("pruning failed", lambdakit.LogKeyError, resp.PruneError)
	}
	return resp, nil
}

// release does the CodeDeploy part of Handle. It returns the response and the versions that
// must survive pruning: the alias's and those of the deployment now in flight.
func (h *handler) release(ctx context.Context, req release.Request) (release.Response, []string, error) {
	alias, err := h.alias(ctx, req)
	if err != nil {
		return release.Response{}, nil, err
	}
	deployments, err := h.inFlight(ctx, req)
	if err != nil {
		return release.Response{}, nil, err
	}

	var stopped []string
	var current *release.Deployment
	for _, d := range deployments {
		if d.Function == req.FunctionName && d.TargetVersion == req.TargetVersion {
			current = &d
			continue
		}
		ok, err := h.stop(ctx, d)
		if err != nil {
			return release.Response{}, nil, err
		}
		if ok {
			stopped = append(stopped, d.ID)
		}
	}
	if current != nil {
		resp := release.InFlight(req, *current)
		resp.Stopped = stopped
		return resp, append(alias.versions(), current.CurrentVersion, current.TargetVersion), nil
	}
	if len(deployments) > 0 {
		// A stop rolls the alias back, in a deployment of its own, and a deployment that
		// ended meanwhile moved it: CodeDeploy refuses a new deployment until the group is
		// idle, and the alias is only then what it will be.
		if err := h.settled(ctx, req); err != nil {
			return release.Response{}, nil, err
		}
		if alias, err = h.alias(ctx, req); err != nil {
			return release.Response{}, nil, err
		}
	}
	if skip, ok := release.AtTarget(req, alias.version); ok {
		skip.Stopped = stopped
		return skip, alias.versions(), nil
	}

	id, err := h.create(ctx, req, alias.version)
	if err != nil {
		return release.Response{}, nil, err
	}
	created := release.Created(req, id, alias.version)
	created.Stopped = stopped
	return created, append(alias.versions(), req.TargetVersion), nil
}

// aliasState is what the release needs of an alias.
type aliasState struct {
	version string
	// routed are the versions the alias sends a share of traffic to, during a shift.
	routed []string
}

func (a aliasState) versions() []string {
	return append([]string{a.version}, a.routed...)
}

func (h *handler) alias(ctx context.Context, req release.Request) (aliasState, error) {
	out, err := h.lambda.GetAlias(ctx, &lambda.GetAliasInput{FunctionName: aws.String(req.FunctionName), Name: aws.String(req.Alias)})
	if err != nil {
		return aliasState{}, fmt.Errorf("get alias %s: %w", req.Alias, err)
	}
	a := aliasState{version: aws.ToString(out.FunctionVersion)}
	if out.RoutingConfig != nil {
		for v := range out.RoutingConfig.AdditionalVersionWeights {
			a.routed = append(a.routed, v)
		}
	}
	return a, nil
}

// inFlight lists the deployments of the group that have not ended, with what they release.
func (h *handler) inFlight(ctx context.Context, req release.Request) ([]release.Deployment, error) {
	ids, err := h.inFlightIDs(ctx, req)
	if err != nil {
		return nil, err
	}
	var out []release.Deployment
	for _, id := range ids {
		got, err := h.deploy.GetDeployment(ctx, &codedeploy.GetDeploymentInput{DeploymentId: aws.String(id)})
		if err != nil {
			return nil, fmt.Errorf("get deployment %s: %w", id, err)
		}
		if got.DeploymentInfo == nil {
			return nil, fmt.Errorf("get deployment %s: no deployment information", id)
		}
		out = append(out, release.FromInfo(got.DeploymentInfo))
	}
	return out, nil
}

func (h *handler) inFlightIDs(ctx context.Context, req release.Request) ([]string, error) {
	var ids []string
	in := &codedeploy.ListDeploymentsInput{
		ApplicationName:     aws.String(req.Application),
		DeploymentGroupName: aws.String(req.DeploymentGroup),
		IncludeOnlyStatuses: inFlight(),
	}
	for {
		out, err := h.deploy.ListDeployments(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list deployments of %s/%s: %w", req.Application, req.DeploymentGroup, err)
		}
		ids = append(ids, out.Deployments...)
		if aws.ToString(out.NextToken) == "" {
			return ids, nil
		}
		in.NextToken = out.NextToken
	}
}

// stop stops a deployment this release supersedes, rolling its traffic back, and reports
// whether it did: a deployment that ended in the meantime needs no stop.
func (h *handler) stop(ctx context.Context, d release.Deployment) (bool, error) {
	_, err := h.deploy.StopDeployment(ctx, &codedeploy.StopDeploymentInput{
		DeploymentId: aws.String(d.ID), AutoRollbackEnabled: aws.Bool(true),
	})
	if _, done := errors.AsType[*cdtypes.DeploymentAlreadyCompletedException](err); done {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("stop deployment %s (version %s): %w", d.ID, orUnknown(d.TargetVersion), err)
	}
	lambdakit.Logger(ctx).Info("stopped superseded deployment", "deployment_id", d.ID,
		"function_name", d.Function, "its_target_version", d.TargetVersion)
	return true, nil
}

// orUnknown names a version an AppSpec did not tell.
func orUnknown(v string) string {
	if v == "" {
		return "unknown"
	}
	return v
}

// settled waits until the group has no deployment in flight, or ctx (the invocation's
// deadline) ends.
func (h *handler) settled(ctx context.Context, req release.Request) error {
	for {
		ids, err := h.inFlightIDs(ctx, req)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		if err := h.sleep(ctx, h.settle); err != nil {
			return fmt.Errorf("deployment group %s/%s still has deployments in flight after the stop (%v): %w",
				req.Application, req.DeploymentGroup, ids, err)
		}
	}
}

// create starts the deployment that moves the alias from version from to the target.
func (h *handler) create(ctx context.Context, req release.Request, from string) (string, error) {
	content, sha := release.AppSpec{
		Function: req.FunctionName, Alias: req.Alias, CurrentVersion: from, TargetVersion: req.TargetVersion,
		BeforeAllowTraffic: req.BeforeAllowTraffic, AfterAllowTraffic: req.AfterAllowTraffic,
	}.Content()
	desc := release.Description(req, from)
	out, err := h.deploy.CreateDeployment(ctx, &codedeploy.CreateDeploymentInput{
		ApplicationName:     aws.String(req.Application),
		DeploymentGroupName: aws.String(req.DeploymentGroup),
		Description:         aws.String(desc),
		Revision: &cdtypes.RevisionLocation{
			RevisionType:   cdtypes.RevisionLocationTypeAppSpecContent,
			AppSpecContent: &cdtypes.AppSpecContent{Content: aws.String(content), Sha256: aws.String(sha)},
		},
	})
	if err != nil {
		return "", fmt.Errorf("create deployment in %s/%s: %w", req.Application, req.DeploymentGroup, err)
	}
	return aws.ToString(out.DeploymentId), nil
}

// sleep waits for d or for ctx to end.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
