// Package anatomy checks that a component package keeps the anatomy of docs/design.md
// section 4, in the spirit of the CDK's awslint: it reads the package's source (go/ast) and
// lists every way it departs from the skeleton (TypeToken, Args validated all at once, one
// defaults step, hooks run through override.Apply, grants returning iam.Statements,
// exported children) and every Args field whose doc comment does not state its default.
// The components' test runs it on every package under components/; a component declared
// outside components/ (an extension) runs it in its own test with Extension().
//
// It reads source only and imports nothing from Pulumi.
package anatomy
