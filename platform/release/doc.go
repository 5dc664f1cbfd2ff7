// Package release is the contract of Stratum's gradual releases through AWS CodeDeploy: what
// a deploy hands to the platform's release function, the AppSpec it writes, the checks its
// smoke-test hook runs, how a run waits for the deployments it started, and the exact IAM
// permissions each piece needs. It imports nothing from Pulumi, so the handlers
// (stacks/platform/handlers/release and .../smoke), components and `stratum` share it.
//
// The hand-off works like this. A function's `live` alias is owned by CodeDeploy once the
// function releases gradually, so Pulumi only publishes versions. For each new version, an
// aws.lambda.Invocation of the release function sends a Request (the function, its alias, the
// target version, the CodeDeploy application and deployment group, optional hook functions
// and a nonce that forces a retry). The release function answers a Response naming the
// deployment it created, or why it skipped; `stratum release wait` (Wait) then follows those
// deployments to the end and fails with CodeDeploy's own reason when one fails or rolls back.
//
// Default settings:
//   - the release function keeps DefaultKeepVersions published versions besides those the
//     alias uses, deleting older ones;
//   - Wait polls every DefaultPollInterval at first, growing by half each poll to
//     DefaultMaxPollInterval, until every deployment ends or the context does;
//   - a smoke check passes on exactly its expected status, within DefaultCheckTimeout.
package release
