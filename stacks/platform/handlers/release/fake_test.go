package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	cdtypes "github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/stratum-platform/stratum/platform/release"
)

// fakeLambda is one function: its alias, its published versions and the calls made.
type fakeLambda struct {
	aliasVersion string
	routed       map[string]float64
	versions     []string // $LATEST first, as Lambda lists them
	pageSize     int
	deleteFails  map[string]error
	fail         map[string]error // by operation name
	deleted      []string
	calls        []string
}

func (f *fakeLambda) GetAlias(_ context.Context, in *lambda.GetAliasInput, _ ...func(*lambda.Options)) (*lambda.GetAliasOutput, error) {
	f.calls = append(f.calls, "GetAlias "+aws.ToString(in.FunctionName)+":"+aws.ToString(in.Name))
	if err := f.fail["GetAlias"]; err != nil {
		return nil, err
	}
	out := &lambda.GetAliasOutput{FunctionVersion: aws.String(f.aliasVersion), Name: in.Name}
	if len(f.routed) > 0 {
		out.RoutingConfig = &lambdatypes.AliasRoutingConfiguration{AdditionalVersionWeights: f.routed}
	}
	return out, nil
}

func (f *fakeLambda) ListVersionsByFunction(_ context.Context, in *lambda.ListVersionsByFunctionInput, _ ...func(*lambda.Options)) (*lambda.ListVersionsByFunctionOutput, error) {
	f.calls = append(f.calls, "ListVersionsByFunction")
	if err := f.fail["ListVersionsByFunction"]; err != nil {
		return nil, err
	}
	start, _ := strconv.Atoi(aws.ToString(in.Marker))
	end := min(start+max(f.pageSize, 1), len(f.versions))
	out := &lambda.ListVersionsByFunctionOutput{}
	for _, v := range f.versions[start:end] {
		out.Versions = append(out.Versions, lambdatypes.FunctionConfiguration{Version: aws.String(v)})
	}
	if end < len(f.versions) {
		out.NextMarker = aws.String(strconv.Itoa(end))
	}
	return out, nil
}

func (f *fakeLambda) DeleteFunction(_ context.Context, in *lambda.DeleteFunctionInput, _ ...func(*lambda.Options)) (*lambda.DeleteFunctionOutput, error) {
	v := aws.ToString(in.Qualifier)
	f.calls = append(f.calls, "DeleteFunction "+aws.ToString(in.FunctionName)+":"+v)
	if err := f.deleteFails[v]; err != nil {
		return nil, err
	}
	f.deleted = append(f.deleted, v)
	return &lambda.DeleteFunctionOutput{}, nil
}

// fakeCodeDeploy is one deployment group with its deployments. A stop rolls the alias of
// fn back to the stopped deployment's current version through a rollback deployment that
// stays in flight for rollbackPolls listings.
type fakeCodeDeploy struct {
	fn            *fakeLambda
	deployments   map[string]*cdtypes.DeploymentInfo
	order         []string
	rollbackPolls int
	// completeOnStop makes the stopped deployment complete just before the stop arrives.
	completeOnStop bool
	fail           map[string]error
	created        []*codedeploy.CreateDeploymentInput
	stopped        []string
	calls          []string
}

func (f *fakeCodeDeploy) add(id string, status cdtypes.DeploymentStatus, from, to string) {
	content, _ := release.AppSpec{Function: "acme-dev-accounts-register", Alias: "live", CurrentVersion: from, TargetVersion: to}.Content()
	if f.deployments == nil {
		f.deployments = map[string]*cdtypes.DeploymentInfo{}
	}
	f.deployments[id] = &cdtypes.DeploymentInfo{
		DeploymentId: aws.String(id), Status: status,
		ApplicationName: aws.String("acme-dev-accounts"), DeploymentGroupName: aws.String("register"),
		Revision: &cdtypes.RevisionLocation{RevisionType: cdtypes.RevisionLocationTypeAppSpecContent,
			AppSpecContent: &cdtypes.AppSpecContent{Content: aws.String(content)}},
	}
	f.order = append(f.order, id)
}

func (f *fakeCodeDeploy) ListDeployments(_ context.Context, in *codedeploy.ListDeploymentsInput, _ ...func(*codedeploy.Options)) (*codedeploy.ListDeploymentsOutput, error) {
	f.calls = append(f.calls, fmt.Sprintf("ListDeployments %s/%s %v", aws.ToString(in.ApplicationName), aws.ToString(in.DeploymentGroupName), in.IncludeOnlyStatuses))
	if err := f.fail["ListDeployments"]; err != nil {
		return nil, err
	}
	if d, ok := f.deployments["d-ROLLBACK"]; ok && d.Status == cdtypes.DeploymentStatusInProgress {
		if f.rollbackPolls == 0 {
			d.Status = cdtypes.DeploymentStatusSucceeded
		}
		f.rollbackPolls--
	}
	out := &codedeploy.ListDeploymentsOutput{}
	for _, id := range f.order {
		if slices.Contains(in.IncludeOnlyStatuses, f.deployments[id].Status) {
			out.Deployments = append(out.Deployments, id)
		}
	}
	return out, nil
}

func (f *fakeCodeDeploy) GetDeployment(_ context.Context, in *codedeploy.GetDeploymentInput, _ ...func(*codedeploy.Options)) (*codedeploy.GetDeploymentOutput, error) {
	id := aws.ToString(in.DeploymentId)
	f.calls = append(f.calls, "GetDeployment "+id)
	if err := f.fail["GetDeployment"]; err != nil {
		return nil, err
	}
	return &codedeploy.GetDeploymentOutput{DeploymentInfo: f.deployments[id]}, nil
}

func (f *fakeCodeDeploy) StopDeployment(_ context.Context, in *codedeploy.StopDeploymentInput, _ ...func(*codedeploy.Options)) (*codedeploy.StopDeploymentOutput, error) {
	id := aws.ToString(in.DeploymentId)
	f.calls = append(f.calls, fmt.Sprintf("StopDeployment %s rollback=%v", id, aws.ToBool(in.AutoRollbackEnabled)))
	if err := f.fail["StopDeployment"]; err != nil {
		return nil, err
	}
	d := f.deployments[id]
	if f.completeOnStop {
		spec, _ := release.ParseAppSpec(aws.ToString(d.Revision.AppSpecContent.Content))
		d.Status, f.fn.aliasVersion = cdtypes.DeploymentStatusSucceeded, spec.TargetVersion
		return nil, &cdtypes.DeploymentAlreadyCompletedException{Message: aws.String("deployment " + id + " has already completed")}
	}
	d.Status = cdtypes.DeploymentStatusStopped
	f.stopped = append(f.stopped, id)
	spec, _ := release.ParseAppSpec(aws.ToString(d.Revision.AppSpecContent.Content))
	f.fn.aliasVersion, f.fn.routed = spec.CurrentVersion, nil
	f.add("d-ROLLBACK", cdtypes.DeploymentStatusInProgress, spec.TargetVersion, spec.CurrentVersion)
	return &codedeploy.StopDeploymentOutput{Status: cdtypes.StopStatusPending}, nil
}

func (f *fakeCodeDeploy) CreateDeployment(_ context.Context, in *codedeploy.CreateDeploymentInput, _ ...func(*codedeploy.Options)) (*codedeploy.CreateDeploymentOutput, error) {
	f.calls = append(f.calls, "CreateDeployment")
	if err := f.fail["CreateDeployment"]; err != nil {
		return nil, err
	}
	f.created = append(f.created, in)
	return &codedeploy.CreateDeploymentOutput{DeploymentId: aws.String("d-NEW")}, nil
}

// sleeper counts the pauses the handler takes.
type sleeper struct{ pauses []time.Duration }

func (s *sleeper) sleep(ctx context.Context, d time.Duration) error {
	s.pauses = append(s.pauses, d)
	return ctx.Err()
}
