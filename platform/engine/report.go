package engine

import (
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/release"
)

// Text is the summary table of a run, then why each stack that did not succeed stopped and
// what the run replaced or deleted.
func Text(op Op, env string, results []Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s (%s)\n", op, env)
	fmt.Fprintf(&b, "  %-16s %7s %7s %8s %7s %9s %9s  %s\n", "stack", "creates", "updates", "replaces", "deletes", "unchanged", "duration", "result")
	for _, r := range results {
		fmt.Fprintf(&b, "  %-16s %7d %7d %8d %7d %9d %9s  %s\n", r.Project, r.Creates, r.Updates, r.Replaces, r.Deletes,
			r.Unchanged, r.Duration.Round(100*time.Millisecond), r.Status)
	}
	for _, r := range results {
		if len(r.Replaced) > 0 {
			fmt.Fprintf(&b, "\n%s replaces: %s\n", r.Project, strings.Join(names(r.Replaced), ", "))
		}
		if len(r.Deleted) > 0 && op != Destroy {
			fmt.Fprintf(&b, "\n%s deletes: %s\n", r.Project, strings.Join(names(r.Deleted), ", "))
		}
		if len(r.Deployments) > 0 {
			fmt.Fprintf(&b, "\n%s releases:\n", r.Project)
			for _, d := range r.Deployments {
				fmt.Fprintf(&b, "  %s\n", deploymentLine(d))
			}
		}
		if r.Err != nil {
			fmt.Fprintf(&b, "\n%s %s:\n  %s\n", r.Project, r.Status, strings.ReplaceAll(r.Err.Error(), "\n", "\n  "))
		}
		if r.Rollback != nil {
			fmt.Fprintf(&b, "\n%s %s\n", r.Project, r.Rollback.describe())
		}
	}
	return b.String()
}

// deploymentLine is a release's deployment in the reports: function, deployment, status and,
// when it did not succeed, CodeDeploy's reason.
func deploymentLine(d release.Deployment) string {
	line := fmt.Sprintf("%s %s %s", d.Function, d.ID, d.Status)
	if reason := d.Reason(); reason != "" && d.Status != string(types.DeploymentStatusSucceeded) {
		line += ": " + reason
	}
	return line
}

// describe says what the rollback did, for the reports.
func (rb *Rollback) describe() string {
	if rb.Err != nil {
		return "was not rolled back: " + rb.Err.Error()
	}
	return "was rolled back to " + rb.Commit
}

// Markdown is a run as a pull-request comment: per stack the step counts and result, the
// replaced and deleted resources by name, and the policy findings.
func Markdown(op Op, env string, local bool, results []Result) string {
	var b strings.Builder
	mode := ""
	if local {
		mode = ", local rehearsal"
	}
	fmt.Fprintf(&b, "## Pulumi %s (%s%s)\n\n", op, env, mode)
	b.WriteString("| stack | creates | updates | replaces | deletes | unchanged | result |\n| --- | ---: | ---: | ---: | ---: | ---: | --- |\n")
	for _, r := range results {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %s |\n", r.Project, r.Creates, r.Updates, r.Replaces, r.Deletes, r.Unchanged, r.Status)
	}
	for _, r := range results {
		var parts []string
		if len(r.Replaced) > 0 {
			parts = append(parts, "**Replaces** (the old resource is deleted): "+code(names(r.Replaced)))
		}
		if len(r.Deleted) > 0 && op != Destroy {
			parts = append(parts, "**Deletes**: "+code(names(r.Deleted)))
		}
		if len(r.Findings) > 0 {
			var f strings.Builder
			f.WriteString("| rule | severity | resource | message |\n| --- | --- | --- | --- |\n")
			for _, x := range r.Findings {
				sev := x.Severity
				if x.Suppressed != "" {
					sev = "suppressed: " + x.Suppressed
				}
				fmt.Fprintf(&f, "| %s | %s | `%s` | %s |\n", x.Rule, sev, resource.URN(x.URN).Name(), cell(x.Message))
			}
			parts = append(parts, f.String())
		}
		if r.Err != nil {
			parts = append(parts, "```\n"+r.Err.Error()+"\n```")
		}
		if r.Rollback != nil {
			parts = append(parts, "**Rollback**: "+r.Project+" "+r.Rollback.describe())
		}
		if len(parts) > 0 {
			fmt.Fprintf(&b, "\n### %s\n\n%s\n", r.Project, strings.Join(parts, "\n\n"))
		}
	}
	return b.String()
}

// JSONResult is one stack of a run in JSON.
type JSONResult struct {
	Project   string         `json:"project"`
	Stack     string         `json:"stack"`
	Result    Status         `json:"result"`
	Error     string         `json:"error,omitempty"`
	Creates   int            `json:"creates"`
	Updates   int            `json:"updates"`
	Replaces  int            `json:"replaces"`
	Deletes   int            `json:"deletes"`
	Unchanged int            `json:"unchanged"`
	Replaced  []string       `json:"replaced"`
	Deleted   []string       `json:"deleted"`
	Findings  []plan.Finding `json:"findings"`
	Seconds   float64        `json:"seconds"`
	// Rollback says what a failed run did to this stack afterwards, when anything.
	Rollback string `json:"rollback,omitempty"`
	// Deployments are the deployments of the stack's releases that an up waited for.
	Deployments []release.Deployment `json:"deployments,omitempty"`
}

// JSON is a run in a stable shape for tools.
func JSON(results []Result) []JSONResult {
	out := make([]JSONResult, len(results))
	for i, r := range results {
		out[i] = JSONResult{Project: r.Project, Stack: r.Stack, Result: r.Status, Creates: r.Creates, Updates: r.Updates,
			Replaces: r.Replaces, Deletes: r.Deletes, Unchanged: r.Unchanged, Replaced: nonNil(r.Replaced),
			Deleted: nonNil(r.Deleted), Findings: r.Findings, Seconds: r.Duration.Seconds(), Deployments: r.Deployments}
		if out[i].Findings == nil {
			out[i].Findings = []plan.Finding{}
		}
		if r.Err != nil {
			out[i].Error = r.Err.Error()
		}
		if r.Rollback != nil {
			out[i].Rollback = r.Rollback.describe()
		}
	}
	return out
}

// names are the logical names of urns, with their types.
func names(urns []string) []string {
	out := make([]string, len(urns))
	for i, u := range urns {
		urn := resource.URN(u)
		out[i] = urn.Name() + " (" + string(urn.Type()) + ")"
	}
	return out
}

func code(items []string) string { return "`" + strings.Join(items, "`, `") + "`" }

func cell(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", "\\|"), "\n", " ") }

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
