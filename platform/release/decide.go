package release

import "fmt"

// The release function's decisions, shared by the handler (stacks/platform/handlers/release)
// and the local engine's emulation of it (platform/local), so that both answer alike.

// AtTarget is the answer when the alias already points at the target version, and true then:
// there is nothing to release. It is false, with a zero Response, otherwise.
func AtTarget(req Request, aliasVersion string) (Response, bool) {
	if aliasVersion != req.TargetVersion {
		return Response{}, false
	}
	return Response{Skipped: true, Reason: fmt.Sprintf("alias %s already points at version %s", req.Alias, req.TargetVersion)}, true
}

// InFlight is the answer when deployment d, in flight, already releases the target version.
func InFlight(req Request, d Deployment) Response {
	return Response{DeploymentID: d.ID, Skipped: true,
		Reason: fmt.Sprintf("deployment %s already releases version %s", d.ID, req.TargetVersion)}
}

// Created is the answer once deployment id was created to move the alias from version from to
// the target.
func Created(req Request, id, from string) Response {
	return Response{DeploymentID: id,
		Reason: fmt.Sprintf("created deployment %s: alias %s from version %s to %s", id, req.Alias, from, req.TargetVersion)}
}

// Description is the description of the deployment that moves the alias from version from to
// the target, naming the nonce of a retry.
func Description(req Request, from string) string {
	desc := fmt.Sprintf("stratum: %s alias %s from version %s to %s", req.FunctionName, req.Alias, from, req.TargetVersion)
	if req.Nonce != "" {
		desc += " (nonce " + req.Nonce + ")"
	}
	return desc
}
