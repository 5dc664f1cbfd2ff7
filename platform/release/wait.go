package release

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
)

// DefaultPollInterval is Wait's first pause between two looks at a deployment: a canary
// step lasts minutes, so polling faster only spends API calls.
const DefaultPollInterval = 5 * time.Second

// DefaultMaxPollInterval caps Wait's pause, which grows by half after each poll.
const DefaultMaxPollInterval = 30 * time.Second

// DeploymentGetter is the CodeDeploy call Wait makes; *codedeploy.Client implements it.
type DeploymentGetter interface {
	GetDeployment(ctx context.Context, in *codedeploy.GetDeploymentInput, optFns ...func(*codedeploy.Options)) (*codedeploy.GetDeploymentOutput, error)
}

// WaitOptions tunes Wait.
type WaitOptions struct {
	// PollInterval is the first pause between two polls. Default: DefaultPollInterval.
	PollInterval time.Duration
	// MaxPollInterval caps the pause. Default: DefaultMaxPollInterval.
	MaxPollInterval time.Duration
	// Progress is called with a deployment each time its status changes, for a command to
	// print. Default: none.
	Progress func(Deployment)
	// Sleep pauses for d or until ctx is done, returning ctx's error then. Default: a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Deployment is what Wait learned of one deployment. The local engine keeps it, as JSON, for
// the deployments it emulates (platform/local).
type Deployment struct {
	ID string `json:"id"`
	// Status is CodeDeploy's: Created, Queued, InProgress, Baking, Ready, Succeeded, Failed or
	// Stopped.
	Status          string `json:"status"`
	Application     string `json:"application"`
	DeploymentGroup string `json:"deploymentGroup"`
	// Function and the versions come from the deployment's AppSpec, when it is JSON.
	Function       string `json:"function,omitempty"`
	CurrentVersion string `json:"currentVersion,omitempty"`
	TargetVersion  string `json:"targetVersion,omitempty"`
	// ErrorCode and ErrorMessage are CodeDeploy's ErrorInformation: why it failed or stopped.
	ErrorCode    string `json:"errorCode,omitempty"`
	ErrorMessage string `json:"errorMessage,omitempty"`
	// RollbackDeploymentID and RollbackMessage are CodeDeploy's RollbackInfo.
	RollbackDeploymentID string `json:"rollbackDeploymentId,omitempty"`
	RollbackMessage      string `json:"rollbackMessage,omitempty"`
}

// Done reports whether the deployment has ended, well or not.
func (d Deployment) Done() bool {
	switch types.DeploymentStatus(d.Status) {
	case types.DeploymentStatusSucceeded, types.DeploymentStatusFailed, types.DeploymentStatusStopped:
		return true
	}
	return false
}

// DeploymentError is a deployment that failed or was stopped; Wait returns one per such
// deployment, joined.
type DeploymentError struct {
	Deployment Deployment
}

func (e *DeploymentError) Error() string {
	d := e.Deployment
	var b strings.Builder
	fmt.Fprintf(&b, "deployment %s", d.ID)
	if d.Function != "" {
		fmt.Fprintf(&b, " of %s (version %s -> %s)", d.Function, orNone(d.CurrentVersion), orNone(d.TargetVersion))
	}
	fmt.Fprintf(&b, " in %s/%s %s", d.Application, d.DeploymentGroup, strings.ToLower(d.Status))
	if reason := d.Reason(); reason != "" {
		fmt.Fprintf(&b, ": %s", reason)
	}
	return b.String()
}

// Reason is why the deployment failed or stopped and how it was rolled back, as CodeDeploy
// tells (ErrorInformation, then RollbackInfo), for example "ALARM_ACTIVE: alarm x is in ALARM;
// rolled back by d-X: Automatic rollback triggered by alarm"; empty when CodeDeploy tells
// neither.
func (d Deployment) Reason() string {
	var b strings.Builder
	switch {
	case d.ErrorCode != "" && d.ErrorMessage != "":
		fmt.Fprintf(&b, "%s: %s", d.ErrorCode, d.ErrorMessage)
	case d.ErrorCode != "" || d.ErrorMessage != "":
		fmt.Fprintf(&b, "%s%s", d.ErrorCode, d.ErrorMessage)
	}
	sep := ""
	if b.Len() > 0 {
		sep = "; "
	}
	switch {
	case d.RollbackDeploymentID != "":
		fmt.Fprintf(&b, "%srolled back by %s", sep, d.RollbackDeploymentID)
		if d.RollbackMessage != "" {
			fmt.Fprintf(&b, ": %s", d.RollbackMessage)
		}
	case d.RollbackMessage != "":
		fmt.Fprintf(&b, "%srollback: %s", sep, d.RollbackMessage)
	}
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// Wait follows the deployments ids until each has ended, polling GetDeployment with a
// growing pause, and returns them in the order of ids. It returns an error when a deployment
// fails or is stopped (a *DeploymentError naming CodeDeploy's reason and rollback, one per
// deployment, joined), when GetDeployment fails, or when ctx ends first (naming the
// deployments still running): the caller sets the deadline with ctx.
func Wait(ctx context.Context, client DeploymentGetter, ids []string, opts WaitOptions) ([]Deployment, error) {
	opts = opts.withDefaults()
	ids = unique(ids)
	state := make(map[string]Deployment, len(ids))
	pause := opts.PollInterval
	for {
		var errs []error
		for _, id := range ids {
			if d, ok := state[id]; ok && d.Done() {
				continue
			}
			d, err := get(ctx, client, id)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if prev, ok := state[id]; (!ok || prev.Status != d.Status) && opts.Progress != nil {
				opts.Progress(d)
			}
			state[id] = d
		}
		if len(errs) > 0 {
			return ordered(ids, state), errors.Join(errs...)
		}
		running := runningOf(ids, state)
		if len(running) == 0 {
			return ordered(ids, state), failures(ids, state)
		}
		if err := opts.Sleep(ctx, pause); err != nil {
			return ordered(ids, state), fmt.Errorf("waiting for deployments: %w; still running: %s", err, strings.Join(running, ", "))
		}
		pause = min(pause+pause/2, opts.MaxPollInterval)
	}
}

func (o WaitOptions) withDefaults() WaitOptions {
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.MaxPollInterval <= 0 {
		o.MaxPollInterval = DefaultMaxPollInterval
	}
	if o.MaxPollInterval < o.PollInterval {
		o.MaxPollInterval = o.PollInterval
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	return o
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

// get reads one deployment.
func get(ctx context.Context, client DeploymentGetter, id string) (Deployment, error) {
	out, err := client.GetDeployment(ctx, &codedeploy.GetDeploymentInput{DeploymentId: aws.String(id)})
	if err != nil {
		return Deployment{}, fmt.Errorf("deployment %s: get deployment: %w", id, err)
	}
	if out.DeploymentInfo == nil {
		return Deployment{}, fmt.Errorf("deployment %s: get deployment: no deployment information", id)
	}
	return FromInfo(out.DeploymentInfo), nil
}

// FromInfo reads a CodeDeploy DeploymentInfo into a Deployment.
func FromInfo(info *types.DeploymentInfo) Deployment {
	d := Deployment{
		ID:              aws.ToString(info.DeploymentId),
		Status:          string(info.Status),
		Application:     aws.ToString(info.ApplicationName),
		DeploymentGroup: aws.ToString(info.DeploymentGroupName),
	}
	if info.ErrorInformation != nil {
		d.ErrorCode = string(info.ErrorInformation.Code)
		d.ErrorMessage = aws.ToString(info.ErrorInformation.Message)
	}
	if info.RollbackInfo != nil {
		d.RollbackDeploymentID = aws.ToString(info.RollbackInfo.RollbackDeploymentId)
		d.RollbackMessage = aws.ToString(info.RollbackInfo.RollbackMessage)
	}
	if rev := info.Revision; rev != nil && rev.AppSpecContent != nil {
		if spec, err := ParseAppSpec(aws.ToString(rev.AppSpecContent.Content)); err == nil {
			d.Function, d.CurrentVersion, d.TargetVersion = spec.Function, spec.CurrentVersion, spec.TargetVersion
		}
	}
	return d
}

func unique(ids []string) []string {
	var out []string
	for _, id := range ids {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func ordered(ids []string, state map[string]Deployment) []Deployment {
	out := make([]Deployment, 0, len(ids))
	for _, id := range ids {
		if d, ok := state[id]; ok {
			out = append(out, d)
		}
	}
	return out
}

// runningOf names the deployments that have not ended, with their status.
func runningOf(ids []string, state map[string]Deployment) []string {
	var out []string
	for _, id := range ids {
		if d := state[id]; !d.Done() {
			out = append(out, fmt.Sprintf("%s (%s)", id, d.Status))
		}
	}
	return out
}

func failures(ids []string, state map[string]Deployment) error {
	var errs []error
	for _, id := range ids {
		if d := state[id]; types.DeploymentStatus(d.Status) != types.DeploymentStatusSucceeded {
			errs = append(errs, &DeploymentError{Deployment: d})
		}
	}
	return errors.Join(errs...)
}
