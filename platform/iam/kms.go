package iam

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// KMSAdministrativeActions are the KMS actions that manage a symmetric key without using its
// key material: what a key administrator may do, and all a key administrator may do
// directly. They are exact (a key policy never says `kms:*` or `kms:Get*`), and none of them
// encrypts, decrypts or delegates use: kms:CreateGrant is not among them. kms:PutKeyPolicy
// is: a key that nobody may administer cannot be repaired (AWS's policy lockout).
func KMSAdministrativeActions() []string {
	return []string{
		"kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey", "kms:DisableKey",
		"kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy",
		"kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListGrants", "kms:ListKeyPolicies",
		"kms:ListKeyRotations", "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:RetireGrant",
		"kms:RevokeGrant", "kms:RotateKeyOnDemand", "kms:ScheduleKeyDeletion", "kms:TagResource",
		"kms:UntagResource", "kms:UpdateAlias", "kms:UpdateKeyDescription",
	}
}

// KMSCryptographicActions are the KMS actions that use a symmetric encryption key's
// material: whoever may call one of them can read or produce data encrypted with the key.
func KMSCryptographicActions() []string {
	return []string{
		"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext",
		"kms:ReEncryptFrom", "kms:ReEncryptTo",
	}
}

// KMSUses reports whether action uses a KMS key's material or hands its use to someone else:
// the cryptographic actions of any key type, and kms:CreateGrant, since a grant lets its
// grantee use the key.
func KMSUses(action string) bool {
	if slices.Contains(KMSCryptographicActions(), action) {
		return true
	}
	switch action {
	case "kms:CreateGrant", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext",
		"kms:GenerateMac", "kms:VerifyMac", "kms:Sign", "kms:Verify", "kms:DeriveSharedSecret",
		"kms:GenerateRandom":
		return true
	}
	return false
}

// ViaService returns the condition that limits a statement on the KMS key keyArn to requests
// that service (dynamodb, sqs, sns, secretsmanager, lambda...) makes on the caller's behalf
// in the key's region (kms:ViaService): a role that may read a table through DynamoDB then
// cannot decrypt the table's data itself, or anything else the key encrypts. The region is
// read from the key's ARN when it resolves; an ARN that is not a KMS key's fails the
// document.
func ViaService(service string, keyArn pulumi.StringInput) Condition {
	endpoint := keyArn.ToStringOutput().ApplyT(func(arn string) (string, error) {
		region, err := keyRegion(arn)
		if err != nil {
			return "", err
		}
		return ServiceEndpoint(service, region), nil
	}).(pulumi.StringOutput)
	return Condition{Test: "StringEquals", Variable: "kms:ViaService", Values: []pulumi.StringInput{endpoint}}
}

// ServiceEndpoint is the value kms:ViaService takes for requests service makes in region.
func ServiceEndpoint(service, region string) string {
	return service + "." + region + ".amazonaws.com"
}

// keyRegion returns the region of a KMS key ARN.
func keyRegion(arn string) (string, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "kms" || parts[3] == "" || !strings.HasPrefix(parts[5], "key/") {
		return "", fmt.Errorf("iam: kms:ViaService: %q is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)", arn)
	}
	return parts[3], nil
}

// ArnLike reports whether arn matches pattern as IAM's ArnLike and StringLike operators
// match: "*" matches any run of characters (including none, and "/"), "?" any one character,
// everything else itself, case-sensitively.
func ArnLike(pattern, arn string) bool {
	// Iterative wildcard matching with backtracking to the last "*".
	p, s, star, mark := 0, 0, -1, 0
	for s < len(arn) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == arn[s]):
			p++
			s++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, s
			p++
		case star >= 0:
			p = star + 1
			mark++
			s = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
