// Package iam builds IAM policy documents from typed statements and refuses the usual ways
// least privilege is lost.
//
// Default settings (what Validate and Document refuse):
//   - wildcard actions ("*", "dynamodb:*", "s3:Get*") in Allow statements: grants name
//     exact actions; Deny statements may use them, because a wider deny only takes away;
//   - Resource "*" in Allow statements unless every action is in a short allow-list of
//     actions that have no resource-level permissions (X-Ray, cloudwatch:PutMetricData),
//     or the document is a KMS key policy, where "*" means "this key";
//   - statements without resources, except sts:AssumeRole trust statements;
//   - Principal "*" in an Allow statement without a condition;
//   - conditions without values, and a condition key repeated in one statement, whose
//     values AWS would otherwise merge into a wider grant.
//
// Documents are rendered deterministically (sorted, de-duplicated lists, always lists) so
// that plans and golden files only change when a policy does. Parse reads any document AWS
// accepts into the same normalised form, for tests and policy rules.
package iam
