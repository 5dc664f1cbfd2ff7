package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/local"
	"github.com/stratum-platform/stratum/platform/release"
)

// DefaultWaitTimeout is how long an up waits for the deployments of one stack's releases: a
// canary of 30 minutes, the longest predefined one, and its bake.
const DefaultWaitTimeout = 45 * time.Minute

// InvocationType is the type of the release invocations (components/function/release.go).
const InvocationType = "aws:lambda/invocation:Invocation"

// Awaited is a deployment that a release invocation reported.
type Awaited struct {
	Project, Function string
	// Resource is the URN of the release invocation.
	Resource     string
	DeploymentID string
}

// Releases returns the deployments that the release invocations among resources reported
// (release.Response.DeploymentID), in their order; an invocation that skipped reports none.
// A result that is not a release.Response is an error naming the invocation.
func Releases(project string, resources []StateResource) ([]Awaited, error) {
	var out []Awaited
	var errs []error
	for _, r := range resources {
		name := r.URN[strings.LastIndex(r.URN, "::")+2:]
		function, ok := strings.CutSuffix(name, "-release")
		if r.Type != InvocationType || !ok {
			continue
		}
		result, ok := r.Outputs["result"].(string)
		if !ok {
			errs = append(errs, fmt.Errorf("%s: the release invocation has no result string (got %T), so its deployment is unknown", r.URN, r.Outputs["result"]))
			continue
		}
		var resp release.Response
		if err := json.Unmarshal([]byte(result), &resp); err != nil {
			errs = append(errs, fmt.Errorf("%s: the release invocation's result %q is not the release function's response: %w", r.URN, result, err))
			continue
		}
		if resp.DeploymentID == "" {
			continue
		}
		var req release.Request
		if in, ok := r.Outputs["input"].(string); ok && json.Unmarshal([]byte(in), &req) == nil && req.FunctionName != "" {
			function = req.FunctionName
		}
		out = append(out, Awaited{Project: project, Function: function, Resource: r.URN, DeploymentID: resp.DeploymentID})
	}
	return out, errors.Join(errs...)
}

// Region is the aws:region of p's stack in env, where its deployments are.
func Region(root string, p Project, env string) (string, error) {
	dir := p.Dir
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(root, dir)
	}
	proj, err := config.ReadProject(dir, env)
	if err != nil {
		return "", err
	}
	cfg, err := config.Parse(proj.Name, env, proj.Raw)
	if err != nil {
		return "", fmt.Errorf("stack %s of %s: invalid config:\n%w", env, p.Name, err)
	}
	return cfg.Region, nil
}

// LocalAccount is the local account file of a local run with opts, whose deployments
// local.Deployments reads.
func LocalAccount(opts Options) string {
	opts.Local = true
	opts.defaults()
	return filepath.Join(opts.WorkDir, "account.json")
}

// Deployments is where the deployments of stacks in region are read: CodeDeploy there, or in
// local mode the local account.
func Deployments(ctx context.Context, opts Options, region string) (release.DeploymentGetter, error) {
	if opts.Local {
		return local.Deployments{AccountPath: LocalAccount(opts)}, nil
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
	if err != nil {
		return nil, fmt.Errorf("AWS configuration for %s: %w", region, err)
	}
	return codedeploy.NewFromConfig(cfg), nil
}

// started keeps the resources this up created or replaced: a release invocation that stayed
// the same reported a deployment of an earlier run.
func started(resources []StateResource, changed map[string]string) []StateResource {
	var out []StateResource
	for _, r := range resources {
		if op := apitype.OpType(changed[r.URN]); op == apitype.OpCreate || op == apitype.OpReplace {
			out = append(out, r)
		}
	}
	return out
}

// awaitReleases follows the deployments that the release invocations this up created
// started, until they end or Options.WaitTimeout passes, and records them in res. It fails
// naming each function and deployment that failed or rolled back, with CodeDeploy's reason.
func (r *runner) awaitReleases(ctx context.Context, p Project, resources []StateResource, res *Result) error {
	found, err := Releases(p.Name, started(resources, res.Changed))
	if err != nil || len(found) == 0 {
		return err
	}
	region, err := Region(r.opts.Root, p, r.opts.Env)
	if err != nil {
		return err
	}
	client, err := Deployments(ctx, r.opts, region)
	if err != nil {
		return err
	}
	ids := make([]string, len(found))
	for i, a := range found {
		ids[i] = a.DeploymentID
	}
	fmt.Fprintf(r.opts.Progress, "  %-14s waiting for the deployments of %d releases (timeout %s)\n", p.Name, len(ids), r.opts.WaitTimeout)
	ctx, cancel := context.WithTimeout(ctx, r.opts.WaitTimeout)
	defer cancel()
	res.Deployments, err = release.Wait(ctx, client, ids, release.WaitOptions{Progress: func(d release.Deployment) {
		fmt.Fprintf(r.opts.Progress, "  %-14s %s %s: %s\n", p.Name, d.ID, d.Function, d.Status)
	}})
	if err != nil {
		return fmt.Errorf("deployed, but its releases did not all succeed (--no-wait skips this wait):\n%w", err)
	}
	return nil
}
