package secret

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/lambdakit/secret"
)

// serviceSecretsManager is Secrets Manager's service principal, which invokes the rotation
// function.
const serviceSecretsManager iam.Service = "secretsmanager.amazonaws.com"

// readActions read a version's value; writeActions create versions and move their stages;
// administrationActions change everything else about the secret. Together with
// DescribeSecret, GetResourcePolicy and ListSecretVersionIds (metadata, left to IAM) they are
// every action on a secret, listed exactly because the platform never writes
// `secretsmanager:*`.
func readActions() []string { return []string{"secretsmanager:GetSecretValue"} }

func writeActions() []string {
	return []string{"secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"}
}

func administrationActions() []string {
	return []string{"secretsmanager:CancelRotateSecret", "secretsmanager:DeleteResourcePolicy",
		"secretsmanager:DeleteSecret", "secretsmanager:PutResourcePolicy", "secretsmanager:RemoveRegionsFromReplication",
		"secretsmanager:ReplicateSecretToRegions", "secretsmanager:RestoreSecret", "secretsmanager:RotateSecret",
		"secretsmanager:StopReplicationToReplica", "secretsmanager:TagResource", "secretsmanager:UntagResource",
		"secretsmanager:UpdateSecret"}
}

// accessors are the principals the resource policy leaves each kind of access to: readers
// (the rotation function's role and the Readers'), writers (the rotation function's role, or
// a Manual secret's Administrators and the root), administrators and the root.
type accessors struct {
	readers        []pulumi.StringInput
	writers        []pulumi.StringInput
	administrators []pulumi.StringInput
	root           pulumi.StringInput
	// manual names the writers operators (Args.Manual).
	manual bool
}

// policyStatements is the secret's resource policy: denies only. A principal of this account
// still needs an IAM allow (AllowRead, the rotation function's grants, the deploy role's
// policy); the denies make sure that no other allow, however broad (an administrator's, a
// deploy role's, one added later), reaches the value or can replace it. aws:PrincipalArn is
// the role's ARN for every session of the role.
func policyStatements(secretArn pulumi.StringInput, who accessors) iam.Statements {
	everyone := []iam.Principal{{Type: iam.PrincipalAWS, Identifiers: []pulumi.StringInput{pulumi.String("*")}}}
	except := func(arns ...pulumi.StringInput) []iam.Condition {
		return []iam.Condition{{Test: "ArnNotEquals", Variable: "aws:PrincipalArn", Values: arns}}
	}
	writeSid := "DenyWritingButToRotation"
	if who.manual {
		writeSid = "DenyWritingButToOperators"
	}
	return iam.Statements{
		{
			Sid: "DenyReadingButToReaders", Effect: iam.Deny, Principals: everyone, Actions: readActions(),
			Resources:  []pulumi.StringInput{secretArn},
			Conditions: except(who.readers...),
		},
		{
			Sid: writeSid, Effect: iam.Deny, Principals: everyone, Actions: writeActions(),
			Resources: []pulumi.StringInput{secretArn}, Conditions: except(who.writers...),
		},
		{
			Sid: "DenyAdministeringButToAdministrators", Effect: iam.Deny, Principals: everyone,
			Actions: administrationActions(), Resources: []pulumi.StringInput{secretArn},
			Conditions: except(append([]pulumi.StringInput{who.root}, who.administrators...)...),
		},
	}
}

// keyThroughSecretsManager are the conditions of a grant on the scope's key: used only by
// Secrets Manager (kms:ViaService) and only for the secret arn (Secrets Manager's encryption
// context names the secret), so the grant decrypts nothing else encrypted with the key.
func (s *Secret) keyThroughSecretsManager(arn pulumi.StringInput) []iam.Condition {
	return []iam.Condition{
		{Test: "StringEquals", Variable: "kms:ViaService",
			Values: []pulumi.StringInput{pulumi.String("secretsmanager." + s.region + ".amazonaws.com")}},
		{Test: "StringEquals", Variable: "kms:EncryptionContext:SecretARN", Values: []pulumi.StringInput{arn}},
	}
}

// rotationGrants are all the rotation function may do besides its own logs and traces:
// read and stage versions of this secret, and the key's use that writing and reading a
// version takes, through Secrets Manager.
func (s *Secret) rotationGrants(name string) iam.Statements {
	arn := s.Secret.Arn
	return iam.Statements{
		{Sid: iam.GrantSid(TypeToken, name, "Rotate"), Actions: secret.RotationActions(),
			Resources: []pulumi.StringInput{arn}},
		{Sid: iam.GrantSid(TypeToken, name, "RotateKey"), Actions: []string{"kms:Decrypt", "kms:GenerateDataKey"},
			Resources: []pulumi.StringInput{s.keyArn}, Conditions: s.keyThroughSecretsManager(arn)},
	}
}

// AllowRead grants reading the secret's value (every version, so a verifier can read
// AWSPREVIOUS too) and decrypting it with the scope's key through Secrets Manager. The
// function must also be one of Args.Readers: the resource policy refuses anyone else.
func (s *Secret) AllowRead() iam.Statements {
	return iam.Statements{
		{Sid: iam.GrantSid(TypeToken, s.name, "Read"), Actions: readActions(), Resources: []pulumi.StringInput{s.Arn}},
		{Sid: iam.GrantSid(TypeToken, s.name, "ReadKey"), Actions: []string{"kms:Decrypt"},
			Resources: []pulumi.StringInput{s.keyArn}, Conditions: s.keyThroughSecretsManager(s.Arn)},
	}
}
