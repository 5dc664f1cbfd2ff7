// Package e2e holds the tests that run every Stratum project under the real Pulumi engine:
// the pinned CLI (`make tools` builds it into ./bin/pulumi) drives each project's Program
// through the Automation API against a file backend and the local AWS provider
// (platform/local). They prove what the offline engine's mocks cannot: URNs, diffs,
// replacements, protection and stack references as the engine itself decides them.
//
// Without ./bin/pulumi the tests skip on a developer machine and fail in CI (CI=true).
package e2e
