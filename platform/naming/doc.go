// Package naming gives every resource two names: a logical name that Pulumi uses to tell
// children of a component apart, and a physical name that AWS sees.
//
// Physical names follow one convention, <org>-<env>-<context>-<name>, so two contexts or
// two environments sharing an account do not collide and a reviewer can tell from a name
// who owns a resource. AWS limits differ per resource type; Physical fits a name to the
// limits of its Kind: one of the Builtin kinds of the platform's components, or a Rule that
// a package outside platform declares for a type the platform does not know (length limits,
// characters, case, fixed and reserved parts), checked by Rule.Validate.
//
// Default settings:
//   - characters a kind does not allow are replaced by "-";
//   - IAM role and policy names are lowercased, because IAM compares them without case;
//   - a name that had to be changed (replaced characters, lowercased, truncated or padded)
//     ends in "-" and 8 hex characters of a hash of the original, so that distinct inputs
//     keep distinct outputs;
//   - SQS FIFO queues get the mandatory ".fifo" suffix and KMS aliases the "alias/" prefix;
//     the reserved "aws/" prefixes of KMS aliases and log groups are never produced, nor any
//     reserved prefix or suffix a declared Rule names.
//
// The package has no Pulumi imports so that Lambda handlers and tools can compute names.
package naming
