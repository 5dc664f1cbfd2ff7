package engine

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/local"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/release"
)

const functionURN = "urn:pulumi:dev::accounts::stratum:service:Service$stratum:function:Function"

// invocation is a release invocation of function as the engine's state holds it.
func invocation(function, result string) StateResource {
	return StateResource{
		URN: functionURN + "$" + InvocationType + "::" + function + "-release", Type: InvocationType, ID: "inv-" + function,
		Outputs: map[string]any{
			"input":  `{"functionName":"acme-dev-accounts-` + function + `","alias":"live","targetVersion":"3"}`,
			"result": result,
		},
	}
}

func TestReleasesFollowTheReportedDeployments(t *testing.T) {
	got, err := Releases("accounts", []StateResource{
		{URN: functionURN + "$aws:lambda/function:Function::claim", Type: "aws:lambda/function:Function"},
		invocation("claim", `{"deploymentId":"d-CLAIM","skipped":false,"reason":"created"}`),
		// The alias already points at the target: nothing to follow.
		invocation("remove", `{"skipped":true,"reason":"alias live already points at version 3"}`),
		// A deployment with the same target was in flight: it is the one to follow.
		invocation("register", `{"deploymentId":"d-INFLIGHT","skipped":true,"reason":"in flight"}`),
	})
	require.NoError(t, err)
	assert.Equal(t, []Awaited{
		{Project: "accounts", Function: "acme-dev-accounts-claim", Resource: invocation("claim", "").URN, DeploymentID: "d-CLAIM"},
		{Project: "accounts", Function: "acme-dev-accounts-register", Resource: invocation("register", "").URN, DeploymentID: "d-INFLIGHT"},
	}, got)
}

func TestReleasesWithoutAnInputNameTheLogicalFunction(t *testing.T) {
	r := invocation("claim", `{"deploymentId":"d-1","skipped":false,"reason":"created"}`)
	delete(r.Outputs, "input")
	got, err := Releases("accounts", []StateResource{r})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "claim", got[0].Function)
}

func TestReleasesRefuseAnUnparsableResult(t *testing.T) {
	broken := invocation("claim", "Task timed out after 30.00 seconds")
	secret := invocation("remove", "")
	secret.Outputs["result"] = map[string]any{"ciphertext": "v1:abc"}
	_, err := Releases("accounts", []StateResource{
		invocation("register", `{"deploymentId":"d-1","skipped":false,"reason":"created"}`), broken, secret,
	})
	require.Error(t, err)
	assert.ErrorContains(t, err, broken.URN+`: the release invocation's result "Task timed out after 30.00 seconds" is not the release function's response`)
	assert.ErrorContains(t, err, secret.URN+": the release invocation has no result string (got map[string]interface {})")
}

// An up waits only for the deployments its own release invocations started, and fails naming
// the function, the deployment and CodeDeploy's reason when one rolled back.
func TestAwaitReleases(t *testing.T) {
	root, err := plan.ModuleRoot(".")
	require.NoError(t, err)
	opts := Options{Root: root, Env: "dev", Local: true, WorkDir: t.TempDir()}
	opts.defaults()
	deployment := func(id, status string) local.Deployment {
		d := local.Deployment{Alias: "live", Deployment: release.Deployment{ID: id, Status: status,
			Application: "acme-dev-accounts", DeploymentGroup: "acme-dev-accounts-get", Function: "acme-dev-accounts-get",
			CurrentVersion: "1", TargetVersion: "2"}}
		if status == "Stopped" {
			d.ErrorCode, d.ErrorMessage = "ALARM_ACTIVE", "injected fault: errors"
		}
		return d
	}
	account, err := json.Marshal(local.Account{Version: 1, Resources: []local.Entry{},
		Deployments: []local.Deployment{deployment("d-OLD", "Stopped"), deployment("d-GOOD", "Succeeded"), deployment("d-BAD", "Stopped")}})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(opts.WorkDir, "account.json"), account, 0o644))
	r := &runner{opts: opts}
	p := Project{Name: "accounts", Dir: "stacks/accounts"}
	old, good, bad := invocation("claim", `{"deploymentId":"d-OLD"}`), invocation("get", `{"deploymentId":"d-GOOD"}`),
		invocation("register", `{"deploymentId":"d-BAD"}`)

	res := Result{Changed: map[string]string{good.URN: "replace"}}
	require.NoError(t, r.awaitReleases(t.Context(), p, []StateResource{old, good, bad}, &res),
		"d-OLD and d-BAD were reported by invocations this up did not run")
	require.Len(t, res.Deployments, 1)
	assert.Equal(t, "Succeeded", res.Deployments[0].Status)

	res = Result{Changed: map[string]string{good.URN: "create", bad.URN: "replace", old.URN: "update"}}
	err = r.awaitReleases(t.Context(), p, []StateResource{old, good, bad}, &res)
	require.Error(t, err)
	assert.Equal(t, strings.Join([]string{
		"deployed, but its releases did not all succeed (--no-wait skips this wait):",
		"deployment d-BAD of acme-dev-accounts-get (version 1 -> 2) in acme-dev-accounts/acme-dev-accounts-get stopped: ALARM_ACTIVE: injected fault: errors",
	}, "\n"), err.Error())
	assert.Len(t, res.Deployments, 2)
}
