// Package iam builds IAM policy documents from typed statements and refuses the usual ways
// least privilege is lost.
//
// Default settings (what Validate and Document refuse):
//   - wildcard actions ("*", "dynamodb:*", "s3:Get*"), in Allow and Deny statements alike:
//     statements name exact actions;
//   - Resource "*" unless every action of the statement is in a short allow-list of actions
//     that have no resource-level permissions, each with its reason (X-Ray,
//     cloudwatch:PutMetricData, and what the CI deploy role must do before a resource has an
//     ARN, such as kms:CreateKey: BuiltinWildcardActions, which a package outside platform
//     extends with WildcardAction entries that carry their reasons), or the document is a KMS
//     key policy, where "*" means "this key";
//   - statements without resources, except sts:AssumeRole trust statements;
//   - Principal "*" in an Allow statement without a condition;
//   - conditions without values, and a condition key repeated in one statement: JSON can
//     hold it only once, and merging the values would widen the grant.
//
// Documents are rendered deterministically (sorted, de-duplicated lists, always lists) so
// that plans and golden files only change when a policy does. Parse reads any document AWS
// accepts into the same normalised form, for tests and policy rules.
package iam
